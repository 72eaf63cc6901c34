"""Subject access export (IS4, PC2; issue "security and reliability baseline", item 7).

A permitted role produces everything held about one person and who has viewed it, with other
people withheld. The third-party test plants distinctive names everywhere a third party can
appear and searches every file of the ZIP for them, including the text drawn into the PDF.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils import timezone
from fpdf import FPDF

from tarian.agencies.models import Agency, AgencyType, RecordKind, SharingRule, User
from tarian.audit.models import AccessAction, AccessEvent
from tarian.audit.services import record_access
from tarian.disclosure import views as subject_access_views
from tarian.disclosure.export import SubjectAccessExport, export_subject_access
from tarian.documents.services import upload_document
from tarian.errors import Forbidden, NotFound, Restricted
from tarian.people import restriction, selectors, services
from tarian.people.models import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonKind,
    PersonName,
    Relationship,
    RelationshipKind,
    Residence,
)
from tarian.web import urls as web_urls
from tests.clients import signed_in
from tests.factories import AgencyFactory, PersonFactory, UserFactory, synthetic_nhs_number

pytestmark = pytest.mark.django_db
FILES = ["README.txt", "record.json", "summary.pdf", "who-has-viewed.csv"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _web_with_subject_access() -> list[URLPattern | URLResolver]:
    """The web URLs with the export page, whether or not the site's urls.py has wired it yet."""
    web: list[URLPattern | URLResolver] = list(web_urls.urlpatterns)
    if not any(getattr(p, "name", "") == "subject_access" for p in web):
        web.append(path("people/<str:ref>/subject-access", subject_access_views.subject_access,
                        name="subject_access"))
    return [path("", include((web, "web")))]


urlpatterns = _web_with_subject_access()


def _person(**fields: Any) -> Person:
    person = PersonFactory(**fields)
    assert isinstance(person, Person)
    return person


def _user(**fields: Any) -> User:
    user = UserFactory(**fields)
    assert isinstance(user, User)
    return user


@dataclass(frozen=True)
class Family:
    child: Person
    third_parties: list[str]  # text that must appear nowhere in the export


