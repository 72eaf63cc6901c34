"""Issue 21: the clocks of referrals already at the Gateway become deadline rows. A referral
waiting for a decision gets its decision clock (due when its ``decision_due_at`` says), one row
per child; a decided referral whose referrer has not been told gets its feedback clock. The
reverse deletes the open rows of these two kinds (what this wrote)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

DECISION = "referral_decision"
FEEDBACK = "referral_feedback"


def backfill(apps: Any, schema_editor: Any) -> None:
    from tarian.procedures.clocks import LONDON, due_at, due_soon_at
    from tarian.procedures.packs import current_pack

    Referral = apps.get_model("referrals", "Referral")
    GatewayDecision = apps.get_model("referrals", "GatewayDecision")
    Deadline = apps.get_model("deadlines", "Deadline")
    pack = current_pack()
    rows = []

    def month_of(moment: Any) -> Any:
        local = moment.astimezone(LONDON)
        return local.date().replace(day=1)

    def row(referral: Any, kind: str, code: str, started: Any, due: Any, person: Any,
            owner_id: Any, role: str) -> Any:
        scale = pack.timescale(code)
        return Deadline(
            timescale=code, subject_kind=kind, subject_id=str(referral.pk), person=person,
            owner_id=owner_id, role=role, started_at=started, due_at=due,
            due_soon_at=min(due_soon_at(scale, started), due), due_month=month_of(due),
        )

    waiting = Referral.objects.filter(status="awaiting_decision", received_at__isnull=False)
    for referral in waiting.prefetch_related("children"):
        children = list(referral.children.all()) or [None]
        if referral.decision_returned_at is not None:
            code, started = "gateway_decision_returned", referral.decision_returned_at
            decision = GatewayDecision.objects.filter(referral=referral).first()
            owner_id = decision.decided_by_id if decision else None
        else:
            item = next((i for i in pack.list("referrer_priorities")
                         if i.code == referral.priority and i.timescale), None)
            code = item.timescale if item else "gateway_decision"
            started, owner_id = referral.received_at, None
        due = referral.decision_due_at or due_at(pack.timescale(code), started)
        role = "" if owner_id else "gateway_worker"
        rows += [row(referral, DECISION, code, started, due, child, owner_id, role)
                 for child in children]
    untold = Referral.objects.filter(
        status__in=("awaiting_sign_off", "decided"), feedback_sent_at__isnull=True
    )
    for referral in untold.prefetch_related("children"):
        decision = GatewayDecision.objects.filter(referral=referral).first()
        if decision is None:
            continue
        scale = pack.timescale("feedback_to_referrer")
        due = due_at(scale, decision.decided_at)
        rows += [row(referral, FEEDBACK, scale.key, decision.decided_at, due, child, None,
                     "gateway_worker")
                 for child in list(referral.children.all()) or [None]]
    Deadline.objects.bulk_create(rows)


def remove(apps: Any, schema_editor: Any) -> None:
    Deadline = apps.get_model("deadlines", "Deadline")
    Deadline.objects.filter(
        subject_kind__in=(DECISION, FEEDBACK), met_at__isnull=True, stopped_at__isnull=True
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0011_unseen_children"),
        ("deadlines", "0001_deadlines"),
    ]

    operations = [migrations.RunPython(backfill, remove)]
