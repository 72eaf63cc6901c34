"""Front-door pages: make a referral, the queues, a referral with its decision (FD1-FD6)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tarian.agencies.access import can
from tarian.agencies.models import Action, RecordKind
from tarian.drafts import services as drafts
from tarian.drafts.selectors import REFERRAL, draft_rows
from tarian.errors import Conflict, Forbidden, Refused
from tarian.meetings.models import MeetingStatus
from tarian.meetings.selectors import meetings_for
from tarian.people.selectors import REF_PATTERN, chosen_people, living_with, related_to
from tarian.procedures.packs import current_pack
from tarian.referrals import feedback, police, reviews, selectors, services, unseen, words
from tarian.referrals.forms import (
    DECIDE,
    RETURN,
    DecisionForm,
    ManagersDecisionForm,
    ReferralForm,
    ResubmitForm,
    ReturnDecisionForm,
    ReturnReferralForm,
    SignOffWithCommentForm,
    UnseenLinkForm,
)
from tarian.referrals.models import Referral, ReferralStatus
from tarian.referrals.threshold import current_guide, level_title, threshold_guide
from tarian.referrals.whole_child import whole_child
from tarian.web.forms import add_refusal
from tarian.web.refusals import user_of

DRAFT_FORM = REFERRAL
MATCH_INPUTS = ("match_given_name", "match_family_name", "dob_day", "dob_month", "dob_year",
                "match_postcode", "match_nhs_number")


def _draft_subject(value: str) -> str | None:
    """What a referral draft is about: the Tarian ID of the child it was begun from, or ""
    for one begun without a child; None when the value is neither."""
    subject = value.strip().upper()
    return subject if not subject or REF_PATTERN.match(subject) else None


def _not_an_id(field: str) -> HttpResponse:
    return HttpResponseBadRequest(
        _("“%(field)s” must be a Tarian ID, for example T7K3M9Q2X.") % {"field": field},
        content_type="text/plain; charset=utf-8",
    )


@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest) -> HttpResponse:
    """Make a referral. Its draft is kept by what it is about (issue 18): opened from a child's
    record (``?child=``) it is that child's draft; ``?about=`` resumes a draft (``about=`` one
    begun without a child), and with ``&child=`` adds a child to it (back from recording one,
    or from "is the child known?"). One child's draft never fills in another's form."""
    user = user_of(request)
    if not can(user, RecordKind.REFERRAL, Action.WRITE):
        raise Forbidden("referral:write")
    restored = None
    if request.method == "POST":
        subject = _draft_subject(request.POST.get("about", ""))
        if subject is None:
            return _not_an_id("about")
        if request.POST.get("change"):
            return _changed(request, subject)
        form = ReferralForm(request.POST, police=police.is_police(user.agency))
        if form.is_valid():
            try:
                # The form asks how the child's voice was captured (VC1); only a partner
                # system, built to the API contract, may leave it out (#20).
                # A police user is asked for the police facts, and must give them (#20 item 9).
                referral = services.submit_referral(
                    user, data=form.service_data(), require_voice_method=True,
                    require_police_facts=True,
                )
            except Refused as refused:
                # A child the referrer could not see is one line of the form (#20 item 8).
                errors: dict[str, list[str]] = {}
                for name, said in refused.errors.items():
                    field = unseen.FIELD if name.startswith(unseen.FIELD) else name
                    errors.setdefault(field, []).extend(said)
                add_refusal(form, Refused(errors))
            else:
                drafts.discard_draft(user, form=DRAFT_FORM, subject=subject)
                messages.success(request, _sent(referral))
                return HttpResponseRedirect(reverse("web:referral", args=[referral.ref]))
    else:
        field = "about" if "about" in request.GET else "child"
        subject = _draft_subject(request.GET.get(field, ""))
        adding = _draft_subject(request.GET.get("child", ""))
        if subject is None or adding is None:
            return _not_an_id(field if subject is None else "child")
        restored = drafts.load_draft(user, form=DRAFT_FORM, subject=subject)
        initial: dict[str, Any] = {"children": subject}
        if restored is not None:
            initial = {k: v[0] if len(v) == 1 else v for k, v in restored.data.items()}
        if adding:
            chosen = [c.strip() for c in str(initial.get("children", "")).split(",") if c.strip()]
            if adding not in chosen:
                chosen.append(adding)
            initial["children"] = ", ".join(chosen)
        initial["about"] = subject
        form = ReferralForm(initial=initial, police=police.is_police(user.agency))
    return _form_page(request, form, subject=subject, restored=restored)


def _ids(value: object) -> list[str]:
    return [c.strip().upper() for c in str(value or "").split(",") if c.strip()]


def _form_page(
    request: HttpRequest, form: ReferralForm, *, subject: str, restored: Any = None,
    status: int = 200,
) -> HttpResponse:
    """The referral form, with the children and household members chosen shown by name, the
    household on the record offered to add with one click, and the children the referrer
    could not see as they described them (#20 item 8)."""
    user = user_of(request)
    refs = _ids(form["children"].value())
    household = _ids(form["household"].value())
    offered = living_with(user, refs) if refs else []
    living = {p.pk for p in offered}
    relatives = [p for p in related_to(user, refs) if p.pk not in living] if refs else []
    return render(
        request,
        "referrals/referral_new.html",
        {"form": form, "guide": threshold_guide(), "restored": restored,
         "about": subject, "here": request.get_full_path(),
         "chosen_children": chosen_people(user, refs),
         "chosen_household": chosen_people(user, household),
         "known_household": [p for p in offered if p.ref not in household],
         "known_relatives": [p for p in relatives if p.ref not in household],
         "unseen_children": unseen.form_rows(form["unseen_children"].value()),
         # What was typed in "is the child already known?", kept when the page comes back.
         "typed": {name: request.POST.get(name, "")[:100] for name in MATCH_INPUTS}
         if request.method == "POST" else {},
         "language": get_language() or "en"},
        status=status,
    )


def _changed(request: HttpRequest, subject: str) -> HttpResponse:
    """A change to who the referral is about, without sending it (#20 item 8): a child added
    from the match panel or removed, a household member added from the record with one click
    or removed, a child the referrer could not see added by the panel's handle or removed.
    What was typed is kept, and saved as the draft."""
    user = user_of(request)
    data = request.POST.copy()
    action, _sep, value = str(data.get("change", "")).partition(":")
    lists = {"child": "children", "household": "household"}
    verb, _sep, kind = action.partition("_")
    problem = ""
    if kind in lists and REF_PATTERN.match(value.strip().upper()):
        chosen = [r for r in _ids(data.get(lists[kind])) if r != value.strip().upper()]
        if verb == "add":
            chosen.append(value.strip().upper())
        data[lists[kind]] = ", ".join(chosen)
    elif kind == "unseen":
        rows = unseen.form_rows(data.get("unseen_children"))
        if verb == "add":
            try:
                rows = unseen.add_from_panel(
                    user, rows, handle=value, given_name=data.get("match_given_name", ""),
                    family_name=data.get("match_family_name", ""),
                    date_of_birth=_typed_birth(data),
                )
            except Refused as refused:
                problem = refused.errors[unseen.FIELD][0]
        else:
            rows = [row for index, row in enumerate(rows) if str(index) != value]
        data["unseen_children"] = json.dumps(rows) if rows else ""
    drafts.save_draft(user, form=DRAFT_FORM, subject=subject, data=drafts.form_data(data))
    initial = {k: v[0] if len(v) == 1 else v for k, v in drafts.form_data(data).items()}
    form = ReferralForm(initial=initial, police=police.is_police(user.agency))
    if problem:
        # Said on the form (bound with what was typed, so that nothing is lost).
        form = ReferralForm(data, police=police.is_police(user.agency))
        form.errors.clear()
        form.add_error("unseen_children", problem)
    return _form_page(request, form, subject=subject, status=400 if problem else 200)


def _typed_birth(data: Any) -> dt.date | None:
    try:
        return dt.date(int(data.get("dob_year", "")), int(data.get("dob_month", "")),
                       int(data.get("dob_day", "")))
    except (TypeError, ValueError, OverflowError):
        return None


def _sent(referral: Referral) -> str:
    """The referrer's confirmation; out of hours it says who covers the referral (#20). A
    police referral waiting for the officer's supervisor says so: it has not reached the
    Gateway yet (#20)."""
    if referral.status == ReferralStatus.AWAITING_SUPERVISOR:
        return _sent_to_supervisor(referral)
    sent = capfirst(_("%(report)s %(ref)s has been sent.") % {
        "ref": referral.ref, **words.pack_words()
    })
    cover = selectors.out_of_hours_cover(referral)
    if cover is None:
        return sent
    return " ".join([sent, _covered_by(cover)])


def _sent_to_supervisor(referral: Referral) -> str:
    return capfirst(_(
        "%(report)s %(ref)s has been sent to your supervisor. It goes to the Gateway when "
        "they approve it; if they return it to you, you will be told why."
    ) % {"ref": referral.ref, **words.pack_words()})


def _covered_by(cover: selectors.OutOfHoursCover) -> str:
    name = cover.display_name(get_language() or "en")
    if cover.phone:
        return _("It arrived out of office hours: %(team)s covers it (%(phone)s). If a child "
                 "is in immediate danger, call 999.") % {"team": name, "phone": cover.phone}
    return _("It arrived out of office hours: %(team)s covers it. If a child is in immediate "
             "danger, call 999.") % {"team": name}


@require_POST
def autosave_referral(request: HttpRequest) -> HttpResponse:
    """htmx: keep what the user has typed so far, as the draft about the form's subject."""
    user = user_of(request)
    if not can(user, RecordKind.REFERRAL, Action.WRITE):
        raise Forbidden("referral:write")
    subject = _draft_subject(request.POST.get("about", ""))
    if subject is None:
        return _not_an_id("about")
    draft = drafts.save_draft(
        user, form=DRAFT_FORM, subject=subject, data=drafts.form_data(request.POST)
    )
    return render(
        request, "drafts/_draft_status.html", {"saved_at": timezone.localtime(draft.saved_at)}
    )


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not can(user, RecordKind.REFERRAL, Action.LIST):
        raise Forbidden("referral:list")
    lists = selectors.referral_lists(user)
    may_refer = can(user, RecordKind.REFERRAL, Action.WRITE)
    return render(
        request,
        "referrals/referral_list.html",
        {
            "gateway": lists.gateway,
            "supervisor": lists.supervisor,
            "awaiting_sign_off": lists.awaiting_sign_off,
            "feedback_overdue": lists.feedback_overdue,
            "recent": lists.recent,
            "may_refer": may_refer,
            "drafts": draft_rows(user, forms=(REFERRAL,)) if may_refer else [],
        },
    )


def _detail(
    request: HttpRequest, page: selectors.ReferralPage, *,
    decision_form: DecisionForm | None = None,
    sign_off_form: SignOffWithCommentForm | None = None,
    return_form: ReturnDecisionForm | None = None,
    managers_form: ManagersDecisionForm | None = None,
    return_referral_form: ReturnReferralForm | None = None,
    unseen_form: tuple[int, UnseenLinkForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = user_of(request)
    referral, decision = page.referral, page.decision
    children, household = selectors.named_people(user, referral)
    pack = current_pack()
    language = get_language() or "en"
    guide = current_guide()
    levels = guide.in_use()
    version = {"version": referral.version}
    reviewing = page.may_sign_off
    labels = ResubmitForm(police=True) if any(r.changes for r in page.reviews) else None
    return render(
        request,
        "referrals/referral.html",
        {
            "referral": referral,
            "children": children,
            "household": household,
            "decision": decision,
            "outcome_label": pack.label("gateway_outcomes", decision.outcome, language)
            if decision else "",
            "priority_label": pack.label("referrer_priorities", referral.priority, language),
            "police_facts": police.facts_shown(referral, language),
            "history": whole_child(user, referral) if page.shows_history else [],
            "guide": levels,
            "language": language,
            "level_title": level_title(decision.threshold_level, language, guide)
            if decision and decision.threshold_level else "",
            "asks_risk_analysis": services.asks_risk_analysis(referral),
            "decision_form": decision_form
            or (DecisionForm(initial=version, levels=levels) if page.may_decide else None),
            "sign_off_form": sign_off_form
            or (SignOffWithCommentForm(initial=version) if reviewing else None),
            "return_form": return_form
            or (ReturnDecisionForm(initial=version) if reviewing else None),
            "managers_form": managers_form
            or (ManagersDecisionForm(initial=version, levels=levels) if reviewing else None),
            "return_referral_form": return_referral_form
            or (ReturnReferralForm(initial=version) if page.may_approve else None),
            "may_resubmit": page.may_resubmit,
            "reviews": [
                (review, pack.label("gateway_outcomes", review.earlier_decision["outcome"],
                                    language) if review.earlier_decision else "",
                 labels.changes_shown(review.changes) if labels and review.changes else [])
                for review in page.reviews
            ],
            "is_referrer": referral.referrer_id == user.pk,
            "shows_manager_comment": page.shows_manager_comment,
            "may_approve": page.may_approve,
            "feedback_clock": page.feedback_clock,
            "decision_clock": page.decision_clock,
            "out_of_hours": _covered_by(page.out_of_hours) if page.out_of_hours else "",
            "may_send_feedback": page.may_send_feedback,
            "feedback_not_sent": feedback.feedback_not_sent(referral)
            if page.may_send_feedback else "",
            "unseen": _unseen(user, page, unseen_form),
            **_strategy_panel(user, referral, language),
            # Its errors are summarised at the top of the page, where the reader lands.
            "unseen_errors": unseen_form[1] if unseen_form and unseen_form[1].errors else None,
        },
        status=status,
    )


def _strategy_panel(user: Any, referral: Referral, language: str) -> dict[str, Any]:
    """Issue 21: the strategy discussion this referral opened, when the reader may see it (one
    statement, through the meetings' own access rule), and whether they may convene one. The
    front door names no later workflow: it reads the shared meetings mechanism by origin."""
    meeting = None
    if can(user, RecordKind.MEETING, Action.READ):
        meeting = (
            meetings_for(user)
            .filter(origin_kind="referral", origin_id=referral.ref)
            .exclude(status=MeetingStatus.CANCELLED)
            .order_by("pk")
            .first()
        )
    return {
        "strategy_meeting": meeting,
        "strategy_kind": current_pack().label("meeting_kinds", meeting.kind, language)
        if meeting else "",
        "may_convene": meeting is None and can(user, RecordKind.MEETING, Action.WRITE)
        and user.agency is not None and user.agency.type == "childrens_services"
        and user.has_role("team_manager", "social_worker", "gateway_worker",
                          "conference_chair"),
    }


def _unseen(
    user: Any, page: selectors.ReferralPage, shown: tuple[int, UnseenLinkForm] | None
) -> list[tuple[unseen.UnseenRow, UnseenLinkForm | None, list[Any]]]:
    """#20 item 8: each child the referrer could not see, with the Gateway's form while it
    waits (other records matching what the referrer typed offered in it)."""
    rows = []
    for row in page.unseen:
        form = None
        others: list[Any] = []
        if page.may_decide and row.is_waiting and row.record is not None:
            others = unseen.other_records(user, row)
            choices = [(person.ref, f"{person.full_name} ({person.ref})")
                       for person, _why in others]
            if shown is not None and shown[0] == row.id:
                form = shown[1]
                form.set_others(choices)
            else:
                form = UnseenLinkForm(
                    initial={"version": page.referral.version}, prefix=f"unseen-{row.id}",
                    others=choices,
                )
        rows.append((row, form, others))
    return rows


def _page(request: HttpRequest, ref: str) -> selectors.ReferralPage:
    return selectors.referral_page(user_of(request), ref)


@require_GET
def referral(request: HttpRequest, ref: str) -> HttpResponse:
    return _detail(request, _page(request, ref))


@require_POST
def decide(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_decision(
                user, ref=ref, outcome=form.cleaned_data["outcome"],
                rationale=form.cleaned_data["rationale"],
                risk_analysis=form.cleaned_data["risk_analysis"],
                threshold_level=form.cleaned_data["threshold_level"],
                version=form.cleaned_data["version"],
            )
        except Refused as refused:
            add_refusal(form, refused)
        except Conflict:
            form.add_error(None, _("Someone else acted on this %(report)s while you were "
                                   "deciding. Check it again below.") % words.pack_words())
        else:
            messages.success(request, _("Your decision is recorded. It now needs sign-off."))
            return HttpResponseRedirect(reverse("web:referral", args=[ref]))
    return _detail(request, _page(request, ref), decision_form=form, status=400)


@require_POST
def sign_off(request: HttpRequest, ref: str) -> HttpResponse:
    """FD4 (#20): the team manager signs the decision off, returns it to the Gateway worker
    with a reason (``action=return``), or records their own decision (``action=decide``)."""
    action = request.POST.get("action", "")
    if action == RETURN:
        return _return_decision(request, ref)
    if action == DECIDE:
        return _managers_decision(request, ref)
    user = user_of(request)

    def signed(sign_off: Any) -> None:
        _say_who_was_told(request, sign_off.decision.referral)

    return _step(
        request, ref, SignOffWithCommentForm(request.POST), "sign_off_form",
        lambda data: services.sign_off_decision(
            user, ref=ref, comment=data["comment"], share_comment=data["share_comment"],
            version=data["version"],
        ),
        signed,
    )


def _step(
    request: HttpRequest,
    ref: str,
    form: forms.Form,
    form_name: str,
    act: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], None],
) -> HttpResponse:
    """One step taken on a referral's page: the form checked, then the service (``act``, given
    the form's values); on success ``done`` says what happened and the page is shown afresh.
    What the service refuses, or someone else acting on the referral meanwhile, is shown on
    the page with what was typed kept (400), under ``form_name``."""
    if form.is_valid():
        try:
            result = act(form.cleaned_data)
        except Refused as refused:
            add_refusal(form, refused)
        except Conflict:
            form.add_error(None, _("Someone else acted on this %(report)s. Check it again "
                                   "below.") % words.pack_words())
        else:
            done(result)
            return HttpResponseRedirect(reverse("web:referral", args=[ref]))
    shown: dict[str, Any] = {form_name: form}
    return _detail(request, _page(request, ref), status=400, **shown)


def _return_decision(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    return _step(
        request, ref, ReturnDecisionForm(request.POST), "return_form",
        lambda data: reviews.return_decision(
            user, ref=ref, reason=data["reason"], version=data["version"]
        ),
        lambda _returned: messages.success(request, _(
            "The decision has been returned to the Gateway worker with your reason."
        )),
    )


def _managers_decision(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)

    def recorded(decision: Any) -> None:
        messages.success(request, _("Your decision is recorded in place of the Gateway "
                                    "worker's."))
        _say_who_was_told(request, decision.referral)

    return _step(
        request, ref, ManagersDecisionForm(request.POST), "managers_form",
        lambda data: reviews.record_managers_decision(
            user, ref=ref, outcome=data["outcome"], rationale=data["rationale"],
            risk_analysis=data["risk_analysis"], threshold_level=data["threshold_level"],
            comment=data["comment"], share_comment=data["share_comment"],
            version=data["version"],
        ),
        recorded,
    )


def _say_who_was_told(request: HttpRequest, referral: Referral) -> None:
    """FD5: say truthfully who was told the outcome, or that nobody could be."""
    told = referral.feedback_sent_to
    if referral.feedback_sent_at is None:
        messages.warning(request, _("Signed off, but nobody has been told the outcome yet.")
                         + " " + feedback.nobody_to_tell(referral))
    elif told and told[0]["as"] == "referrer":
        messages.success(request, _("Signed off. The referrer has been told the outcome."))
    else:
        messages.success(request, _(
            "Signed off. The referrer no longer has an account, so their agency's %(lead)s has "
            "been told the outcome: %(names)s."
        ) % {"names": ", ".join(item["name"] for item in told),
             "lead": words.pack_words()["lead"]})


@require_POST
def send_feedback(request: HttpRequest, ref: str) -> HttpResponse:
    """FD5: try again to tell someone the outcome, when nobody could be told at sign-off."""
    try:
        referral = services.send_feedback(user_of(request), ref=ref)
    except Refused as refused:
        for errors in refused.errors.values():
            for message in errors:
                messages.error(request, message)
        return HttpResponseRedirect(reverse("web:referral", args=[ref]))
    messages.success(request, _("The outcome has been sent to %(names)s.") % {
        "names": ", ".join(item["name"] for item in referral.feedback_sent_to)
    })
    return HttpResponseRedirect(reverse("web:referral", args=[ref]))


@require_POST
def approve(request: HttpRequest, ref: str) -> HttpResponse:
    """FD3: a police supervisor sends the referral on to the Gateway, or returns it to the
    officer with a comment (``action=return``, #20)."""
    if request.POST.get("action", "") == RETURN:
        return _return_referral(request, ref)
    try:
        services.approve_referral(user_of(request), ref=ref)
    except Refused as refused:
        for errors in refused.errors.values():
            for message in errors:
                messages.error(request, message)
        return HttpResponseRedirect(reverse("web:referral", args=[ref]))
    messages.success(request, _("The %(report)s has been sent to the Gateway.")
                     % words.pack_words())
    return HttpResponseRedirect(reverse("web:referral", args=[ref]))


def _return_referral(request: HttpRequest, ref: str) -> HttpResponse:
    user = user_of(request)
    return _step(
        request, ref, ReturnReferralForm(request.POST), "return_referral_form",
        lambda data: reviews.return_referral(
            user, ref=ref, comment=data["comment"], version=data["version"]
        ),
        lambda _returned: messages.success(request, capfirst(_(
            "%(report)s %(ref)s has been returned to the officer with your comment."
        ) % {"ref": ref, **words.pack_words()})),
    )
