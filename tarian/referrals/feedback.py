"""Feedback to the referrer (FD5): who is told a referral's outcome, what they are told, in
their own language, and what to say when nobody can be told. ``services`` decides when."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tarian.agencies.models import User
from tarian.notifications.models import Notification, NotificationKind
from tarian.notifications.services import notify
from tarian.people.models import Person
from tarian.procedures.packs import current_pack
from tarian.referrals.models import DecisionSignOff, GatewayDecision, Referral
from tarian.referrals.threshold import level_title
from tarian.referrals.words import pack_words

# Who is told a referral's outcome when the referrer's account is closed (FD5): the roles that
# read all of their agency's referrals as its safeguarding lead.
SAFEGUARDING_LEADS = ("dsl", "cru_supervisor")


def feedback_recipients(referral: Referral) -> tuple[list[User], str]:
    """FD5: who is told the outcome, and as whom. The referrer, while their account is open;
    otherwise the safeguarding leads of the referrer's agency with open accounts (its DSLs, or
    the police supervisors), who may read the agency's referrals. Nobody else: the feedback
    names the child and the Gateway's reasons."""
    referrer = referral.referrer
    if referrer.is_active:
        return [referrer], "referrer"
    leads = (
        User.objects.filter(
            agency_id=referral.referrer_agency_id,
            is_active=True,
            roles__code__in=SAFEGUARDING_LEADS,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return list(leads), "safeguarding_lead"


def deliver_feedback(referral: Referral, decision: GatewayDecision, moment: dt.datetime) -> bool:
    """FD5: tell the referrer (or their agency's safeguarding leads) the outcome and what
    happens next. When, and to whom, is kept only if someone was told: otherwise the feedback
    clock stays open and goes overdue until ``services.send_feedback`` reaches someone."""
    recipients, told_as = feedback_recipients(referral)
    # Told to the referrer's agency: a child linked from one the referrer could not see is
    # named as the referrer described them, never by the record (#20 item 8), whoever reads
    # the referral now.
    unseen = list(referral.unseen_children.all())
    linked = {row.linked_id for row in unseen if row.linked_id}
    children = [child for child in referral.children.all() if child.pk not in linked]
    described = [row.described_as for row in unseen]
    sent: list[Notification] = []
    # Each recipient reads it in their own language (VC2): one message per language.
    for language in sorted({user.reads_in() for user in recipients}):
        readers = [user for user in recipients if user.reads_in() == language]
        with translation.override(language):
            subject, body = feedback_message(
                referral, decision, children, told_as, language, described=described
            )
            sent += notify(
                readers, kind=NotificationKind.GENERAL, subject=subject, body=body,
                link=f"/referrals/{referral.ref}",
            )
    if not sent:
        return False
    referral.feedback_sent_at = moment
    referral.feedback_sent_to = [
        {"name": str(note.recipient), "as": told_as} for note in sent
    ]
    return True


def feedback_message(
    referral: Referral,
    decision: GatewayDecision,
    children: list[Person],
    told_as: str,
    language: str,
    *,
    described: list[str] | None = None,
) -> tuple[str, str]:
    """FD5: the feedback's subject and body in the active language (``language`` for the
    pack's words): the outcome, why, and what happens next (the pack's description of the
    outcome). The body names the child; the subject does not, because it is also emailed and
    email never carries a child's name."""
    outcome = current_pack().item("gateway_outcomes", decision.outcome)
    names = ", ".join([*(str(child) for child in children), *(described or [])])
    words = pack_words()
    if told_as == "referrer":
        subject = _("Outcome of your %(report)s %(ref)s") % {"ref": referral.ref, **words}
        decided = _("The Gateway has decided on your %(report)s about %(children)s: "
                    "%(outcome)s.")
    else:
        subject = _("Outcome of %(report)s %(ref)s from %(who)s") % {
            "ref": referral.ref, "who": referral.referrer, **words,
        }
        decided = _("The Gateway has decided on the %(report)s about %(children)s that "
                    "%(who)s made: %(outcome)s.")
    paragraphs = [
        decided % {"children": names, "who": referral.referrer,
                   "outcome": outcome.label(language), **words},
        _("Why: %(rationale)s") % {"rationale": decision.rationale},
    ]
    if decision.threshold_level:
        paragraphs.append(_("Level of need: %(level)s") % {
            "level": level_title(decision.threshold_level, language)
        })
    sign_off: DecisionSignOff | None = getattr(decision, "sign_off", None)
    if sign_off is not None and sign_off.share_comment and sign_off.comment:
        paragraphs.append(_("The team manager's comment: %(comment)s") % {
            "comment": sign_off.comment
        })
    next_steps = outcome.description(language)
    if next_steps:
        paragraphs.append(_("What happens next: %(next)s") % {"next": next_steps})
    return subject, "\n\n".join(paragraphs)


def feedback_not_sent(referral: Referral) -> str:
    """FD5: what to say of a decided referral whose outcome nobody has been told yet."""
    recipients, _told_as = feedback_recipients(referral)
    if recipients:
        return _(
            "Nobody has been told the outcome yet. %(names)s can be told now: send the "
            "feedback again."
        ) % {"names": ", ".join(str(user) for user in recipients)}
    return nobody_to_tell(referral)


def nobody_to_tell(referral: Referral) -> str:
    return _(
        "Nobody at %(agency)s can be told the outcome: %(who)s no longer has an account, and "
        "the agency has no %(lead)s with one. Ask the agency to name one, then send the "
        "feedback again."
    ) % {
        "who": referral.referrer,
        "lead": pack_words()["lead"],
        "agency": referral.referrer_agency.display_name(get_language() or "en"),
    }
