"""The permission matrix's tables (IS1): which probes prove each (record kind, action) cell
over pages and API, the cells nothing serves yet, the URLs that are not about a person's
record, and which (role, agency type) pairs are proved over HTTP. The tests are in
``test_permission_matrix.py`` (the matrix itself) and ``test_matrix_coverage.py`` (that the
tables cover every cell, URL, role and kind of agency).

Proving every one of the 168 role x agency-type pairs over HTTP takes minutes, so by default
each role is proved in its usual kind of agency, in every kind of agency a default rule names
for it, and in one other kind (rotating, so every kind of agency is used); ``scope_for`` is
still checked for every pair. ``TARIAN_FULL_MATRIX=1`` proves every pair over HTTP.
"""

from __future__ import annotations

import itertools
import os
import tomllib

from tarian.agencies.models import Action, AgencyType, RecordKind, RoleCode
from tarian.agencies.sharing import DEFAULT_RULES_FILE
from tests.security import probes
from tests.security import probes_front_door as door
from tests.security import probes_meetings as meets
from tests.security import probes_merging as merges
from tests.security.conftest import World, allowed
from tests.security.probes import Probe

ROLES: list[str] = list(RoleCode.values)
AGENCY_TYPES: list[str] = list(AgencyType.values)
RECORD_KINDS: list[str] = list(RecordKind.values)
ACTIONS: list[str] = list(Action.values)
FULL_MATRIX = os.environ.get("TARIAN_FULL_MATRIX", "") == "1"


