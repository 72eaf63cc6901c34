"""Example requests a partner system built to the API contract sends (#20, "Partner systems keep
working").

Each carries only fields that ``../shared/API-CONTRACT.md`` (the partnership's API contract, v1,
"Resources the front door needs") names for its request, and ``docs/api.md`` ("Example requests
a partner system sends") shows the same text, character for character, so that the contract
test posts exactly what such a system sends. Tests check both: the fields against the contract
and the text against the docs.
"""

from __future__ import annotations

# The person id, agency slug and referral id the examples name, which the test makes exist.
CHILD_ID = "T7K3M9Q2X"
AGENCY_SLUG = "ysgol-aberwen"

PERSON = """{"kind": "child", "given_name": "Ela", "family_name": "Bakr", "other_names": [],
 "date_of_birth": "2016-03-04", "sex": "female", "nhs_number": "", "upn": "",
 "ethnicity": "not_stated", "first_language": "cy",
 "address": {"line1": "3 Lôn Las", "town": "Aberwen", "postcode": "LL77 7AB"}}"""

INVOLVEMENT = """{"agency": "ysgol-aberwen", "role": "school", "professional": "Mrs Gwen Hughes",
 "start_date": "2024-09-02"}"""

REFERRAL = """{"children": ["T7K3M9Q2X"],
 "concern": "Ela came to school with bruising to her arm and said her dad grabbed her.",
 "voice_of_child": "'Dad was cross and grabbed me.'",
 "parental_awareness": "not_told_risk", "consent": "not_sought",
 "strengths": "Her grandmother lives nearby and Ela is close to her.", "priority": "high"}"""

DECISION = """{"outcome": "strategy_discussion",
 "rationale": "Disclosure of physical harm by a parent with visible bruising: reasonable cause to suspect significant harm, so a strategy discussion is needed today."}"""  # noqa: E501 - verbatim

EXAMPLES = {
    "POST /api/v1/people": PERSON,
    "POST /api/v1/people/{id}/involvements": INVOLVEMENT,
    "POST /api/v1/referrals": REFERRAL,
    "POST /api/v1/referrals/{id}/decision": DECISION,
}
