"""Police referrals carry police facts (#20 item 9; FD1, FD3, PP2): the crime or incident
reference or the PPN reference, the incident type and the officer's risk level from the pack,
whether children were present and seen, and in domestic abuse whether a protection notice was
considered. Required on the form for a police officer; optional by API (the contract accepts a
police referral without them) and shown at the Gateway as not given; refused from anyone else."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client

from tarian.agencies.credentials import issue_token
from tarian.agencies.models import User
from tarian.disclosure.export import export_subject_access
from tarian.errors import Refused
from tarian.people import restriction
from tarian.people.models import Person
from tarian.referrals import services
from tarian.referrals.models import Referral
from tests.clients import signed_in

pytestmark = pytest.mark.django_db

POLICE_FACTS: dict[str, Any] = {
    "crime_reference": "  NWP/24/118733  ",
    "public_protection_notice_reference": "PPN-2024-00417",
    "incident_type": "domestic_abuse",
    "police_risk_level": "high",
    "children_present": True,
    "children_seen": True,
    "protection_notice_considered": True,
    "protection_notice_outcome": "DVPN authorised by the duty superintendent and served.",
}
# The form sends the answers as it shows them.
FORM_FACTS = {**POLICE_FACTS, "children_present": "yes", "children_seen": "yes",
              "protection_notice_considered": "yes"}


@pytest.fixture(autouse=True)
def straight_to_the_gateway(settings: Any) -> None:
    """These tests are about the facts, not the supervisor's review (FD3)."""
    settings.TARIAN_POLICE_SUPERVISOR_REVIEW = False


def api(user: User) -> Client:
    return Client(headers={"authorization": f"Bearer {issue_token(user)}"})


def _form(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "children": ", ".join(data["children"]), "about": ""}