P, K = RecordKind, Action
ENDPOINTS: dict[tuple[str, str], list[Probe]] = {
    (P.PERSON, K.READ): [
        Probe("web person page", ("GET web:person",), probes.web_person),
        Probe("API person", ("GET api:person",), probes.api_person),
        Probe("web chronology", ("GET web:chronology",), probes.web_chronology),
        Probe("API chronology", ("GET api:chronology",), probes.api_chronology),
        Probe(
            "web restricted record",
            ("GET web:person", "GET web:break_glass", "POST web:break_glass"),
            probes.web_restricted_record,
        ),
        Probe(
            "API restricted record",
            ("GET api:person", "POST api:break-glass"),
            probes.api_restricted_record,
        ),
    ],
    (P.PERSON, K.EXPORT): [
        Probe(
            "web subject access page", ("GET web:subject_access",), probes.web_subject_access_page
        ),
        Probe(
            "web subject access export",
            ("POST web:subject_access",),
            probes.web_subject_access_export,
        ),
    ],
    (P.PERSON, K.LIST): [
        Probe("web search", ("GET web:search",), probes.web_search),
        Probe("API search", ("GET api:people",), probes.api_search),
        Probe("API list", ("GET api:people",), probes.api_list),
        Probe("API match", ("GET api:match",), door.api_match),
        Probe("web match", ("GET web:match",), door.web_match),
    ],
    (P.PERSON, K.WRITE): [
        Probe("API create person", ("POST api:people",), probes.api_create_person, targeted=False),
        Probe(
            "web new person form",
            ("GET web:new_person",),
            probes.web_new_person_form,
            targeted=False,
        ),
        Probe("API update person", ("PATCH api:person",), probes.api_update_person),
        Probe("web edit form", ("GET web:edit_person",), probes.web_edit_form),
        Probe("web edit save", ("POST web:edit_person",), probes.web_edit_save),
        Probe("web autosave", ("POST web:autosave_person",), probes.web_autosave),
        Probe("web discard draft", ("POST web:discard_draft",), probes.web_discard),
    ],
    (P.INVOLVEMENT, K.READ): [
        Probe("API involvements", ("GET api:involvements",), probes.api_involvements),
        Probe("API person's involvements", ("GET api:person",), probes.api_person_involvements),
        Probe("web person's involvements", ("GET web:person",), probes.web_person_involvements),
    ],
    (P.INVOLVEMENT, K.WRITE): [
        Probe("API end involvement", ("POST api:involvement-end",), probes.api_end_involvement),
        Probe("API add involvement", ("POST api:involvements",), probes.api_add_involvement),
    ],
    (P.ACCESS_LOG, K.READ): [
        Probe("web who has viewed", ("GET web:person_viewed",), probes.web_viewed),
        Probe("API access log", ("GET api:access-log",), probes.api_access_log),
    ],
    (P.RECORD_HISTORY, K.READ): [
        Probe("web record history", ("GET web:person_history",), probes.web_history),
    ],
    (P.DOCUMENT, K.READ): [
        Probe("API documents", ("GET api:documents",), probes.api_documents),
        Probe("API document content", ("GET api:document-content",), probes.api_document_content),
        Probe("web document download", ("GET web:document",), probes.web_document),
    ],
    (P.DOCUMENT, K.WRITE): [
        Probe("API upload", ("POST api:documents",), probes.api_upload),
        Probe("web upload form", ("GET web:upload_document",), probes.web_upload_form),
        Probe("web upload", ("POST web:upload_document",), probes.web_upload),
    ],
    (P.RESTRICTION, K.WRITE): [
        Probe("web restriction form", ("GET web:restriction",), probes.web_restriction_form),
        Probe("web restriction save", ("POST web:restriction",), probes.web_restriction_save),
    ],
    (P.REFERRAL, K.WRITE): [
        Probe("web referral form", ("GET web:new_referral",), door.web_new_referral_form,
              targeted=False),
        Probe("web make referral", ("POST web:new_referral",), door.web_new_referral,
              targeted=False),
        Probe("web referral autosave", ("POST web:autosave_referral",),
              door.web_autosave_referral, targeted=False),
        Probe("API make referral", ("POST api:referrals",), door.api_new_referral,
              targeted=False),
        # The user's own referral, returned by their supervisor (only its referrer resubmits).
        Probe("web resubmit", ("POST web:resubmit",), door.web_resubmit, targeted=False),
        Probe("API resubmit", ("POST api:resubmit",), door.api_resubmit, targeted=False),
    ],
    (P.REFERRAL, K.READ): [
        Probe("web referral", ("GET web:referral",), door.web_referral),
        Probe("API referral", ("GET api:referral",), door.api_referral),
    ],
    (P.REFERRAL, K.LIST): [
        Probe("web referral queues", ("GET web:referrals",), door.web_referral_list),
        Probe("API referrals", ("GET api:referrals",), door.api_referral_list),
        Probe("API Gateway queue", ("GET api:referrals",), door.api_gateway_queue),
    ],
    (P.SUPERVISOR_REVIEW, K.WRITE): [
        Probe("web approve", ("POST web:approve",), door.web_approve),
        Probe("API approve", ("POST api:approve",), door.api_approve),
    ],
    (P.GATEWAY_DECISION, K.WRITE): [
        Probe("web decision", ("POST web:decide",), door.web_decide),
        Probe("API decision", ("POST api:decision",), door.api_decide),
        Probe("web send feedback again", ("POST web:send_feedback",), door.web_send_feedback),
        Probe("web confirm unseen child", ("POST web:link_unseen_child",),
              door.web_link_unseen_child),
        Probe("API confirm unseen child", ("POST api:unseen-child",),
              door.api_link_unseen_child),
    ],
    (P.DECISION_SIGN_OFF, K.WRITE): [
        Probe("web sign-off", ("POST web:sign_off",), door.web_sign_off),
        Probe("API sign-off", ("POST api:sign-off",), door.api_sign_off),
    ],
    (P.MERGE, K.LIST): [
        Probe("web possible duplicates", ("GET web:duplicates",), merges.web_duplicates),
        Probe("API possible duplicates", ("GET api:duplicates",), merges.api_duplicates),
    ],
    (P.MERGE, K.READ): [
        Probe("web pair side by side", ("GET web:duplicate",), merges.web_duplicate),
        Probe("web merges of a record", ("GET web:person_merges",), merges.web_person_merges),
    ],
    (P.MERGE, K.WRITE): [
        Probe("web merge", ("POST web:duplicate",), merges.web_merge),
        Probe("web not the same person", ("POST web:duplicate",), merges.web_not_same),
        Probe("web undo merge", ("POST web:person_merges",), merges.web_undo_merge),
        Probe("API merge", ("POST api:merge",), merges.api_merge),
        Probe("API undo merge", ("POST api:merge-undo",), merges.api_undo_merge),
        Probe("API not the same person", ("POST api:duplicate-not-same",), merges.api_not_same),
    ],
    # Issue 21: a meeting about the child, and the enquiries it started, read by the agencies
    # invited to it ("involved") or by every one with scope all; taking part (information,
    # dissent) likewise with meeting/write.
    (P.MEETING, K.READ): [
        Probe("API strategy meeting", ("GET api:strategy-meeting",), meets.api_meeting),
        Probe("API enquiry", ("GET api:enquiry",), meets.api_enquiry),
        Probe("web enquiry", ("GET web:enquiry",), meets.web_enquiry),
        Probe("web meeting", ("GET web:meeting",), meets.web_meeting),
        Probe("web minutes PDF", ("GET web:meeting_minutes_pdf",), meets.web_minutes_pdf),
    ],
    (P.MEETING, K.LIST): [
        Probe("web meetings", ("GET web:meetings",), meets.web_meeting_list),
    ],
    (P.MEETING, K.WRITE): [
        Probe("API dissent", ("POST api:strategy-meeting-dissents",), meets.api_dissent),
        Probe("API share information", ("POST api:strategy-meeting-information",),
              meets.api_share_information),
        Probe("web dissent", ("POST web:meeting_dissents",), meets.web_dissent),
        Probe("web share information", ("POST web:meeting_information",),
              meets.web_share_information),
    ],
    # The threshold guide (FD7) is about no one: its probes have no target child.
    (P.THRESHOLD_GUIDE, K.WRITE): [
        Probe("web threshold guide form", ("GET web:threshold_guide",),
              door.web_threshold_guide_form, targeted=False),
        Probe("web save threshold guide", ("POST web:threshold_guide",),
              door.web_threshold_guide_save, targeted=False),
    ],
}

