"""The partnership's threshold guide: the levels of need shown beside the decision they inform
(FD7).

Defaults and edits: a new install shows the procedures pack's ``levels_of_need`` with no setup.
The first time a system administrator saves the guide, every level is written as a
``ThresholdLevel`` row for the pack; from then on the rows are the guide and the pack's list is
no longer read for that pack (a later change to the pack file does not overwrite the
partnership's wording). The guide's version is 0 while the pack's defaults are in use and goes
up by one with each save.

Codes are stable: Gateway decisions store them. A level that decisions record cannot be removed
(it may be taken out of use, so that it is no longer offered); an unused level may be removed.
Decisions may record only a level that is in use.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tarian.agencies.access import scope_for
from tarian.agencies.models import Action, RecordKind, Scope, User
from tarian.audit.models import AccessAction, RecordVersion
from tarian.audit.services import record_access, record_version
from tarian.errors import Conflict, Forbidden, Refused
from tarian.procedures.levels import Level, levels_of_need
from tarian.procedures.packs import Pack, current_pack, load_pack
from tarian.referrals.models import ThresholdLevel
from tarian.referrals.selectors import decisions_by_threshold_level

MAX_LEVELS = 12
MAX_POSITION = 99
# A code is stored on decisions (GatewayDecision.threshold_level holds 32 characters) and is
# written like the pack's own codes.
MAX_CODE_LENGTH = 32
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_TITLE_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000

# What a level holds, in the order the guide's history records it.
LEVEL_FIELDS = (
    "code",
    "position",
    "title_en",
    "title_cy",
    "description_en",
    "description_cy",
    "is_active",
)


@dataclass(frozen=True)
class Guide:
    """The whole guide of one pack: every level (in use or not) and its version."""

    pack: str
    levels: tuple[Level, ...]
    version: int

    @property
    def is_pack_default(self) -> bool:
        """True while nobody has saved the partnership's own guide for this pack."""
        return self.version == 0

    def in_use(self) -> list[Level]:
        return [level for level in self.levels if level.is_active]


# Reading --------------------------------------------------------------------------------------


def _pack(pack_name: str | None) -> Pack:
    return current_pack() if pack_name is None else load_pack(pack_name)


def _from_row(row: ThresholdLevel) -> Level:
    return Level(**{name: getattr(row, name) for name in LEVEL_FIELDS})


def current_guide(pack_name: str | None = None) -> Guide:
    """The guide of the current pack (or ``pack_name``): the stored levels if any, else the
    pack's defaults as version 0. One query."""
    pack = _pack(pack_name)
    rows = list(ThresholdLevel.objects.filter(pack=pack.key).order_by("position", "code"))
    if not rows:
        return Guide(pack=pack.key, levels=levels_of_need(pack), version=0)
    return Guide(
        pack=pack.key,
        levels=tuple(_from_row(row) for row in rows),
        version=max(row.version for row in rows),
    )


def threshold_guide(pack_name: str | None = None) -> list[Level]:
    """The levels in use, in order, for the referral form and the decision beside it."""
    return current_guide(pack_name).in_use()


def threshold_codes(pack_name: str | None = None) -> list[str]:
    """The codes a decision may record now (levels taken out of use are not among them)."""
    return [level.code for level in threshold_guide(pack_name)]


def level_title(code: str, language: str = "en", guide: Guide | None = None) -> str:
    """The title of a level of need a decision records, in ``language`` (a level taken out
    of use keeps its title; a code the guide no longer knows is shown as it is)."""
    for level in (guide or current_guide()).levels:
        if level.code == code:
            return level.title(language)
    return code


def guide_for_editing(user: User) -> Guide:
    """The current pack's whole guide for a user who may change it, or ``Forbidden``."""
    _require_write(user)
    return current_guide()


@dataclass(frozen=True)
class Saved:
    """Who saved a version of the guide, when and why (from its history, IS3)."""

    version: int
    by: str
    agency: str
    at: dt.datetime
    reason: str


