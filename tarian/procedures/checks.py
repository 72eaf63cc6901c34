"""System check: the configured procedures pack loads and is complete (FD4, CP1, CP5).

A broken or misnamed pack must stop ``manage.py check`` and start-up, not mis-time a clock
in front of a practitioner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error

from tarian.procedures.packs import PackError, current_pack


def check_procedures_pack(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    try:
        current_pack()
    except PackError as error:
        return [
            Error(
                str(error),
                hint="Set TARIAN_PROCEDURES to 'wales' or 'england', or fix the pack file.",
                id="procedures.E001",
            )
        ]
    return []
