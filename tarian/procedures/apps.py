"""The procedures app: packs of vocabulary and timescales, and the clocks built on them."""

from __future__ import annotations

from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "tarian.procedures"
    label = "procedures"
    verbose_name = "Procedures packs"

    def ready(self) -> None:
        from django.core import checks

        from tarian.procedures.checks import check_procedures_pack

        checks.register(check_procedures_pack)