def last_saved(guide: Guide) -> Saved | None:
    """The save that made this version of the guide; ``None`` for the pack's defaults."""
    if guide.is_pack_default:
        return None
    saved = RecordVersion.objects.filter(
        record_kind=RecordKind.THRESHOLD_GUIDE, record_id=guide.pack, version=guide.version
    ).first()
    if saved is None:
        return None
    return Saved(
        version=saved.version,
        by=saved.changed_by_display,
        agency=saved.agency_name,
        at=saved.changed_at,
        reason=saved.reason,
    )


# Writing --------------------------------------------------------------------------------------


def _require_write(user: User) -> None:
    if scope_for(user, RecordKind.THRESHOLD_GUIDE, Action.WRITE) == Scope.NONE:
        raise Forbidden("threshold_guide:write")


def update_threshold_guide(
    user: User,
    *,
    levels: Sequence[Mapping[str, Any]],
    version: int | None,
    reason: str,
    now: dt.datetime | None = None,
) -> Guide:
    """Replace the current pack's guide with ``levels`` (FD7), versioned with ``reason`` (IS3).

    ``levels`` are in the order given; each has ``code``, ``title_en``, ``title_cy``,
    ``description_en``, ``description_cy``, ``position`` (optional: a whole number, or blank to
    keep the order given) and ``is_active``. A level left out is removed. ``version`` is the
    guide's version the user read (0 for the pack's defaults); a stale one raises ``Conflict``.
    ``None`` skips the check. Every problem is reported at once, each named by its place:
    ``levels.<index>.<field>``, ``levels`` for the guide as a whole, and ``reason``.
    """
    _require_write(user)
    pack = current_pack()
    try:
        return _save_guide(
            user, pack, levels=levels, version=version, reason=reason, now=now or timezone.now()
        )
    except IntegrityError:
        # Two first saves at once both start from the pack's defaults (no row to lock): the
        # second fails on a unique level code or on the guide's unique version in the history.
        # Either way someone else saved first, which is a conflict, not an error.
        raise Conflict(current_guide(pack.key).version) from None


@transaction.atomic
def _save_guide(
    user: User,
    pack: Pack,
    *,
    levels: Sequence[Mapping[str, Any]],
    version: int | None,
    reason: str,
    now: dt.datetime,
) -> Guide:
    # Locking every level of the pack makes saves of the guide take turns, so the version
    # check below sees the last save.
    rows = {
        row.code: row
        for row in ThresholdLevel.objects.select_for_update().filter(pack=pack.key)
    }
    current_version = max((row.version for row in rows.values()), default=0)
    if version is not None and version != current_version:
        raise Conflict(current_version)
    current = (
        {code: _from_row(row) for code, row in rows.items()}
        if rows
        else {level.code: level for level in levels_of_need(pack)}
    )

    cleaned, errors = clean_levels(levels)
    if not errors:
        errors.update(_removal_errors(current, {level.code for level in cleaned}))
    reason = " ".join(reason.split())
    if not reason:
        errors["reason"] = [_("Say why you are changing the threshold guide")]
    if errors:
        raise Refused(errors)

    new_version = current_version + 1
    _write_levels(user, pack.key, rows, cleaned, new_version, now)
    ThresholdLevel.objects.filter(pk__in=[row.pk for row in rows.values()]).delete()
    # What changed, against the guide the administrator started from (the pack's, at first).
    kept = {level.code: level for level in cleaned}
    added = [code for code in kept if code not in current]
    changed = [code for code, level in kept.items() if code in current and current[code] != level]
    removed = sorted(set(current) - set(kept))

    guide = Guide(pack=pack.key, levels=tuple(cleaned), version=new_version)
    record_version(
        user,
        record_kind=RecordKind.THRESHOLD_GUIDE,
        record_id=pack.key,
        version=new_version,
        data={"pack": pack.key, "levels": [level.as_data() for level in cleaned]},
        reason=reason,
    )
    record_access(
        user,
        action=AccessAction.UPDATE,
        record_kind=RecordKind.THRESHOLD_GUIDE,
        record_id=pack.key,
        detail={
            "version": new_version,
            "added": added,
            "changed": changed,
            "removed": removed,
            "from_pack_defaults": current_version == 0,
        },
    )
    return guide


