"""#20 item 11, VC2: the shared record speaks Welsh to a Welsh reader: a break-glass alert in the
manager's language, the matcher's reasons on the duplicates pages (kept as the catalogue's
words, whoever ran ``tarian dedupe``), why an involvement ended, and team names."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import Agency, Team, User
from tarian.notifications.models import Notification
from tarian.people import restriction, vocabulary
from tarian.people.matching.compare import compare_given, compare_nhs, read_stored, stored
from tarian.people.matching.profiles import Profile
from tarian.people.models import DuplicateCandidate, Person
from tests.clients import signed_in
from tests.factories import InvolvementFactory, PersonFactory

pytestmark = pytest.mark.django_db
REASON = "Child at the front door now; checking for a protection plan before deciding"


def test_issue20_break_glass_alert_in_the_managers_language(
    gateway_worker: User, team_manager: User, social_worker: User, child: Person,
    childrens_services: Agency,
) -> None:
    childrens_services.name_cy = "Gwasanaethau Plant Gaerwen"
    childrens_services.save()
    team_manager.language = "cy"
    team_manager.save()
    restriction.set_restriction(team_manager, person=child, restricted=True,
                                reason="The child's mother works here", named_usernames=["owain"])
    with translation.override("en"):
        restriction.open_restricted_record(gateway_worker, ref=child.ref, reason=REASON)
    welsh = Notification.objects.get(recipient=team_manager)
    assert welsh.subject == f"Agorodd {gateway_worker} gofnod cyfyngedig"
    assert "(Gwasanaethau Plant Gaerwen)" in welsh.body and "mewn argyfwng" in welsh.body
    assert welsh.body.endswith(f"Eu rheswm: {REASON}")
    english = Notification.objects.get(recipient=social_worker)
    assert english.subject == f"{gateway_worker} opened a restricted record"
    assert "(Gaerwen Children's Services)" in english.body


def _pair(child: Person, reasons: list[object]) -> DuplicateCandidate:
    other = PersonFactory(given_name="Gwen", family_name=child.family_name)
    first, second = sorted([child, other], key=lambda p: p.pk)
    return DuplicateCandidate.objects.create(
        person_a=first, person_b=second, score=0.9, reasons=reasons,
        found_at=timezone.now() - dt.timedelta(days=1),
    )


def test_issue20_matcher_reasons_kept_as_words_read_in_the_readers_language(
    team_manager: User, child: Person
) -> None:
    profile = Profile(person_id=1, given=frozenset({"gwenllian"}), middle=frozenset())
    given = compare_given({"gwen"}, profile)
    with translation.override("cy"):  # whoever ran the dedupe, the row keeps no language
        kept = [stored(compare_nhs("4857773456", "4857773456").text), stored(given.text)]
    assert kept[0] == {"text": "same NHS number"}
    pair = _pair(child, [*kept, "Written by hand"])
    welsh = signed_in(team_manager, "cy")
    for path in ("/duplicates", f"/duplicates/{pair.pk}"):
        page = welsh.get(path).content.decode()
        assert "yr un rhif GIG" in page and "same NHS number" not in page
        assert read_stored(kept[1]) in page or "Gwen/Gwenllian" in page
        assert "Written by hand" in page
    english = signed_in(team_manager).get("/duplicates").content.decode()
    assert "same NHS number" in english
    token = issue_token(team_manager)
    api = Client(headers={"authorization": f"Bearer {token}", "accept-language": "cy"})
    listed = api.get("/api/v1/duplicates").json()["results"][0]
    assert listed["reasons"][0] == "yr un rhif GIG" and listed["reasons"][2] == "Written by hand"


def test_issue20_reasons_written_in_english_before_are_kept_as_words_by_the_migration() -> None:
    migration = import_module("tarian.people.migrations.0007_duplicate_reasons_as_catalogue_words")
    old = ["surname similar: Brydderch/Prydderch", "same postcode", "Written by hand"]
    new = [migration.as_words(reason) for reason in old]
    assert new == [
        {"text": "surname similar: %(query)s/%(found)s",
         "args": {"query": "Brydderch", "found": "Prydderch"}},
        {"text": "same postcode"},
        "Written by hand",
    ]
    assert [migration.as_english(reason) for reason in new] == old
    with translation.override("cy"):
        assert read_stored(new[1]) == "yr un cod post"


def test_issue20_involvement_end_reasons_in_welsh(
    school_dsl: User, school: Agency, child: Person
) -> None:
    InvolvementFactory(person=child, agency=school, role="early_help",
                       start_date=dt.date(2023, 1, 9), end_date=dt.date(2023, 6, 30),
                       end_reason="Family support completed")
    InvolvementFactory(person=child, agency=school, role="early_help",
                       start_date=dt.date(2022, 1, 9), end_date=dt.date(2022, 6, 30),
                       end_reason="Mam wedi symud i Gaerdydd")
    page = signed_in(school_dsl, "cy").get(f"/people/{child.ref}/chronology").content.decode()
    assert "Cymorth i&#x27;r teulu wedi&#x27;i gwblhau" in page
    assert "Family support completed" not in page
    assert "Mam wedi symud i Gaerdydd" in page  # written in other words: as written
    assert vocabulary.end_reason("  moved on to secondary school ", "cy") == (
        "Wedi symud ymlaen i'r ysgol uwchradd"
    )
    assert vocabulary.end_reason("rehoused", "cy") == "Wedi'i ailgartrefu"  # by its code
    assert vocabulary.end_reason("Rehoused", "en") == "Rehoused"


def test_issue20_team_names_in_welsh(
    social_worker: User, childrens_services: Agency, child: Person
) -> None:
    team = Team.objects.create(agency=childrens_services, name="Assessment North",
                               name_cy="Asesu'r Gogledd")
    InvolvementFactory(person=child, agency=childrens_services, team=team, role="social_worker")
    assert team.display_name("cy") == "Asesu'r Gogledd"
    assert Team(name="Gateway").display_name("cy") == "Gateway"  # no Welsh name: as it is
    welsh = signed_in(social_worker, "cy").get(f"/people/{child.ref}").content.decode()
    assert "Asesu&#x27;r Gogledd" in welsh and "Assessment North" not in welsh
    english = signed_in(social_worker).get(f"/people/{child.ref}").content.decode()
    assert "Assessment North" in english


def test_issue20_agency_names_the_audit_log_recorded_read_in_welsh(
    social_worker: User, team_manager: User, child: Person, childrens_services: Agency,
    django_assert_max_num_queries: object,
) -> None:
    childrens_services.name_cy = "Gwasanaethau Plant Gaerwen"
    childrens_services.save()
    client = signed_in(social_worker, "cy")
    client.get(f"/people/{child.ref}")  # recorded with the agency's name at the time
    page = signed_in(team_manager, "cy").get(f"/people/{child.ref}/viewed").content.decode()
    assert "Gwasanaethau Plant Gaerwen" in page and "Gaerwen Children&#x27;s" not in page

    shown = Template(
        "{% load people_tags %}{% recorded_agency a %}|{% recorded_agency a %}|"
        "{% recorded_agency b %}"
    )
    with translation.override("cy"), django_assert_max_num_queries(2):  # type: ignore[operator]
        said = shown.render(Context({"a": "Gaerwen Children's Services", "b": "Gone Agency"}))
    assert said == "Gwasanaethau Plant Gaerwen|Gwasanaethau Plant Gaerwen|Gone Agency"
    with translation.override("en"):
        assert shown.render(Context({"a": "Gaerwen Children's Services", "b": ""})) == (
            "Gaerwen Children&#x27;s Services|Gaerwen Children&#x27;s Services|"
        )