def _refused(user: User, data: dict[str, Any], **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(Refused) as refused:
        services.submit_referral(user, data=data, **kwargs)
    assert not Referral.objects.exists()
    return refused.value.errors


# The service ------------------------------------------------------------------------------


def test_fd1_issue20_police_referral_keeps_every_police_fact_as_typed(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(
        cru_officer, data={**referral_data, **POLICE_FACTS}, require_police_facts=True
    )
    referral.refresh_from_db()
    assert referral.crime_reference == "NWP/24/118733"  # trimmed, otherwise as typed
    assert referral.public_protection_notice_reference == "PPN-2024-00417"
    assert (referral.incident_type, referral.police_risk_level) == ("domestic_abuse", "high")
    assert (referral.children_present, referral.children_seen) == (True, True)
    assert referral.protection_notice_considered is True
    assert referral.protection_notice_outcome.startswith("DVPN authorised")


def test_fd1_issue20_police_referral_without_its_facts_is_refused_naming_each_field(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    errors = _refused(cru_officer, referral_data, require_police_facts=True)
    assert set(errors) == {
        "crime_reference", "incident_type", "police_risk_level", "children_present",
    }
    assert "public protection notice (PPN) reference" in errors["crime_reference"][0]
    assert errors["incident_type"] == ["Choose the type of incident"]
    assert errors["children_present"] == ["Say whether children were present"]


def test_fd1_issue20_either_reference_will_do(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    facts = {**POLICE_FACTS, "crime_reference": ""}
    referral = services.submit_referral(
        cru_officer, data={**referral_data, **facts}, require_police_facts=True
    )
    assert referral.crime_reference == "" and referral.public_protection_notice_reference


def test_pp2_issue20_domestic_abuse_asks_whether_a_protection_notice_was_considered(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    facts = {**POLICE_FACTS, "protection_notice_considered": None,
             "protection_notice_outcome": "", "children_seen": None}
    errors = _refused(cru_officer, {**referral_data, **facts}, require_police_facts=True)
    assert set(errors) == {
        "protection_notice_considered", "protection_notice_outcome", "children_seen",
    }
    assert "protection notice (DVPN or DAPN) was considered" in (
        errors["protection_notice_considered"][0]
    )


def test_pp2_issue20_other_incidents_do_not_ask_about_a_notice_nor_seen_when_none_present(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    facts = {**POLICE_FACTS, "incident_type": "missing_child", "children_present": False,
             "children_seen": True, "protection_notice_considered": None,
             "protection_notice_outcome": ""}
    referral = services.submit_referral(
        cru_officer, data={**referral_data, **facts}, require_police_facts=True
    )
    assert referral.children_seen is None  # nobody there to see


@pytest.mark.parametrize(("field", "value", "message"), [
    ("crime_reference", "N" * 51, "Enter 50 characters or fewer (this has 51)"),
    ("public_protection_notice_reference", "PPN\x00417",
     "Remove the character that cannot be stored (a NUL)"),
    ("protection_notice_outcome", "x" * 2001, "Enter 2000 characters or fewer"),
    ("incident_type", "burglary", "Choose one of: domestic_abuse, child_neglect, "
     "sexual_offence, missing_child, online_harm, other"),
    ("police_risk_level", "very_high", "Choose one of: standard, medium, high"),
    ("children_present", "maybe", "Answer yes or no"),
])
def test_fd1_issue20_hostile_police_facts_are_refused_naming_the_field(
    cru_officer: User, referral_data: dict[str, Any], field: str, value: str, message: str
) -> None:
    errors = _refused(cru_officer, {**referral_data, **POLICE_FACTS, field: value})
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)


def test_fd1_issue20_a_non_police_referrer_is_not_asked_and_may_not_send_police_facts(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data,
                                        require_police_facts=True)
    assert referral.incident_type == "" and referral.children_present is None
    referral.delete()
    errors = _refused(school_dsl, {**referral_data, "incident_type": "domestic_abuse",
                                   "children_present": False, "crime_reference": ""})
    assert set(errors) == {"incident_type", "children_present"}
    assert errors["incident_type"] == [
        "Only a police officer's report records this: leave it out"
    ]


# The form ---------------------------------------------------------------------------------


def test_fd1_issue20_only_police_users_see_the_police_section(
    cru_officer: User, school_dsl: User
) -> None:
    police_form = signed_in(cru_officer).get("/referrals/new").content.decode()
    school_form = signed_in(school_dsl).get("/referrals/new").content.decode()
    assert "Police information" in police_form and 'name="incident_type"' in police_form
    assert "Domestic abuse" in police_form and 'value="high"' in police_form
    assert "Police information" not in school_form and "incident_type" not in school_form


def test_fd1_issue20_the_form_refuses_missing_facts_and_keeps_what_was_typed(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    sent = _form({**referral_data, "crime_reference": "", "incident_type": "online_harm",
                  "public_protection_notice_reference": "PPN-77"})
    response = signed_in(cru_officer).post("/referrals/new", sent)
    page = response.content.decode()
    assert response.status_code == 200 and not Referral.objects.exists()
    assert "Choose your risk assessment level" in page
    assert "Say whether children were present" in page
    assert 'value="PPN-77"' in page
    assert 'value="online_harm" checked' in page


def test_fd1_issue20_the_form_sends_a_police_referral_with_its_facts(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    response = signed_in(cru_officer).post("/referrals/new", _form({**referral_data,
                                                                    **FORM_FACTS}))
    assert response.status_code == 302, response.content.decode()[:3000]
    referral = Referral.objects.get()
    assert referral.children_present is True and referral.protection_notice_considered is True


def test_fd1_issue20_the_police_facts_are_kept_in_the_draft(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    client = signed_in(cru_officer)
    client.post("/referrals/new/autosave", {
        "about": "", "children": referral_data["children"][0],
        "crime_reference": "NWP/24/9", "incident_type": "sexual_offence",
        "children_present": "no",
    })
    page = client.get("/referrals/new?about=").content.decode()
    assert 'value="NWP/24/9"' in page
    assert 'value="sexual_offence" checked' in page
    assert 'name="children_present" type="radio" value="no" checked' in page


# The API ----------------------------------------------------------------------------------


def test_fd1_issue20_api_police_referral_with_facts_reads_them_back(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    response = api(cru_officer).post(
        "/api/v1/referrals", {**referral_data, **POLICE_FACTS}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["crime_reference"] == "NWP/24/118733"
    assert body["incident_type"] == "domestic_abuse" and body["police_risk_level"] == "high"
    assert body["children_present"] is True and body["police_facts_missing"] == []


def test_fd1_issue20_api_police_referral_with_only_the_contracts_fields_is_accepted(
    cru_officer: User, referral_data: dict[str, Any]
) -> None:
    """The contract accepts it; the Gateway is told what the officer did not give."""
    response = api(cru_officer).post(
        "/api/v1/referrals", referral_data, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["police_facts_missing"] == [
        "crime_reference", "incident_type", "police_risk_level", "children_present",
    ]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("incident_type", "burglary", "Choose one of: domestic_abuse, child_neglect, "
     "sexual_offence, missing_child, online_harm, other"),
    ("incident_type", 3, "Choose one of: domestic_abuse"),
    ("police_risk_level", ["high"], "Choose one of: standard, medium, high"),
    ("crime_reference", "N" * 51, "Enter 50 characters or fewer"),
])
def test_fd1_issue20_api_refuses_a_bad_police_fact_naming_the_field(
    cru_officer: User, referral_data: dict[str, Any], field: str, value: Any, message: str
) -> None:
    response = api(cru_officer).post(
        "/api/v1/referrals", {**referral_data, field: value}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert response.json()["errors"][field][0].startswith(message)
    assert not Referral.objects.exists()


def test_fd1_issue20_api_refuses_police_facts_from_a_school(
    school_dsl: User, referral_data: dict[str, Any]
) -> None:
    response = api(school_dsl).post(
        "/api/v1/referrals", {**referral_data, "crime_reference": "NWP/1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"crime_reference": [
        "Only a police officer's report records this: leave it out"
    ]}}
    plain = api(school_dsl).post("/api/v1/referrals", referral_data,
                                 content_type="application/json")
    assert plain.status_code == 201 and plain.json()["police_facts_missing"] == []
    assert plain.json()["incident_type"] == "" and plain.json()["children_present"] is None


def test_fd1_issue20_the_schema_lists_the_packs_incident_types_and_risk_levels(
    client: Client,
) -> None:
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "domestic_abuse" in schema["PoliceIncidentTypeEnum"]["enum"]
    assert schema["PoliceRiskLevelEnum"]["enum"] == ["standard", "medium", "high"]


# At the Gateway, in the chronology and in the subject access export ----------------------


def _police_referral(officer: User, data: dict[str, Any]) -> Referral:
    return services.submit_referral(officer, data={**data, **POLICE_FACTS},
                                    require_police_facts=True)


def test_fd1_issue20_the_gateway_sees_the_police_facts(
    cru_officer: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    referral = _police_referral(cru_officer, referral_data)
    page = signed_in(gateway_worker).get(f"/referrals/{referral.ref}").content.decode()
    assert "Police information" in page
    assert "NWP/24/118733" in page and "PPN-2024-00417" in page
    assert "Domestic abuse" in page and "DVPN authorised" in page
    assert "Not given" not in page
    queue = signed_in(gateway_worker).get("/referrals").content.decode()
    assert "Domestic abuse" in queue


def test_fd1_issue20_the_gateway_sees_which_police_facts_a_partner_system_left_out(
    cru_officer: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(cru_officer, data=referral_data)
    page = signed_in(gateway_worker).get(f"/referrals/{referral.ref}").content.decode()
    assert "Police information" in page and page.count("Not given") == 5


def test_fd1_issue20_a_schools_referral_has_no_police_section(
    school_dsl: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    referral = services.submit_referral(school_dsl, data=referral_data)
    page = signed_in(gateway_worker).get(f"/referrals/{referral.ref}").content.decode()
    assert "Police information" not in page


def test_fd1_issue20_the_police_supervisor_sees_the_facts_in_their_queue(
    settings: Any, cru_officer: User, cru_supervisor: User, referral_data: dict[str, Any]
) -> None:
    settings.TARIAN_POLICE_SUPERVISOR_REVIEW = True
    referral = _police_referral(cru_officer, referral_data)
    queue = signed_in(cru_supervisor).get("/referrals").content.decode()
    assert referral.ref in queue and "Domestic abuse" in queue
    page = signed_in(cru_supervisor).get(f"/referrals/{referral.ref}").content.decode()
    assert "NWP/24/118733" in page


def test_vc2_issue20_the_police_facts_are_labelled_in_welsh(
    cru_officer: User, gateway_worker: User, referral_data: dict[str, Any]
) -> None:
    referral = _police_referral(cru_officer, referral_data)
    page = signed_in(gateway_worker, "cy").get(f"/referrals/{referral.ref}").content.decode()
    assert "Gwybodaeth yr heddlu" in page
    assert "Cyfeirnod y drosedd neu&#x27;r digwyddiad" in page
    assert "Cam-drin domestig" in page and "Asesiad risg y swyddog" in page
    form = signed_in(cru_officer, "cy").get("/referrals/new").content.decode()
    assert "Oedd plant yn bresennol?" in form and "Esgeuluso plentyn neu greulondeb" in form


def test_is2_issue20_the_chronology_entry_names_the_incident_and_risk(
    cru_officer: User, gateway_worker: User, child: Person, referral_data: dict[str, Any]
) -> None:
    _police_referral(cru_officer, referral_data)
    page = signed_in(gateway_worker).get(f"/people/{child.ref}/chronology").content.decode()
    assert "Domestic abuse, risk: High." in page


def test_is4_issue20_the_subject_access_export_holds_the_police_facts(
    cru_officer: User, team_manager: User, child: Person, referral_data: dict[str, Any]
) -> None:
    _police_referral(cru_officer, referral_data)
    export = export_subject_access(team_manager, ref=child.ref)
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        [item] = json.loads(archive.read("record.json"))["referrals"]
    assert item["police"] == {
        "crime_reference": "NWP/24/118733",
        "public_protection_notice_reference": "PPN-2024-00417",
        "incident_type": "Domestic abuse",
        "risk_assessment": "High",
        "children_present": True,
        "children_seen": True,
        "protection_notice_considered": True,
        "protection_notice_outcome": "DVPN authorised by the duty superintendent and served.",
    }


def test_is1_issue20_a_restricted_childs_police_facts_are_withheld_in_the_queues(
    cru_officer: User, gateway_worker: User, team_manager: User, social_worker: User,
    child: Person, referral_data: dict[str, Any],
) -> None:
    referral = _police_referral(cru_officer, referral_data)
    restriction.set_restriction(
        team_manager, person=child, restricted=True,
        reason="The child's mother works in the Gateway team",
        named_usernames=[social_worker.username],
    )
    page = signed_in(gateway_worker).get("/referrals").content.decode()
    assert referral.ref in page and "Domestic abuse" not in page
    [listed] = api(gateway_worker).get("/api/v1/referrals").json()["results"]
    assert listed["withheld"] is True
    assert listed["crime_reference"] == "" and listed["incident_type"] == ""
    assert listed["children_present"] is None and listed["protection_notice_outcome"] == ""
