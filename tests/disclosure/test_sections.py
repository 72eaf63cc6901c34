"""IS4, PC2: the subject access export is assembled from a section per app, and now includes
referrals (issue 18, item 7).

It left out referrals: the concern, what the child said and the Gateway's rationale about the
person. Each app's ``disclosure.py`` now registers what it holds about a person; a model that
points at a person and that no section discloses (or says why not) fails the first test, so a
new workflow's records cannot be forgotten. Third parties stay withheld: the names planted
below appear in no file of the export, the PDF's drawn text included.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from fpdf import FPDF

from tarian.agencies.models import User
from tarian.disclosure import sections as subject_access
from tarian.disclosure.export import export_subject_access
from tarian.disclosure.sections import disclosed_models
from tarian.people.models import Person, PersonKind
from tarian.referrals import services as referrals
from tarian.referrals.models import Referral
from tests.factories import InvolvementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

CONCERN = "Gwenllian arrived with bruising to her arm and said she was grabbed at home."
VOICE = "'I was scared and it hurt. I want to stay at Nain's.'"
RATIONALE = (
    "Bruising with a disclosure of being grabbed by an adult at home meets the threshold for "
    "a strategy discussion with the police today."
)
STRENGTHS = "A grandmother nearby whom she trusts."
MADE = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def unaccounted() -> list[str]:
    """Models that point at a person but that no section discloses, nor says why not."""
    accounted = disclosed_models()
    missing = set()
    for rel in Person._meta.get_fields(include_hidden=True):
        if not isinstance(rel, models.ForeignObjectRel):
            continue
        model = rel.related_model
        assert isinstance(model, type) and issubclass(model, models.Model)
        if model._meta.auto_created:  # a many-to-many's table: the model that holds it counts
            continue
        if model._meta.label_lower not in accounted:
            missing.add(model._meta.label_lower)
    return sorted(missing)


def test_is4_every_record_about_a_person_has_a_section_or_a_reason() -> None:
    assert unaccounted() == [], "add a section to the app's disclosure.py, or not_disclosed()"
    assert disclosed_models()["referrals.referral"] == "referrals"


def test_is4_the_check_notices_a_forgotten_workflow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Self-test: without the referrals section, referrals are reported as forgotten."""
    subject_access.sections()  # every section registered first
    monkeypatch.delitem(subject_access._SECTIONS, "referrals")
    assert unaccounted() == ["referrals.referral"]


@dataclass(frozen=True)
class Family:
    child: Person
    mother: Person
    referral: Referral
    third_parties: list[str]  # text that must appear in no file of the child's export


@pytest.fixture
def family(child: Person, school_dsl: User, gateway_worker: User, team_manager: User) -> Family:
    for user, first, last in (
        (school_dsl, "Elen", "Parri-Owen"),
        (gateway_worker, "Nia", "Penrhyn-Rhys"),
    ):
        user.first_name, user.last_name = first, last
        user.save()
    brother = PersonFactory(given_name="Ceredig", family_name="Prydderch")
    InvolvementFactory(person=brother, agency=school_dsl.agency)
    mother = PersonFactory(
        given_name="Rhiannon",
        family_name="Tudur-Vaughan",
        kind=PersonKind.ADULT,
        created_by_agency=school_dsl.agency,
    )
    referral = referrals.submit_referral(
        school_dsl,
        data={
            "children": [child.ref, brother.ref],
            "household": [mother.ref],
            "concern": CONCERN,
            "voice_of_child": VOICE,
            "voice_method": "own_words",
            "parental_awareness": "not_told_risk",
            "consent": "not_sought",
            "priority": "high",
            "strengths": STRENGTHS,
            "household_notes": "Her partner, Bleddyn Cuddiedig, stays most nights.",
            "other_professionals": "Dr Morwenna Griffiths-Llewelyn, the family's GP.",
        },
        now=MADE,
    )
    referrals.record_decision(
        gateway_worker,
        ref=referral.ref,
        outcome="strategy_discussion",
        rationale=RATIONALE,
        now=MADE + dt.timedelta(hours=2),
    )
    referrals.sign_off_decision(team_manager, ref=referral.ref, now=MADE + dt.timedelta(hours=3))
    return Family(
        child,
        mother,
        referral,
        [
            "Ceredig",
            brother.ref,
            "Rhiannon",
            "Tudur-Vaughan",
            mother.ref,
            "Bleddyn",
            "Cuddiedig",
            "Morwenna",
            "Griffiths-Llewelyn",
            "Parri-Owen",
            "Penrhyn-Rhys",
        ],
    )