# Cells nothing serves yet. Adding a page or endpoint for one means moving it to ENDPOINTS.
NO_ENDPOINT_YET: frozenset[tuple[str, str]] = frozenset(
    {
        (P.INVOLVEMENT, K.LIST),
        (P.INVOLVEMENT, K.EXPORT),
        (P.ACCESS_LOG, K.WRITE),  # the audit trail is append-only: never written by a person
        (P.ACCESS_LOG, K.LIST),
        (P.ACCESS_LOG, K.EXPORT),
        (P.RECORD_HISTORY, K.WRITE),
        (P.RECORD_HISTORY, K.LIST),
        (P.RECORD_HISTORY, K.EXPORT),
        # The restriction page is gated on restriction/write (with scope all), also to read it.
        (P.RESTRICTION, K.READ),
        (P.RESTRICTION, K.LIST),
        (P.RESTRICTION, K.EXPORT),
        (P.DOCUMENT, K.LIST),
        (P.DOCUMENT, K.EXPORT),
        (P.REFERRAL, K.EXPORT),
        # A referral's decision, sign-off and supervisor review are read and listed as part of
        # the referral (referral/read and referral/list); they have no pages of their own.
        (P.SUPERVISOR_REVIEW, K.READ),
        (P.SUPERVISOR_REVIEW, K.LIST),
        (P.SUPERVISOR_REVIEW, K.EXPORT),
        (P.GATEWAY_DECISION, K.READ),
        (P.GATEWAY_DECISION, K.LIST),
        (P.GATEWAY_DECISION, K.EXPORT),
        (P.DECISION_SIGN_OFF, K.READ),
        (P.DECISION_SIGN_OFF, K.LIST),
        (P.DECISION_SIGN_OFF, K.EXPORT),
        (P.MERGE, K.EXPORT),  # merges are read on the record's pages; nothing exports them
        # The threshold guide is read by everyone on the referral and decision forms (it holds
        # no personal data); its page is gated on threshold_guide/write, also to read it.
        (P.THRESHOLD_GUIDE, K.READ),
        (P.THRESHOLD_GUIDE, K.LIST),
        (P.THRESHOLD_GUIDE, K.EXPORT),
        # A meeting's minutes are a PDF read through the meeting (meeting/read).
        (P.MEETING, K.EXPORT),
    }
)

