"""The threshold guide's edit form (FD7): a row of fields per level of need, and a reason.

The rows are named ``level-<n>-<field>``. MoJ Frontend's "add another" renumbers them in the
browser as levels are added and removed, so the number of rows is read from the names posted,
not from a management form. The rules (what is required, codes, at most 12 levels) live in
``tarian.referrals.threshold``; this module only carries what was typed and shows the errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tarian.procedures.levels import Level

_ROW_KEY = re.compile(r"^level-(\d{1,3})-")
TEXT_FIELDS = ("code", "position", "title_en", "title_cy", "description_en", "description_cy")


@dataclass(frozen=True)
class LevelFieldSpec:
    name: str
    label: Promise
    kind: str  # "input", "number", "textarea" or "checkbox"
    width: str = ""  # a GOV.UK width class for inputs
    lang: str = ""  # the language typed in, for spelling and screen readers


LEVEL_FIELDS: tuple[LevelFieldSpec, ...] = (
    LevelFieldSpec("code", _("Code"), "input", "govuk-input--width-20"),
    LevelFieldSpec("position", _("Position"), "number", "govuk-input--width-3"),
    LevelFieldSpec("title_en", _("Title in English"), "input", lang="en"),
    LevelFieldSpec("title_cy", _("Title in Welsh"), "input", lang="cy"),
    LevelFieldSpec("description_en", _("Description in English"), "textarea", lang="en"),
    LevelFieldSpec("description_cy", _("Description in Welsh"), "textarea", lang="cy"),
    LevelFieldSpec(
        "is_active", _("In use (offered on the referral and decision forms)"), "checkbox"
    ),
)


@dataclass(frozen=True)
class LevelField:
    """One field of one row, ready for the template."""

    spec: LevelFieldSpec
    index: int
    value: Any
    errors: list[str]

    @property
    def name(self) -> str:
        return f"level-{self.index}-{self.spec.name}"

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def data_name(self) -> str:
        """The name pattern MoJ "add another" fills in as it renumbers rows."""
        return f"level-%index%-{self.spec.name}"

    @property
    def data_id(self) -> str:
        return f"id_level-%index%-{self.spec.name}"


@dataclass
class LevelRow:
    """What was typed (or is stored) for one level, and the problems found with it."""

    values: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)

    def fields(self, index: int) -> list[LevelField]:
        return [
            LevelField(spec, index, self.values.get(spec.name, ""), self.errors.get(spec.name, []))
            for spec in LEVEL_FIELDS
        ]

    def is_blank(self) -> bool:
        return not any(str(self.values.get(name, "")).strip() for name in TEXT_FIELDS)

    def level_data(self) -> dict[str, Any]:
        return {**{name: self.values.get(name, "") for name in TEXT_FIELDS},
                "is_active": bool(self.values.get("is_active"))}


def rows_from_levels(levels: Sequence[Level]) -> list[LevelRow]:
    return [LevelRow({**level.as_data(), "position": str(level.position)}) for level in levels]


def blank_row() -> LevelRow:
    """A new level: in use unless the user says otherwise."""
    return LevelRow({"is_active": True})


def rows_from_post(data: QueryDict | Mapping[str, Any]) -> list[LevelRow]:
    """The rows posted, in the order of their numbers; rows left wholly blank are dropped."""
    numbers = sorted({int(match.group(1)) for key in data if (match := _ROW_KEY.match(key))})
    rows = [
        LevelRow(
            {
                **{name: str(data.get(f"level-{n}-{name}", "")) for name in TEXT_FIELDS},
                "is_active": f"level-{n}-is_active" in data,
            }
        )
        for n in numbers
    ]
    return [row for row in rows if not row.is_blank()]


class GuideForm(forms.Form):
    """The parts of the page that are not a level: the version read and the reason."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=_("Why are you changing the threshold guide?"),
        help_text=_("For example, the partnership board agreed new wording on 3 March"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