@pytest.fixture
def pdf_text(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    drawn: list[str] = []
    original = FPDF.normalize_text

    def capture(self: FPDF, text: str) -> str:
        drawn.append(text)
        return original(self, text)

    monkeypatch.setattr(FPDF, "normalize_text", capture)
    return drawn


def _files(user: User, person: Person, now: dt.datetime | None = None) -> dict[str, str]:
    export = export_subject_access(user, ref=person.ref, now=now)
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        return {name: archive.read(name).decode(errors="replace") for name in archive.namelist()}


def _referrals(files: dict[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(files["record.json"])["referrals"]
    return found


def test_is4_the_childs_export_holds_the_referral_about_her(
    team_manager: User, family: Family, pdf_text: list[str]
) -> None:
    files = _files(team_manager, family.child)
    [item] = _referrals(files)
    assert (item["referral"], item["named_as"], item["other_children"]) == (
        family.referral.ref,
        "child",
        1,
    )
    assert item["concern"] == CONCERN and item["voice_of_child"] == VOICE
    assert item["strengths"] == STRENGTHS and item["agency"] == "Ysgol Aberwen"
    assert item["decision"]["rationale"] == RATIONALE
    assert item["decision"]["outcome"] and item["decision"]["signed_off_at"]
    assert (item["made_by"], item["decision"]["decided_by"]) == ("member of staff",) * 2
    drawn = "\n".join(pdf_text)
    for text in (CONCERN, RATIONALE, family.referral.ref):
        assert " ".join(text.split()[:4]) in drawn
    assert "Referrals:" in files["README.txt"]


def test_is4_pc2_third_parties_named_in_a_referral_appear_in_no_file(
    team_manager: User, family: Family, pdf_text: list[str]
) -> None:
    files = _files(team_manager, family.child)
    files["summary.pdf (drawn text)"] = "\n".join(pdf_text)
    assert "Bleddyn" not in json.dumps(_referrals(files))  # household notes: withheld
    assert _referrals(files)[0]["household_notes"] == "[withheld: third party]"
    for name, text in files.items():
        for secret in family.third_parties:
            assert secret.lower() not in text.lower(), f"{secret!r} in {name}"


def test_is4_a_household_members_export_holds_the_referral_but_not_the_childs_words(
    team_manager: User, family: Family
) -> None:
    [item] = _referrals(_files(team_manager, family.mother))
    assert item["named_as"] == "household member" and item["other_children"] == 2
    assert item["concern"] == CONCERN and item["decision"]["rationale"] == RATIONALE
    assert item["voice_of_child"] == "[withheld: third party]"


def test_is4_a_referral_or_decision_after_the_exports_moment_is_not_in_it(
    team_manager: User, family: Family, school_dsl: User
) -> None:
    assert _referrals(_files(team_manager, family.child, now=MADE - dt.timedelta(hours=1))) == []
    [item] = _referrals(_files(team_manager, family.child, now=MADE + dt.timedelta(hours=1)))
    assert item["concern"] == CONCERN and item["decision"] is None
    [item] = _referrals(_files(team_manager, family.child, now=MADE + dt.timedelta(hours=2)))
    assert item["decision"]["rationale"] == RATIONALE and item["decision"]["signed_off_at"] is None


def test_is4_pc2_a_whistleblowing_officers_referral_withholds_their_organisation(
    team_manager: User, child: Person, school_dsl: User
) -> None:
    officer = UserFactory(agency=school_dsl.agency, roles=["dsl", "whistleblowing_officer"])
    referrals.submit_referral(
        officer,
        data={
            "children": [child.ref],
            "concern": CONCERN,
            "voice_of_child": VOICE,
            "voice_method": "own_words",
            "parental_awareness": "aware",
            "consent": "given",
            "priority": "standard",
        },
    )
    [item] = _referrals(_files(team_manager, child))
    assert item["agency"] == "withheld"