def _write_levels(
    user: User,
    pack_key: str,
    rows: dict[str, ThresholdLevel],
    cleaned: list[Level],
    new_version: int,
    now: dt.datetime,
) -> None:
    """Create or update a row per level, popping each from ``rows`` (what is left is to be
    removed). Every row gets the new version; only a changed level a new author and time."""
    for level in cleaned:
        row = rows.pop(level.code, None)
        if row is None:
            ThresholdLevel.objects.create(
                pack=pack_key,
                version=new_version,
                modified_by=user,
                modified_at=now,
                **{name: getattr(level, name) for name in LEVEL_FIELDS},
            )
            continue
        different = [name for name in LEVEL_FIELDS if getattr(row, name) != getattr(level, name)]
        for name in different:
            setattr(row, name, getattr(level, name))
        row.version = new_version
        update_fields = [*different, "version"]
        if different:
            row.modified_by = user
            row.modified_at = now
            update_fields += ["modified_by", "modified_at"]
        row.save(update_fields=update_fields)


def _removal_errors(current: Mapping[str, Level], kept: set[str]) -> dict[str, list[str]]:
    """A level that Gateway decisions record cannot be removed, only taken out of use."""
    removed = sorted(set(current) - kept)
    if not removed:
        return {}
    used = decisions_by_threshold_level(removed)
    messages = [
        ngettext(
            "“%(title)s” (code %(code)s) is recorded on %(count)s Gateway decision, so it "
            "cannot be removed. Keep it and untick “In use” instead.",
            "“%(title)s” (code %(code)s) is recorded on %(count)s Gateway decisions, so it "
            "cannot be removed. Keep it and untick “In use” instead.",
            used[code],
        )
        % {"title": current[code].title_en, "code": code, "count": used[code]}
        for code in removed
        if used.get(code)
    ]
    return {"levels": messages} if messages else {}


def clean_levels(levels: Sequence[Mapping[str, Any]]) -> tuple[list[Level], dict[str, list[str]]]:
    """Check every field of every level. Returns the levels in order, numbered 1, 2, 3 ... by
    position (levels without one keep their place after those with one), and every problem,
    each message naming the level and the field."""
    errors: dict[str, list[str]] = {}
    if not levels:
        errors["levels"] = [_("Add at least one level of need")]
    elif len(levels) > MAX_LEVELS:
        errors["levels"] = [
            _("A threshold guide can have at most %(max)s levels. Remove %(extra)s.")
            % {"max": MAX_LEVELS, "extra": len(levels) - MAX_LEVELS}
        ]
    first_with_code: dict[str, int] = {}
    ordered: list[tuple[int, int, Level]] = []
    for index, raw in enumerate(levels):
        level, position, problems = _clean_level(index + 1, raw, first_with_code)
        first_with_code.setdefault(level.code, index + 1)
        for field, message in problems:
            errors.setdefault(f"levels.{index}.{field}", []).append(message)
        ordered.append((MAX_POSITION + 1 if position is None else position, index, level))
    if levels and "levels" not in errors and not any(level.is_active for *_, level in ordered):
        errors["levels"] = [_("Keep at least one level in use")]
    ordered.sort(key=lambda item: item[:2])
    return [
        replace(level, position=number) for number, (*_, level) in enumerate(ordered, start=1)
    ], errors