# URLs that are not about a person's record, so no sharing rule applies to them.
NOT_PERSON_LINKED: dict[str, str] = {
    # Issue 21: these follow a role rule on top of the meeting's sharing rule, proved with
    # their refusals in tests/meetings, tests/strategy and tests/enquiries: convening and
    # starting enquiries are for children's services; managing a meeting (invitations,
    # attendance, decisions, addenda, minutes) for its chair and convening agency; answering
    # for the invited agency; child seen and conclusion for the enquiry's lead agency (and the
    # police in joint enquiries).
    "api:strategy-meetings": "convening: children's services (tests/strategy)",
    "api:strategy-meeting-exclusions": "the chair and convening agency (tests/meetings)",
    "api:strategy-meeting-invitations": "the chair and convening agency (tests/meetings)",
    "api:strategy-meeting-answer": "the invited agency's own answer (tests/meetings)",
    "api:strategy-meeting-held": "the chair and convening agency (tests/meetings)",
    "api:strategy-meeting-decisions": "the chair and convening agency (tests/meetings)",
    "api:strategy-meeting-decisions-circulate": "the chair and convening agency",
    "api:strategy-meeting-addenda": "the chair and convening agency (tests/meetings)",
    "api:strategy-meeting-minutes": "the chair and convening agency (tests/meetings)",
    "api:strategy-meeting-minutes-approve": "the chair only (tests/meetings)",
    "api:enquiries": "starting enquiries: children's services (tests/enquiries)",
    "api:enquiry-child-seen": "the lead agency, and police in joint enquiries",
    "api:enquiry-outcome": "the lead agency (tests/enquiries)",
    "api:strategy-meeting-actions": "the chair and convening agency (tests/meetings)",
    "web:new_strategy_meeting": "convening: children's services (tests/meetings)",
    "web:meeting_answer": "the invited agency's own answer (tests/meetings)",
    "web:meeting_exclusions": "the chair and convening agency (tests/meetings)",
    "web:meeting_invitations": "the chair and convening agency (tests/meetings)",
    "web:meeting_held": "the chair and convening agency (tests/meetings)",
    "web:meeting_decisions": "the chair and convening agency (tests/meetings)",
    "web:meeting_decisions_circulate": "the chair and convening agency",
    "web:meeting_addenda": "the chair and convening agency (tests/meetings)",
    "web:meeting_minutes": "the chair and convening agency (tests/meetings)",
    "web:meeting_minutes_autosave": "the chair and convening agency (tests/meetings)",
    "web:meeting_minutes_approve": "the chair only (tests/meetings)",
    "web:meeting_cancel": "the chair and convening agency (tests/meetings)",
    "web:meeting_actions": "the chair and convening agency (tests/meetings)",
    "web:new_enquiry": "starting enquiries: children's services (tests/enquiries)",
    "web:enquiry_child_seen": "the lead agency, and police in joint enquiries (tests/enquiries)",
    "web:enquiry_conclude": "the lead agency (tests/enquiries)",
    "web:home": "the signed-in user's own start page",
    "web:login": "log-in",
    "web:logout": "log-out",
    "web:set_language": "language switch",
    "web:account": "the user's own account and API tokens",
    "web:revoke_token": "revoking one of the user's own tokens",
    "web:two_factor_setup": "the user's own second factor",
    "web:two_factor_verify": "the user's own second factor",
    "web:notifications": "messages addressed to the signed-in user only",
    "web:notifications_read": "marking the user's own messages read",
    "web:acknowledge_receipt": "acknowledging the user's (or agency's) receipt; another's 404",
    "api:receipt-acknowledge": "acknowledging the user's (or agency's) receipt; another's 404",
    "web:discard_saved_draft": "discarding the user's own draft (another's is 404)",
    "operations:health": "liveness check",
    "operations:ready": "readiness check",
    "api:schema": "the OpenAPI schema",
    # A professional challenge is read and acted on by the access rules of the decision it is
    # about, asked of the workflow that registered its kind (tarian.challenges.about), plus its
    # raiser; no sharing rule of its own applies. Its own tests prove the outsider's 404.
    "web:new_challenge": "a challenge's access is its decision's, asked of its workflow",
    "web:challenge": "a challenge's access is its decision's, asked of its workflow",
    "api:challenges": "a challenge's access is its decision's, asked of its workflow",
    "api:challenge": "a challenge's access is its decision's, asked of its workflow",
    "api:challenge-escalate": "a challenge's access is its decision's, asked of its workflow",
    "api:challenge-respond": "a challenge's access is its decision's, asked of its workflow",
    # SM3: an agreed action is read by its owner agency, its owner and whom its subject's
    # workflow allows (tarian.actions.selectors), never through the sharing rules of a
    # person's record; its own access tests are in tests/actions.
    "web:complete_action": "an agreed action: owner agency, owner, or its workflow's say",
    "api:actions": "the caller's own open agreed actions",
    "api:action": "an agreed action: owner agency, owner, or its workflow's say",
    "api:complete-action": "an agreed action: owner agency, owner, or its workflow's say",
    # QA1: the board's counts of clocks (no child identifiable): a role rule in
    # tarian.deadlines.timeliness (board members; children's services team managers), with
    # every other role's refusal proved in tests/deadlines/test_timeliness_dashboard.py.
    "web:timeliness": "counts only, no person: board members and children's services managers",
    "api:deadline-counts": "counts only, no person: board members and children's services managers",
}


