"""Issue 21: the queues read the clocks' rows, so every open referral needs its rows, or it would
drop out of its queue. This writes what is missing:

- a police referral waiting for a supervisor, or returned to the officer, gets its backlog clock
  (``referral_supervisor``: the pack's ``cru_backlog`` from submission, one row per child, for
  the ``cru_supervisor`` role at the referrer's agency), which nothing wrote before;
- a referral waiting for a Gateway decision with no open decision row gets one (as migration
  0012 wrote them: due when ``decision_due_at`` says; a returned decision's clock is the pack's
  ``gateway_decision_returned`` from the return, owned by the worker who decided);
- a decided referral nobody has been told of, with no open feedback row, gets one.

The reverse deletes the open backlog rows (nothing before this migration wrote or read them).
The decision and feedback rows it filled in are kept: they are what the services before it
would have written, and the home page's "due and overdue" list reads them too.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

DECISION = "referral_decision"
FEEDBACK = "referral_feedback"
SUPERVISOR = "referral_supervisor"
GATEWAY_ROLE = "gateway_worker"
SUPERVISOR_ROLE = "cru_supervisor"


def backfill(apps: Any, schema_editor: Any) -> None:
    from tarian.procedures.clocks import LONDON, due_at, due_soon_at
    from tarian.procedures.packs import current_pack

    Referral = apps.get_model("referrals", "Referral")
    GatewayDecision = apps.get_model("referrals", "GatewayDecision")
    Deadline = apps.get_model("deadlines", "Deadline")
    pack = current_pack()
    rows: list[Any] = []

    def timed(kind: str) -> set[str]:
        return set(
            Deadline.objects.filter(
                subject_kind=kind, met_at__isnull=True, stopped_at__isnull=True
            ).values_list("subject_id", flat=True)
        )

    def write(referral: Any, kind: str, code: str, started: Any, due: Any = None, *,
              owner_id: Any = None, agency_id: Any = None, role: str = "") -> None:
        scale = pack.timescale(code)
        due = due or due_at(scale, started)
        local = due.astimezone(LONDON)
        for child in list(referral.children.all()) or [None]:
            rows.append(Deadline(
                timescale=code, subject_kind=kind, subject_id=str(referral.pk), person=child,
                owner_id=owner_id, agency_id=agency_id, role=role, started_at=started,
                due_at=due, due_soon_at=min(due_soon_at(scale, started), due),
                due_month=local.date().replace(day=1),
            ))

    backlog = timed(SUPERVISOR)
    with_supervisor = Referral.objects.filter(
        status__in=("awaiting_supervisor", "returned_to_referrer")
    ).prefetch_related("children")
    for referral in with_supervisor:
        if str(referral.pk) not in backlog:
            write(referral, SUPERVISOR, "cru_backlog", referral.submitted_at,
                  agency_id=referral.referrer_agency_id, role=SUPERVISOR_ROLE)

    deciding = timed(DECISION)
    waiting = Referral.objects.filter(
        status="awaiting_decision", received_at__isnull=False
    ).prefetch_related("children")
    for referral in waiting:
        if str(referral.pk) in deciding:
            continue
        if referral.decision_returned_at is not None:
            decision = GatewayDecision.objects.filter(referral=referral).first()
            owner_id = decision.decided_by_id if decision else None
            write(referral, DECISION, "gateway_decision_returned",
                  referral.decision_returned_at, owner_id=owner_id,
                  role="" if owner_id else GATEWAY_ROLE)
        else:
            item = next((i for i in pack.list("referrer_priorities")
                         if i.code == referral.priority and i.timescale), None)
            write(referral, DECISION, item.timescale if item else "gateway_decision",
                  referral.received_at, referral.decision_due_at, role=GATEWAY_ROLE)

    telling = timed(FEEDBACK)
    untold = Referral.objects.filter(
        status__in=("awaiting_sign_off", "decided"), feedback_sent_at__isnull=True
    ).prefetch_related("children")
    for referral in untold:
        decision = GatewayDecision.objects.filter(referral=referral).first()
        if decision is not None and str(referral.pk) not in telling:
            write(referral, FEEDBACK, "feedback_to_referrer", decision.decided_at,
                  role=GATEWAY_ROLE)
    Deadline.objects.bulk_create(rows)


def remove(apps: Any, schema_editor: Any) -> None:
    Deadline = apps.get_model("deadlines", "Deadline")
    Deadline.objects.filter(
        subject_kind=SUPERVISOR, met_at__isnull=True, stopped_at__isnull=True
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0012_decision_deadlines"),
        ("deadlines", "0001_deadlines"),
    ]

    operations = [migrations.RunPython(backfill, remove)]
