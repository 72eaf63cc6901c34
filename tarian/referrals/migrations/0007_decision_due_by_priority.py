"""FD4, issue 20: a referral's decision is due by the timescale its priority sets (a high
priority one within hours, through weekends and bank holidays). Referrals still waiting for a
decision had their due time worked out with the one-working-day timescale for every priority:
work it out again from the priority. Going back leaves the new due times (each is correct for
the referral's priority; nothing else reads them differently)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def due_by_priority(apps: Any, schema_editor: Any) -> None:
    from tarian.procedures.clocks import due_at
    from tarian.procedures.packs import current_pack

    pack = current_pack()
    priorities = set(pack.codes("referrer_priorities"))
    referral_model = apps.get_model("referrals", "Referral")
    waiting = referral_model.objects.filter(
        status="awaiting_decision", received_at__isnull=False
    ).only("pk", "priority", "received_at", "decision_due_at")
    for referral in waiting.iterator():
        if referral.priority not in priorities:
            continue
        timescale = pack.timescale_of("referrer_priorities", referral.priority)
        due = due_at(timescale, referral.received_at)
        if due != referral.decision_due_at:
            referral.decision_due_at = due
            referral.save(update_fields=["decision_due_at"])


class Migration(migrations.Migration):
    dependencies = [("referrals", "0006_gatewaydecision_risk_analysis")]

    operations = [migrations.RunPython(due_by_priority, migrations.RunPython.noop)]
