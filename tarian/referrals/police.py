"""The police facts on a referral a police officer makes (#20 item 9; FD1, FD3, PP2).

A police referrer gives the crime or incident reference or the public protection notice (PPN)
reference, the type of incident and their risk assessment (both from the procedures pack's
lists), and whether children were present and, if so, seen. In domestic abuse they say whether
a protection notice (DVPN or DAPN) was considered, and what came of it or why not (PP2).

The referral form asks all of this of police users and refuses a referral without it
(``clean_police_facts(..., required=True)``). A partner system built to the API contract
before these were asked for may leave them out: its referral is accepted and the Gateway sees
what is missing (``missing_facts``). Anyone else's referral does not record them: a value sent
by a non-police referrer is refused, naming the field, rather than kept where nobody asked.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import Agency, AgencyType, User
from tarian.core.untrusted import NUL
from tarian.procedures.packs import current_pack
from tarian.referrals.models import POLICE_REFERENCE_LENGTH, Referral

DOMESTIC_ABUSE = "domestic_abuse"
# How long the protection notice's outcome (or the reason none was considered) may be.
PROTECTION_NOTICE_OUTCOME_LENGTH = 2000

REFERENCES = ("crime_reference", "public_protection_notice_reference")
CODES = (("incident_type", "police_incident_types"), ("police_risk_level", "police_risk_levels"))
ANSWERS = ("children_present", "children_seen", "protection_notice_considered")
FIELDS = (*REFERENCES, "incident_type", "police_risk_level", *ANSWERS,
          "protection_notice_outcome")


def is_police(agency: Agency | None) -> bool:
    return agency is not None and agency.type == AgencyType.POLICE


def is_police_referral(referral: Referral) -> bool:
    return is_police(referral.referrer_agency)


def _words() -> dict[str, str]:
    pack, language = current_pack(), get_language() or "en"
    return {
        "ppn": pack.term("public_protection_notice_name", language),
        "notice": pack.term("protection_notice_name", language),
    }


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text(
    data: dict[str, Any], name: str, length: int, errors: dict[str, list[str]]
) -> str:
    """Free text kept as typed, trimmed; refused (naming the field) when it is not text, holds
    a NUL or is longer than ``length``."""
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = [_("Enter text")]
        return ""
    value = value.strip()
    if NUL in value:
        errors[name] = [_("Remove the character that cannot be stored (a NUL)")]
    elif len(value) > length:
        errors[name] = [
            _("Enter %(length)s characters or fewer (this has %(given)s)")
            % {"length": length, "given": len(value)}
        ]
    return value


def _answer(data: dict[str, Any], name: str, errors: dict[str, list[str]]) -> bool | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    errors[name] = [_("Answer yes or no")]
    return None


def clean_police_facts(
    user: User, data: dict[str, Any], *, required: bool
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The police facts of ``data`` and the problems with them, each named by its field.
    ``required``: refuse a police referral that leaves one out (the referral form)."""
    errors: dict[str, list[str]] = {}
    blank: dict[str, Any] = {
        "crime_reference": "", "public_protection_notice_reference": "",
        "incident_type": "", "police_risk_level": "", "children_present": None,
        "children_seen": None, "protection_notice_considered": None,
        "protection_notice_outcome": "",
    }
    if not is_police(user.agency):
        for name in FIELDS:
            if _given(data.get(name)):
                errors[name] = [
                    _("Only a police officer's %(report)s records this: leave it out")
                    % {"report": current_pack().term("report_name", get_language() or "en")}
                ]
        return blank, errors

    words = _words()
    pack = current_pack()
    clean = dict(blank)
    for name in REFERENCES:
        clean[name] = _text(data, name, POLICE_REFERENCE_LENGTH, errors)
    if required and not any(clean[name] for name in REFERENCES) and not (
        set(REFERENCES) & set(errors)
    ):
        errors["crime_reference"] = [
            _("Enter the crime or incident reference, or the %(ppn)s reference") % words
        ]
    for name, list_name in CODES:
        value = data.get(name)
        if not _given(value):
            if required:
                errors[name] = [
                    _("Choose the type of incident") if name == "incident_type"
                    else _("Choose your risk assessment level")
                ]
            continue
        codes = pack.codes(list_name)
        if not isinstance(value, str) or value.strip() not in codes:
            errors[name] = [_("Choose one of: %(values)s") % {"values": ", ".join(codes)}]
            continue
        clean[name] = value.strip()
    for name in ANSWERS:
        clean[name] = _answer(data, name, errors)
    if clean["children_present"] is None and required and "children_present" not in errors:
        errors["children_present"] = [_("Say whether children were present")]
    if clean["children_present"] is False:
        clean["children_seen"] = None  # nobody to see
    elif clean["children_present"] and clean["children_seen"] is None and required and (
        "children_seen" not in errors
    ):
        errors["children_seen"] = [_("Say whether the officers saw the children")]
    clean["protection_notice_outcome"] = _text(
        data, "protection_notice_outcome", PROTECTION_NOTICE_OUTCOME_LENGTH, errors
    )
    if clean["incident_type"] == DOMESTIC_ABUSE and required:
        if clean["protection_notice_considered"] is None and (
            "protection_notice_considered" not in errors
        ):
            errors["protection_notice_considered"] = [
                _("Say whether a %(notice)s was considered") % words
            ]
        if not clean["protection_notice_outcome"] and "protection_notice_outcome" not in errors:
            errors["protection_notice_outcome"] = [
                _("Say what came of it, or why a notice was not considered")
            ]
    return clean, errors


