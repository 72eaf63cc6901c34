"""A meeting's pages (issue 21; SM1 to SM6): the list of meetings the reader may see, and one
meeting's record with the forms its reader may use.

The record page is built only from ``selectors.meeting_record`` (narrowed to the reader and
audited there) and what other mechanisms add (``extras.add_extras``: agreed actions and
circulation). A meeting the reader may not see is the site's 404 page, the same as one that
does not exist. The forms post to ``step_views``, which redirect back here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from tarian.agencies.access import can
from tarian.agencies.models import Action, Agency, RecordKind, User
from tarian.audit.models import AccessAction
from tarian.audit.services import record_accesses
from tarian.challenges.selectors import about_panels
from tarian.errors import Forbidden
from tarian.meetings import selectors
from tarian.meetings.extras import add_extras
from tarian.meetings.forms import (
    ActionForm,
    AddendumForm,
    AgencyReasonForm,
    AnswerForm,
    CancelForm,
    DecisionForm,
    DissentForm,
    HeldForm,
    MinutesForm,
    ShareForm,
)
from tarian.meetings.kinds import decision_list
from tarian.meetings.models import (
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingStatus,
    MinutesStatus,
)
from tarian.meetings.panels import panels_for
from tarian.meetings.registrations import DECISION_KIND
from tarian.people.selectors import people_for
from tarian.procedures.packs import current_pack
from tarian.web.refusals import user_of

PER_PAGE = 25
# The forms on a meeting's page, by name: each one's prefix, so no two share an element id.
FORMS: dict[str, type[forms.Form]] = {
    "answer": AnswerForm,
    "share": ShareForm,
    "exclude": AgencyReasonForm,
    "invite": AgencyReasonForm,
    "held": HeldForm,
    "decision": DecisionForm,
    "dissent": DissentForm,
    "addendum": AddendumForm,
    "minutes": MinutesForm,
    "action": ActionForm,
    "cancel": CancelForm,
}


def _label(list_name: str | None, code: str, language: str) -> str:
    """A code's label from a pack list, or the code itself when the pack has no such item."""
    if not list_name:
        return code
    try:
        return current_pack().label(list_name, code, language)
    except KeyError:
        return code


def kind_label(kind: str, language: str) -> str:
    return _label("meeting_kinds", kind, language)


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings the user may see: those not yet held first (soonest first), then held ones,
    then cancelled; the children named are only those whose records the reader may open."""
    user = user_of(request)
    if not can(user, RecordKind.MEETING, Action.READ):
        raise Forbidden("meeting:read")
    language = get_language() or "en"
    rank = Case(
        When(status=MeetingStatus.CONVENED, then=Value(0)),
        When(status=MeetingStatus.HELD, then=Value(1)),
        default=Value(2), output_field=IntegerField(),
    )
    meetings = (
        selectors.meetings_for(user)
        .select_related("convening_agency")
        .prefetch_related("children")
        .order_by(rank, F("scheduled_for").asc(nulls_last=True), "-convened_at", "-pk")
    )
    page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    shown: list[Meeting] = list(page.object_list)
    child_ids = {child.pk for meeting in shown for child in meeting.children.all()}
    visible = set(
        people_for(user).filter(pk__in=child_ids).values_list("pk", flat=True)
    ) if child_ids else set()
    own: dict[int, Invitation] = {}
    if shown and user.agency_id is not None:
        own = {
            invitation.meeting_id: invitation
            for invitation in Invitation.objects.filter(
                meeting__in=[m.pk for m in shown], agency_id=user.agency_id
            )
        }
    rows = []
    named: list[tuple[int, int]] = []
    for meeting in shown:
        children = [c for c in meeting.children.all() if c.pk in visible]
        named += [(child.pk, meeting.pk) for child in children]
        rows.append({
            "meeting": meeting,
            "kind": kind_label(meeting.kind, language),
            "children": children,
            "hidden_children": len(meeting.children.all()) - len(children),
            "invitation": own.get(meeting.pk),
            "is_convener": meeting.convening_agency_id == user.agency_id,
        })
    if named:
        # IS4: the list names children; one access event each, about the meeting naming them.
        record_accesses(
            user, action=AccessAction.LIST, record_kind=RecordKind.MEETING,
            person_ids=[pk for pk, _m in named], record_ids=[str(m) for _p, m in named],
        )
    return render(request, "meetings/meeting_list.html", {"rows": rows, "page": page})


def _options(record: selectors.MeetingRecord, language: str) -> dict[str, Any]:
    """What the page's selects, checkboxes and radios offer."""
    meeting = record.meeting
    invited = [i for i in record.invitations if i.is_invited]
    list_name = decision_list(meeting.kind)
    pack = current_pack()
    decisions = [
        (item.code, item.label(language), item.description(language) or "")
        for item in (pack.list(list_name) if list_name else [])
    ]
    leave_out = [
        (str(i.agency_id), i.agency.display_name(language)) for i in invited
        if i.agency_id != meeting.convening_agency_id
    ]
    return {
        "decision_choices": decisions,
        "leave_out_agencies": leave_out,
        "attended_agencies": [(str(i.agency_id), i.agency.display_name(language))
                              for i in invited],
        "children_options": [(child.ref, f"{child.full_name} ({child.ref})")
                             for child in record.children],
        "decision_options": [(str(d.pk), _label(d.list_name, d.code, language)
                              + f" ({d.recorded_at:%d/%m/%Y %H:%M})")
                             for d in record.decisions],
    }