@pytest.fixture
def pdf_text(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every piece of text drawn into a PDF (fpdf2 normalises all text it draws, cells included)."""
    drawn: list[str] = []
    original = FPDF.normalize_text

    def capture(self: FPDF, text: str) -> str:
        drawn.append(text)
        return original(self, text)

    monkeypatch.setattr(FPDF, "normalize_text", capture)
    return drawn


@pytest.fixture
def family(
    child: Person, team_manager: User, social_worker: User, childrens_services: Agency
) -> Family:
    """The child with relatives, a household, professionals, changes, views and a document."""
    team_manager.first_name, team_manager.last_name = "Catrin", "Morgan"
    team_manager.job_title = "Team manager, Safeguarding"
    team_manager.save()
    social_worker.first_name, social_worker.last_name = "Owain", "Pritchard-Evans"
    social_worker.save()
    PersonName.objects.create(person=child, kind="previous", given_name="Gwenllian",
                              family_name="Bevan", used_until=dt.date(2019, 5, 1))
    home = Address.objects.create(line1="12 Heol y Bryn", town="Aberwen", postcode="GA1 2BC")
    Residence.objects.create(person=child, address=home, start_date=dt.date(2019, 5, 1))
    # Explicit NHS numbers: the factory's sequence can repeat one for neighbouring people.
    sibling = _person(given_name="Ceridwen", date_of_birth=dt.date(2011, 2, 17),
                            nhs_number=synthetic_nhs_number(700))
    parent = _person(kind=PersonKind.ADULT, given_name="Rhodri",
                           family_name="Tudur-Vaughan", date_of_birth=dt.date(1984, 7, 9),
                           nhs_number=synthetic_nhs_number(800))
    assert child.nhs_number not in (sibling.nhs_number, parent.nhs_number)
    Relationship.objects.create(person=parent, relative=child, kind=RelationshipKind.PARENT,
                                has_parental_responsibility=True)
    Relationship.objects.create(person=child, relative=sibling, kind=RelationshipKind.SIBLING,
                                start_date=dt.date(2011, 2, 17))
    household = Household.objects.create(address=home)
    for member in (child, sibling, parent):
        HouseholdMember.objects.create(household=household, person=member,
                                       start_date=dt.date(2019, 5, 1))
    _user(username="eirlys", first_name="Eirlys", last_name="Bowen-Thomas",
                agency=childrens_services, roles=["social_worker"])
    AgencyFactory(slug="gaerwen-health", name="Gaerwen Health", type=AgencyType.HEALTH)
    services.add_involvement(team_manager, person_ref=child.ref,
                             agency_slug=childrens_services.slug, role="social_worker",
                             start_date="2025-01-06", professional="eirlys")
    services.add_involvement(team_manager, person_ref=child.ref, agency_slug="gaerwen-health",
                             role="gp", start_date="2024-03-01",
                             professional="Dr Morwenna Griffiths-Llewelyn")
    child.refresh_from_db()
    services.update_person(social_worker, ref=child.ref, version=child.version,
                           changes={"known_as": "Gwen"}, reason="Known as Gwen at school")
    selectors.view_person(social_worker, child.ref)
    upload_document(social_worker, person_ref=child.ref, title="School report",
                    original_name="report.pdf", stream=io.BytesIO(PDF))
    whistle = _user(
        username="nerys", first_name="Nerys", last_name="Cyfrinach",
        agency=AgencyFactory(slug="confidential-line", name="Confidential Line Agency"),
        roles=["whistleblowing_officer"],
    )
    record_access(whistle, action=AccessAction.VIEW, record_kind=RecordKind.PERSON,
                  record_id=child.ref, person_id=child.pk)
    restriction.set_restriction(team_manager, person=child, restricted=True,
                                reason="High-profile case in the local news",
                                named_usernames=["owain"])
    child.refresh_from_db()
    return Family(child, [
        "Ceridwen", "Rhodri", "Tudur-Vaughan", "2011-02-17", "17 Feb 2011", "1984-07-09",
        sibling.nhs_number, parent.nhs_number, "Eirlys", "Bowen-Thomas", "Morwenna",
        "Griffiths-Llewelyn", "Owain", "Pritchard-Evans", "Nerys", "Cyfrinach",
        "Confidential Line",
    ])


def _files(export: SubjectAccessExport) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_is4_team_manager_exports_the_four_files(team_manager: User, family: Family) -> None:
    export = export_subject_access(team_manager, ref=family.child.ref)
    files = _files(export)
    assert sorted(files) == FILES
    assert export.filename.startswith(f"subject-access-{family.child.ref}-")
    assert files["summary.pdf"].startswith(b"%PDF-")
    readme = files["README.txt"].decode()
    assert "Catrin Morgan, Team manager, Safeguarding, Gaerwen Children's Services" in (
        " ".join(readme.split())
    )
    assert "whistle-blowing officer" in readme and "[withheld: third party]" in readme


def test_is4_record_json_holds_the_childs_own_details(team_manager: User, family: Family) -> None:
    record = json.loads(_files(export_subject_access(team_manager, ref=family.child.ref))
                        ["record.json"])
    person = record["person"]
    assert (person["given_name"], person["family_name"]) == ("Gwenllian", "Prydderch")
    assert person["known_as"] == "Gwen" and person["date_of_birth"] == "2015-06-01"
    assert person["nhs_number"] == family.child.nhs_number
    assert record["names"][0]["family_name"] == "Bevan"
    assert record["addresses"][0]["address"] == "12 Heol y Bryn, Aberwen, GA1 2BC"
    assert record["households"][0]["other_people"] == 2
    assert record["relationships"]["people"] == 2
    assert sorted(r["relationship"] for r in record["relationships"]["items"]) == [
        "Parent", "Sibling"]
    assert {i["agency"] for i in record["involvements"]} == {
        "Ysgol Aberwen", "Gaerwen Children's Services", "Gaerwen Health"}
    assert record["documents"]["items"][0]["title"] == "School report"
    assert "not included" in record["documents"]["note"]
    reasons = [v["reason"] for v in record["record_history"]]
    assert "Known as Gwen at school" in reasons
    assert {v["changed_by"] for v in record["record_history"]} == {"member of staff"}


def test_is4_pc2_third_parties_appear_in_no_file(
    team_manager: User, family: Family, pdf_text: list[str]
) -> None:
    files = _files(export_subject_access(team_manager, ref=family.child.ref))
    drawn = "\n".join(pdf_text)
    # The PDF's text was captured: the child's own details are there ...
    assert "Gwenllian" in drawn and "12 Heol y Bryn" in drawn and "Ysgol Aberwen" in drawn
    texts = {name: data.decode() for name, data in files.items() if name != "summary.pdf"}
    texts["summary.pdf (drawn text)"] = drawn
    # ... and nobody else's are, in any file.
    for name, text in texts.items():
        for secret in family.third_parties:
            assert secret.lower() not in text.lower(), f"{secret!r} in {name}"
    for secret in family.third_parties:
        assert secret.encode() not in files["summary.pdf"]


def test_is4_pc2_who_has_viewed_keeps_agency_and_withholds_whistleblowing_officer(
    team_manager: User, family: Family
) -> None:
    rows = list(csv.DictReader(io.StringIO(
        _files(export_subject_access(team_manager, ref=family.child.ref))["who-has-viewed.csv"]
        .decode()
    )))
    assert list(rows[0]) == ["when", "agency", "action", "record", "channel"]
    viewed = [r for r in rows if r["action"] == "Viewed" and r["record"] == "Person's record"]
    assert [r["agency"] for r in viewed] == ["Gaerwen Children's Services", "withheld"]


def test_is4_export_writes_exactly_one_export_event(team_manager: User, family: Family) -> None:
    before = set(AccessEvent.objects.values_list("pk", flat=True))
    export_subject_access(team_manager, ref=family.child.ref)
    new = list(AccessEvent.objects.exclude(pk__in=before))
    assert len(new) == 1
    event = new[0]
    assert (event.action, event.record_kind, event.record_id, event.person_id, event.user) == (
        AccessAction.EXPORT, RecordKind.PERSON, family.child.ref, family.child.pk, team_manager)


def test_is4_social_worker_without_export_right_is_forbidden(
    social_worker: User, child: Person
) -> None:
    before = AccessEvent.objects.count()
    with pytest.raises(Forbidden):
        export_subject_access(social_worker, ref=child.ref)
    assert AccessEvent.objects.count() == before


def test_is4_other_school_dsl_cannot_export_child(other_school_dsl: User, child: Person) -> None:
    with pytest.raises(NotFound):
        export_subject_access(other_school_dsl, ref=child.ref)


def test_is4_unknown_ref_is_not_found(team_manager: User) -> None:
    with pytest.raises(NotFound):
        export_subject_access(team_manager, ref="T00000000")


def test_is1_restricted_record_is_restricted_for_a_manager_not_named_on_it(
    team_manager: User, family: Family, childrens_services: Agency
) -> None:
    other_manager = _user(agency=childrens_services, roles=["team_manager"])
    with pytest.raises(Restricted):
        export_subject_access(other_manager, ref=family.child.ref)


def test_is4_involved_scope_exports_only_children_the_agency_is_involved_with(
    school_dsl: User, other_school_dsl: User, child: Person
) -> None:
    SharingRule.objects.create(agency_type="school", role="dsl", record_kind="person",
                               action="export", scope="involved", agreement="test",
                               lawful_basis="test")
    assert sorted(_files(export_subject_access(school_dsl, ref=child.ref))) == FILES
    with pytest.raises(NotFound):
        export_subject_access(other_school_dsl, ref=child.ref)


def test_is4_export_is_the_same_bytes_for_the_same_data_and_time(
    team_manager: User, family: Family
) -> None:
    now = timezone.now()
    first = export_subject_access(team_manager, ref=family.child.ref, now=now)
    second = export_subject_access(team_manager, ref=family.child.ref, now=now)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first.content)) as archive:
        local = timezone.localtime(now)
        assert {i.date_time[:5] for i in archive.infolist()} == {
            (local.year, local.month, local.day, local.hour, local.minute)}


def test_is4_export_is_a_picture_of_its_moment(team_manager: User, family: Family) -> None:
    before = timezone.now() - dt.timedelta(days=1)
    files = _files(export_subject_access(team_manager, ref=family.child.ref, now=before))
    assert files["who-has-viewed.csv"].decode().count("\r\n") == 1  # the header only
    assert json.loads(files["record.json"])["record_history"] == []


def test_vc2_welsh_letters_survive_into_the_pdf(
    team_manager: User, school: Agency, pdf_text: list[str]
) -> None:
    person = _person(given_name="Llŷr Siôn", family_name="Ŵyn-Gâr")
    services.add_involvement(team_manager, person_ref=person.ref, agency_slug=school.slug,
                             role="school", start_date="2024-09-01")
    files = _files(export_subject_access(team_manager, ref=person.ref))
    assert "Llŷr Siôn Ŵyn-Gâr" in "\n".join(pdf_text)
    assert b"DejaVu" in files["summary.pdf"]
    assert json.loads(files["record.json"])["person"]["family_name"] == "Ŵyn-Gâr"


@pytest.mark.urls(__name__)
def test_is4_team_manager_page_explains_and_post_downloads_zip(
    team_manager: User, child: Person
) -> None:
    client = signed_in(team_manager)
    url = reverse("web:subject_access", args=[child.ref])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Produce the export" in html and "What is withheld" in html
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "private, no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == FILES
    event = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert event.channel == "web"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("persona", ["social_worker", "other_school_dsl"])
def test_is4_page_is_404_for_those_who_may_not_export(
    persona: str, child: Person, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    client = signed_in(user)
    url = reverse("web:subject_access", args=[child.ref])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not AccessEvent.objects.filter(action=AccessAction.EXPORT).exists()


@pytest.mark.urls(__name__)
def test_is1_restricted_record_page_sends_to_break_glass(
    team_manager: User, family: Family, childrens_services: Agency
) -> None:
    other_manager = _user(agency=childrens_services, roles=["team_manager"])
    response = signed_in(other_manager).get(
        reverse("web:subject_access", args=[family.child.ref])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:break_glass", args=[family.child.ref])


def test_command_writes_owner_only_file_and_prints_path(
    team_manager: User, child: Person, tmp_path: Path, capsys: Any
) -> None:
    target = tmp_path / "export.zip"
    call_command("subject_access", child.ref, "--as", team_manager.username,
                 "--output", str(target))
    assert capsys.readouterr().out.strip() == str(target)
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == FILES
    assert AccessEvent.objects.get(action=AccessAction.EXPORT).channel == "command"


def test_command_applies_permissions_and_leaves_no_file(
    social_worker: User, child: Person, tmp_path: Path
) -> None:
    target = tmp_path / "export.zip"
    with pytest.raises(CommandError, match="may not export"):
        call_command("subject_access", child.ref, "--as", social_worker.username,
                     "--output", str(target))
    assert not target.exists()


def test_command_never_overwrites_and_exports_nothing_then(
    team_manager: User, child: Person, tmp_path: Path
) -> None:
    target = tmp_path / "export.zip"
    target.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("subject_access", child.ref, "--as", team_manager.username,
                     "--output", str(target))
    assert target.read_bytes() == b"keep me"
    assert not AccessEvent.objects.filter(action=AccessAction.EXPORT).exists()


def test_command_into_a_directory_names_the_file(
    team_manager: User, child: Person, tmp_path: Path, capsys: Any
) -> None:
    call_command("subject_access", child.ref, "--as", team_manager.username,
                 "--output", str(tmp_path))
    written = Path(capsys.readouterr().out.strip())
    assert written.parent == tmp_path and written.name.startswith(f"subject-access-{child.ref}")