def missing_facts(referral: Referral) -> list[str]:
    """The fields a police referral should have and does not (one sent by a partner system
    built before they were asked for): the Gateway sees them as not given. Empty for any
    other agency's referral."""
    if not is_police_referral(referral):
        return []
    missing = []
    if not referral.crime_reference and not referral.public_protection_notice_reference:
        missing.append("crime_reference")
    missing += [name for name, _list in CODES if not getattr(referral, name)]
    if referral.children_present is None:
        missing.append("children_present")
    elif referral.children_present and referral.children_seen is None:
        missing.append("children_seen")
    if referral.incident_type == DOMESTIC_ABUSE:
        if referral.protection_notice_considered is None:
            missing.append("protection_notice_considered")
        if not referral.protection_notice_outcome:
            missing.append("protection_notice_outcome")
    return missing


def _label(list_name: str, code: str, language: str) -> str:
    """A code as the pack names it; the code itself if the pack no longer has it."""
    if not code:
        return ""
    try:
        return current_pack().label(list_name, code, language)
    except KeyError:
        return code


def _yes_no(answer: bool | None) -> str:
    return "" if answer is None else (_("Yes") if answer else _("No"))


def facts_shown(referral: Referral, language: str) -> list[dict[str, Any]] | None:
    """The "Police information" rows of a police referral's page (the Gateway's view): each
    ``label``, ``value`` as typed or as the pack names it, and ``missing`` where a fact the
    officer should give was not (None for any other agency's referral)."""
    if not is_police_referral(referral):
        return None
    pack = current_pack()
    missing = set(missing_facts(referral))
    words = {
        "ppn": pack.term("public_protection_notice_name", language),
        "notice": pack.term("protection_notice_name", language),
    }
    rows = [
        ("crime_reference", _("Crime or incident reference"), referral.crime_reference),
        ("public_protection_notice_reference", _("%(ppn)s reference") % words,
         referral.public_protection_notice_reference),
        ("incident_type", _("Type of incident"),
         _label("police_incident_types", referral.incident_type, language)),
        ("police_risk_level", _("Officer's risk assessment"),
         _label("police_risk_levels", referral.police_risk_level, language)),
        ("children_present", _("Children present"), _yes_no(referral.children_present)),
    ]
    if referral.children_present is not False:
        rows.append(("children_seen", _("Children seen by officers"),
                     _yes_no(referral.children_seen)))
    notice_given = referral.protection_notice_considered is not None
    if referral.incident_type == DOMESTIC_ABUSE or notice_given:
        rows += [
            ("protection_notice_considered", _("%(notice)s considered") % words,
             _yes_no(referral.protection_notice_considered)),
            ("protection_notice_outcome", _("What came of it, or why not"),
             referral.protection_notice_outcome),
        ]
    # Either reference will do: the one not given is only missing when neither is.
    if "crime_reference" in missing:
        missing.add("public_protection_notice_reference")
    return [
        {"name": name, "label": capfirst(label), "value": value, "missing": name in missing}
        for name, label, value in rows
    ]


def incident_marker(referral: Referral, language: str) -> str:
    """A queue's short marker for a police referral: its incident type as the pack names it
    ("" when none was given or the referral is not the police's)."""
    if not referral.incident_type or not is_police_referral(referral):
        return ""
    return _label("police_incident_types", referral.incident_type, language)


def disclosed(referral: Referral) -> dict[str, Any] | None:
    """A police referral's facts for a subject access export, in English as the export is
    (None for any other agency's referral)."""
    if not is_police_referral(referral):
        return None
    return {
        "crime_reference": referral.crime_reference,
        "public_protection_notice_reference": referral.public_protection_notice_reference,
        "incident_type": _label("police_incident_types", referral.incident_type, "en"),
        "risk_assessment": _label("police_risk_levels", referral.police_risk_level, "en"),
        "children_present": referral.children_present,
        "children_seen": referral.children_seen,
        "protection_notice_considered": referral.protection_notice_considered,
        "protection_notice_outcome": referral.protection_notice_outcome,
    }


def chronology_note(referral: Referral, language: str) -> str:
    """What a police referral's chronology entry starts with: its incident type and the
    officer's risk assessment ("Domestic abuse, risk: High"), "" when neither was given."""
    if not is_police_referral(referral):
        return ""
    incident = _label("police_incident_types", referral.incident_type, language)
    risk = _label("police_risk_levels", referral.police_risk_level, language)
    if incident and risk:
        return _("%(incident)s, risk: %(risk)s") % {"incident": incident, "risk": risk}
    return incident or (_("Risk: %(risk)s") % {"risk": risk} if risk else "")