# --- Which (role, agency type) pairs are proved over HTTP -----------------------------------

HOME_AGENCY_TYPE: dict[str, str] = {
    RoleCode.REFERRER: AgencyType.GP_PRACTICE,
    RoleCode.DSL: AgencyType.SCHOOL,
    RoleCode.GATEWAY_WORKER: AgencyType.CHILDRENS_SERVICES,
    RoleCode.SOCIAL_WORKER: AgencyType.CHILDRENS_SERVICES,
    RoleCode.TEAM_MANAGER: AgencyType.CHILDRENS_SERVICES,
    RoleCode.CRU_OFFICER: AgencyType.POLICE,
    RoleCode.CRU_SUPERVISOR: AgencyType.POLICE,
    RoleCode.HEALTH_PRACTITIONER: AgencyType.HEALTH,
    RoleCode.CONFERENCE_CHAIR: AgencyType.CHILDRENS_SERVICES,
    RoleCode.ALLEGATIONS_MANAGER: AgencyType.CHILDRENS_SERVICES,
    RoleCode.BOARD_MEMBER: AgencyType.BOARD,
    RoleCode.AUDITOR: AgencyType.BOARD,
    RoleCode.WHISTLEBLOWING_OFFICER: AgencyType.CHILDRENS_SERVICES,
    RoleCode.SYSTEM_ADMIN: AgencyType.CHILDRENS_SERVICES,
}


def types_named_in_default_rules() -> dict[str, set[str]]:
    """Per role, the kinds of agency the default rules file names (read without the database)."""
    named: dict[str, set[str]] = {role: set() for role in ROLES}
    for rule in tomllib.loads(DEFAULT_RULES_FILE.read_text())["rule"]:
        for role in rule["roles"]:
            named[role] |= {t for t in rule["agency_types"] if t != "*"}
    return named


def http_agency_types() -> dict[str, list[str]]:
    if FULL_MATRIX:
        return {role: AGENCY_TYPES for role in ROLES}
    named = types_named_in_default_rules()
    elsewhere = itertools.cycle(AGENCY_TYPES)
    picks: dict[str, list[str]] = {}
    for role in ROLES:
        home = HOME_AGENCY_TYPE.get(role, AgencyType.OTHER)
        other = next(t for t in elsewhere if t != home)
        picks[role] = sorted({home, other, *named[role]}, key=AGENCY_TYPES.index)
    return picks


HTTP_CELLS = [
    (role, agency_type, kind, action)
    for role, types in http_agency_types().items()
    for agency_type in types
    for kind, action in ENDPOINTS
]


def cell_id(cell: tuple[str, ...]) -> str:
    return "-".join(cell)


def wrong_answers(world: World, record_kind: str, action: str, scope: str) -> list[str]:
    """Run every probe of the cell against both children; describe each answer that is wrong."""
    wrong: list[str] = []
    for probe in ENDPOINTS[(record_kind, action)]:
        targets: list[bool | None] = [True, False] if probe.targeted else [None]
        for involved in targets:
            want = allowed(scope, involved)
            which = {True: "involved child", False: "other child", None: "no target"}[involved]
            try:
                got = probe.check(world, involved, scope)
            except AssertionError as exc:
                wrong.append(f"{probe.label} / {which}: {exc}")
                continue
            if got != want:
                wrong.append(
                    f"{probe.label} / {which}: scope {scope} should "
                    f"{'allow' if want else 'deny'}, but it was {'allowed' if got else 'denied'}"
                )
    return wrong


HTTP_METHODS = ("get", "post", "put", "patch", "delete")