def _clean_level(
    number: int, raw: Mapping[str, Any], first_with_code: Mapping[str, int]
) -> tuple[Level, int | None, list[tuple[str, str]]]:
    """One level (numbered from 1 as the user sees it), its position, and its problems."""
    problems: list[tuple[str, str]] = []
    code = _text(raw.get("code"))
    if not code:
        problems.append(("code", _("Level %(number)s: enter a code") % {"number": number}))
    elif len(code) > MAX_CODE_LENGTH:
        problems.append((
            "code",
            _("Level %(number)s: the code must be %(max)s characters or fewer")
            % {"number": number, "max": MAX_CODE_LENGTH},
        ))
    elif not CODE_PATTERN.match(code):
        problems.append((
            "code",
            _("Level %(number)s: the code must start with a lower-case letter and have only "
              "lower-case letters, numbers and underscores, like early_help")
            % {"number": number},
        ))
    elif code in first_with_code:
        problems.append((
            "code",
            _("Level %(number)s: the code %(code)s is already used by level %(other)s")
            % {"number": number, "code": code, "other": first_with_code[code]},
        ))

    texts = {
        "title_en": _text(raw.get("title_en")),
        "title_cy": _text(raw.get("title_cy")),
        "description_en": _paragraphs(raw.get("description_en")),
        "description_cy": _paragraphs(raw.get("description_cy")),
    }
    if not texts["title_en"]:
        problems.append(
            ("title_en", _("Level %(number)s: enter the title in English") % {"number": number})
        )
    if not texts["title_cy"]:
        problems.append(
            ("title_cy", _("Level %(number)s: enter the title in Welsh") % {"number": number})
        )
    if texts["description_cy"] and not texts["description_en"]:
        problems.append((
            "description_en",
            _("Level %(number)s: enter the description in English as well as in Welsh")
            % {"number": number},
        ))
    if texts["description_en"] and not texts["description_cy"]:
        problems.append((
            "description_cy",
            _("Level %(number)s: enter the description in Welsh as well as in English")
            % {"number": number},
        ))
    # Whole sentences, not a phrase put into one, so that each translates well.
    too_long = {
        "title_en": _("Level %(number)s: the title in English must be %(max)s characters or "
                      "fewer"),
        "title_cy": _("Level %(number)s: the title in Welsh must be %(max)s characters or fewer"),
        "description_en": _("Level %(number)s: the description in English must be %(max)s "
                            "characters or fewer"),
        "description_cy": _("Level %(number)s: the description in Welsh must be %(max)s "
                            "characters or fewer"),
    }
    for field, message in too_long.items():
        limit = MAX_TITLE_LENGTH if field.startswith("title") else MAX_DESCRIPTION_LENGTH
        if len(texts[field]) > limit:
            problems.append((field, message % {"number": number, "max": limit}))

    try:
        position = _position(raw.get("position"))
    except ValueError:
        position = None
        problems.append((
            "position",
            _("Level %(number)s: the position must be a whole number from 1 to %(max)s")
            % {"number": number, "max": MAX_POSITION},
        ))
    is_active = raw.get("is_active", True)
    if not isinstance(is_active, bool):
        problems.append((
            "is_active",
            _("Level %(number)s: say whether the level is in use") % {"number": number},
        ))
    level = Level(
        code=code,
        title_en=texts["title_en"],
        title_cy=texts["title_cy"],
        description_en=texts["description_en"],
        description_cy=texts["description_cy"],
        is_active=is_active is True,
    )
    return level, position, problems


def _text(value: Any) -> str:
    """One line of text, spaces tidied."""
    return " ".join(str(value).split()) if value is not None else ""


def _paragraphs(value: Any) -> str:
    """Text that may run to paragraphs: each line tidied, blank lines at the ends dropped."""
    if value is None:
        return ""
    lines = [" ".join(line.split()) for line in str(value).replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _position(value: Any) -> int | None:
    """A whole number from 1 to ``MAX_POSITION``, or ``None`` when left blank.

    Raises ``ValueError`` for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    number = int(str(value).strip())
    if not 1 <= number <= MAX_POSITION:
        raise ValueError(value)
    return number