def _invitable(record: selectors.MeetingRecord, language: str) -> list[tuple[str, str]]:
    """Active agencies not invited yet (one left out may be invited again)."""
    taking_part = {i.agency_id for i in record.invitations if i.is_invited}
    agencies = Agency.objects.filter(is_active=True).exclude(pk__in=taking_part)
    return sorted(
        ((str(a.pk), a.display_name(language)) for a in agencies), key=lambda pair: pair[1]
    )


def _action_owners(
    record: selectors.MeetingRecord, language: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """SM3: who may own an agreed action: the agencies invited (not left out), and the active
    people of those agencies (one statement), each named with their agency."""
    invited = [i for i in record.invitations if i.is_invited]
    names = {i.agency_id: i.agency.display_name(language) for i in invited}
    people = User.objects.filter(agency_id__in=list(names), is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    return (
        sorted(((str(pk), name) for pk, name in names.items()), key=lambda pair: pair[1]),
        [(person.username,
          f"{person.get_full_name() or person.username} ({names[person.agency_id]})")
         for person in people if person.agency_id is not None],
    )


def _shown_forms(
    record: selectors.MeetingRecord, given: dict[str, forms.Form]
) -> dict[str, forms.Form | None]:
    """Each form, to those allowed to use it; ``given`` is one coming back with its errors."""
    meeting = record.meeting
    open_ = meeting.status != MeetingStatus.CANCELLED
    own = record.own_invitation
    minutes = record.minutes
    allowed = {
        "answer": open_ and own is not None and own.is_invited
        and own.agency_id != meeting.convening_agency_id,
        "share": open_ and record.takes_part,
        "exclude": open_ and record.may_manage,
        "invite": open_ and record.may_manage,
        "held": record.may_manage and meeting.status == MeetingStatus.CONVENED,
        "decision": open_ and record.may_manage and decision_list(meeting.kind) is not None,
        "dissent": open_ and record.takes_part,
        "addendum": record.may_manage,
        "minutes": record.may_manage
        and (minutes is None or minutes.status == MinutesStatus.DRAFTED),
        "action": open_ and record.may_manage,
        "cancel": record.may_manage and meeting.status == MeetingStatus.CONVENED,
    }
    initial: dict[str, dict[str, Any]] = {
        "minutes": {
            "text": minutes.text if minutes else "",
            "translation": minutes.translation if minutes else "",
            "language": minutes.language if minutes else (get_language() or "en"),
            "version": minutes.version if minutes else "",
        },
        "answer": {"status": own.status if own and own.status in (
            InvitationStatus.ACCEPTED, InvitationStatus.DECLINED,
            InvitationStatus.SENT_INFORMATION) else ""},
    }
    shown: dict[str, forms.Form | None] = {}
    for name, form_class in FORMS.items():
        if name in given:
            shown[name] = given[name]
        elif allowed[name]:
            shown[name] = form_class(prefix=name, initial=initial.get(name))
        else:
            shown[name] = None
    return shown


def record_page(
    request: HttpRequest, meeting_id: int, *, given: dict[str, forms.Form] | None = None,
    status: int = 200, conflict_text: str | None = None,
) -> HttpResponse:
    """The meeting's record as the reader may see it, with the forms they may use."""
    user = user_of(request)
    record = selectors.meeting_record(user, meeting_id)
    add_extras(user, record)
    language = get_language() or "en"
    meeting = record.meeting
    shown = _shown_forms(record, given or {})
    failed = next((form for form in (given or {}).values() if form.errors), None)
    minutes_text, minutes_language = record.minutes.text_for(language) if record.minutes else (
        "", language)
    list_name = decision_list(meeting.kind)
    challenges = about_panels(user, DECISION_KIND, [str(d.pk) for d in record.decisions])
    return render(
        request,
        "meetings/meeting.html",
        {
            "record": record,
            "meeting": meeting,
            "kind": kind_label(meeting.kind, language),
            "language": language,
            "forms": shown,
            "failed": failed,
            # Each decision with its professional challenges (PC1): one read for them all.
            "decisions": [(d, _label(d.list_name or list_name, d.code, language),
                           challenges.get(str(d.pk))) for d in record.decisions],
            "dissents": [(d, _label(d.decision.list_name, d.decision.code, language)
                          if d.decision else "") for d in record.dissents],
            "actions": record.extra.get("actions") or [],
            "circulation": record.extra.get("circulation") or [],
            "clocks": record.extra.get("clocks") or [],
            "minutes_text": minutes_text,
            "minutes_language": minutes_language,
            "may_approve": record.is_chair and record.minutes is not None
            and record.minutes.status == MinutesStatus.DRAFTED
            and meeting.status == MeetingStatus.HELD,
            "may_circulate": record.may_manage and bool(record.decisions)
            and meeting.status != MeetingStatus.CANCELLED,
            "invitable": _invitable(record, language) if shown["invite"] else [],
            **_action_choices(record, language, shown["action"] is not None),
            "panels": panels_for(user, record),
            "conflict_text": conflict_text,
            **_options(record, language),
        },
        status=status,
    )


def _action_choices(
    record: selectors.MeetingRecord, language: str, shown: bool
) -> dict[str, list[tuple[str, str]]]:
    if not shown:
        return {"action_agencies": [], "action_owners": []}
    agencies, owners = _action_owners(record, language)
    return {"action_agencies": agencies, "action_owners": owners}


@require_GET
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    return record_page(request, pk)


@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as a PDF (approved, or the draft marked "Draft"), audited like the page."""
    from tarian.meetings.minutes_pdf import minutes_pdf as build

    record = selectors.meeting_record(user_of(request), pk)
    language = get_language() or "en"
    content = build(record, kind=kind_label(record.meeting.kind, language), language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="minutes-{record.meeting.reference}.pdf"'
    )
    return response
