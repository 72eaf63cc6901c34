"""A broken procedures pack is refused at load with a message naming the pack, the place and
the problem (FD4, CP1, CP5: a mis-typed timescale must never mis-time a clock)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tarian.procedures.packs import PACKS_DIR, PackError, load_pack_file

WALES_TEXT = (PACKS_DIR / "wales.toml").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str, name: str = "broken") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once in the pack"
    return text.replace(old, new)


def _drop_block(text: str, first_line: str) -> str:
    """Remove the TOML table that starts with ``first_line`` (tables are blank-line separated)."""
    blocks = text.split("\n\n")
    kept = [block for block in blocks if not block.startswith(first_line)]
    assert len(kept) == len(blocks) - 1, first_line
    return "\n\n".join(kept)


def _drop_line_in_block(text: str, header: str, line_start: str) -> str:
    start = text.index(header)
    line_at = text.index(line_start, start)
    line_end = text.index("\n", line_at) + 1
    return text[:line_at] + text[line_end:]


def test_the_shipped_text_loads_from_a_copy(tmp_path: Path) -> None:
    pack = load_pack_file(_write(tmp_path, WALES_TEXT, "wales"), "wales")

    assert pack.key == "wales"


BROKEN: dict[str, tuple[Callable[[str], str], str, str]] = {
    "unknown unit": (
        lambda text: _replace_once(
            text, 'amount = 15\nunit = "working_days"', 'amount = 15\nunit = "weeks"'
        ),
        "timescales.icpc.unit",
        "unit 'weeks' is not one of hours, calendar_days, working_days, months",
    ),
    "missing source": (
        lambda text: _drop_line_in_block(text, "[timescales.icpc]", "source = "),
        "timescales.icpc.source",
        "non-empty text is required",
    ),
    "empty source": (
        lambda text: _replace_once(
            text,
            'source = "Local practice set by the regional safeguarding board (SM4)"',
            'source = "  "',
        ),
        "timescales.minutes_circulation.source",
        "non-empty text is required",
    ),
    "missing required timescale": (
        lambda text: _drop_block(text, "[timescales.first_core_group]"),
        "timescales",
        "required timescale(s) missing: first_core_group",
    ),
    # #20: a decision the team manager returns runs its own clock from the pack, from the
    # return; the pack must have it, with its source, and start it on the return.
    "missing returned-decision timescale": (
        lambda text: _drop_block(text, "[timescales.gateway_decision_returned]"),
        "timescales",
        "required timescale(s) missing: gateway_decision_returned",
    ),
    "returned-decision timescale without source": (
        lambda text: _drop_line_in_block(
            text, "[timescales.gateway_decision_returned]", "source = "
        ),
        "timescales.gateway_decision_returned.source",
        "non-empty text is required",
    ),
    "returned-decision timescale starting elsewhere": (
        lambda text: _replace_once(
            text, 'starts = "decision_returned"', 'starts = "report_received"'
        ),
        "timescales.gateway_decision_returned.starts",
        "'report_received' must be 'decision_returned'",
    ),
    "duplicate code": (
        lambda text: _replace_once(
            text,
            'code = "early_help"',
            'code = "information_and_advice"',
        ),
        "lists.gateway_outcomes",
        "duplicate code 'information_and_advice'",
    ),
    "missing required code": (
        lambda text: _drop_block(text, '[[lists.gateway_outcomes]]\ncode = "strategy_discussion"'),
        "lists.gateway_outcomes",
        "required code(s) missing: strategy_discussion",
    ),
    "missing required term": (
        lambda text: _drop_block(text, "[terms.plan_name]"),
        "terms",
        "required term(s) missing: plan_name",
    ),
    "misspelt field": (
        lambda text: _replace_once(text, "amount = 15\n", "ammount = 15\n"),
        "timescales.icpc",
        "unknown field(s) ammount",
    ),
    "negative amount": (
        lambda text: _replace_once(text, "amount = 15\n", "amount = -15\n"),
        "timescales.icpc.amount",
        "a whole number of 0 or more is required",
    ),
    "boolean amount": (
        lambda text: _replace_once(text, "amount = 15\n", "amount = true\n"),
        "timescales.icpc.amount",
        "a whole number of 0 or more is required",
    ),
    "unknown start event": (
        lambda text: _replace_once(
            text, 'starts = "strategy_discussion"', 'starts = "strategy_meeting_booked"'
        ),
        "timescales.icpc.starts",
        "'strategy_meeting_booked' is not a known starting event",
    ),
    "repeat of an unknown timescale": (
        lambda text: _replace_once(
            text,
            'repeat = "review_conference_interval"\nsource = "Wales Safeguarding Procedures, '
            "Children, Section 3 part 2 (initial child protection conference, when a child's "
            "name is placed on the register): review conference at most",
            'repeat = "review_conferences"\nsource = "Wales Safeguarding Procedures, '
            "Children, Section 3 part 2 (initial child protection conference, when a child's "
            "name is placed on the register): review conference at most",
        ),
        "timescales.first_review_conference.repeat",
        "'review_conferences' is not a timescale in this pack",
    ),
    "unknown due-soon unit": (
        lambda text: _replace_once(
            text,
            'due_soon = { amount = 3, unit = "working_days" }',
            'due_soon = { amount = 3, unit = "fortnights" }',
        ),
        "timescales.icpc.due_soon.unit",
        "unit 'fortnights' is not one of",
    ),
    "target share above one": (
        lambda text: _replace_once(text, "target_share = 0.9", "target_share = 90"),
        "timescales.allegation_resolution_3_months.target_share",
        "a share above 0 and at most 1 is required",
    ),
    "unknown subdivision": (
        lambda text: _replace_once(text, 'subdivision = "WLS"', 'subdivision = "Wales"'),
        "pack.subdivision",
        "'Wales' is not one of ENG, NIR, SCT, WLS",
    ),
    "local_practice not a boolean": (
        lambda text: _replace_once(
            text,
            'unit = "working_days"\nlocal_practice = true\nsource = "Local practice set by '
            "the regional safeguarding board (SM4); the Wales",
            'unit = "working_days"\nlocal_practice = "yes"\nsource = "Local practice set by '
            "the regional safeguarding board (SM4); the Wales",
        ),
        "timescales.decisions_circulation.local_practice",
        "true or false is required",
    ),
    "unknown top-level table": (
        lambda text: text + '\n[timescale.extra]\nen = "typo for timescales"\n',
        "",
        "unknown field(s) timescale",
    ),
    "missing required rule": (
        lambda text: _drop_block(text, "[rules.repeat_referrals]"),
        "rules",
        "required rule(s) missing: repeat_referrals",
    ),
    "rule without a source": (
        lambda text: _drop_line_in_block(text, "[rules.repeat_referrals]", "source = "),
        "rules.repeat_referrals.source",
        "non-empty text is required",
    ),
    "rule counting nothing": (
        lambda text: _replace_once(text, "count = 3\n", "count = 0\n"),
        "rules.repeat_referrals.count",
        "a whole number of 1 or more is required",
    ),
    "rule window in working days": (
        lambda text: _replace_once(
            text,
            'within = { amount = 12, unit = "months" }',
            'within = { amount = 12, unit = "working_days" }',
        ),
        "rules.repeat_referrals.within",
        "a window of 1 or more calendar_days, months is required",
    ),
    "rule window of nothing": (
        lambda text: _replace_once(
            text,
            'within = { amount = 12, unit = "months" }',
            'within = { amount = 0, unit = "months" }',
        ),
        "rules.repeat_referrals.within",
        "a window of 1 or more",
    ),
    "rule with a misspelt field": (
        lambda text: _replace_once(text, "count = 3\n", "cuont = 3\n"),
        "rules.repeat_referrals",
        "unknown field(s) cuont",
    ),
    "term that pages put in the plural without one": (
        lambda text: _replace_once(
            text, 'en_plural = "reports"\ncy = "adroddiad"\ncy_plural = "adroddiadau"\n',
            'cy = "adroddiad"\n',
        ),
        "terms.report_name",
        "a plural ('en_plural', 'cy_plural') is required",
    ),
    "welsh plural without a welsh term": (
        lambda text: _replace_once(
            text, 'cy = "grŵp craidd"\n', 'en_plural = "core groups"\ncy_plural = "grwpiau"\n'
        ),
        "terms.core_group_name",
        "'cy_plural' needs 'cy' and 'en_plural'",
    ),
    # FD1, FD4 (#20): each referrer priority names the timescale of its Gateway decision.
    "priority without a decision timescale": (
        lambda text: _replace_once(text, 'timescale = "gateway_decision_medium"\n', ""),
        "lists.referrer_priorities[1].timescale",
        "each item of referrer_priorities must name the timescale it sets",
    ),
    "priority naming an unknown timescale": (
        lambda text: _replace_once(
            text, 'timescale = "gateway_decision_high"', 'timescale = "gateway_decision_urgent"'
        ),
        "lists.referrer_priorities[0].timescale",
        "'gateway_decision_urgent' is not a timescale in this pack",
    ),
    "priority naming a timescale that does not start on receipt": (
        lambda text: _replace_once(
            text, 'timescale = "gateway_decision_high"', 'timescale = "icpc"'
        ),
        "lists.referrer_priorities[0].timescale",
        "'icpc' starts on 'strategy_discussion', not 'report_received'",
    ),
    "list item naming an unknown timescale": (
        lambda text: _replace_once(
            text,
            'code = "police_only"\n',
            'code = "police_only"\ntimescale = "no_such_clock"\n',
        ),
        "lists.enquiry_types[2].timescale",
        "'no_such_clock' is not a timescale in this pack",
    ),
    # FD5 (#20): a Gateway outcome says what happens next; the referrer's feedback quotes it.
    "gateway outcome without what happens next": (
        lambda text: _drop_line_in_block(
            text, 'code = "early_help"\nen = "Early help', "description_en = "
        ),
        "lists.gateway_outcomes[1].description_en",
        "each item of this list must say what it means (what happens next)",
    ),
    # PC1 (issue 21): a professional challenge's tiers, each with its own resolution clock
    # starting when the challenge reaches the tier.
    "pack without challenge tiers": (
        lambda text: "\n\n".join(
            block for block in text.split("\n\n") if "[[lists.challenge_tiers]]" not in block
        ),
        "lists",
        "required list 'challenge_tiers' is missing",
    ),
    "challenge tier without a timescale": (
        lambda text: _replace_once(text, 'timescale = "challenge_tier_2"\n', ""),
        "lists.challenge_tiers[1].timescale",
        "each item of challenge_tiers must name the timescale it sets",
    ),
    "challenge tier naming a timescale that does not start at the tier": (
        lambda text: _replace_once(
            text, 'timescale = "challenge_tier_3"', 'timescale = "gateway_decision"'
        ),
        "lists.challenge_tiers[2].timescale",
        "'gateway_decision' starts on 'report_received', not 'challenge_tier_reached'",
    ),
    "two challenge tiers sharing one timescale": (
        lambda text: _replace_once(
            text, 'timescale = "challenge_tier_4"', 'timescale = "challenge_tier_3"'
        ),
        "lists.challenge_tiers[3].timescale",
        "'challenge_tier_3' is already the timescale of item 2: each item runs its own",
    ),
    "challenge tier timescale starting on an unknown event": (
        lambda text: _replace_once(
            text,
            'starts = "challenge_tier_reached"\namount = 2\n',
            'starts = "challenge_raised"\namount = 2\n',
        ),
        "timescales.challenge_tier_1.starts",
        "'challenge_raised' is not a known starting event",
    ),
    "challenge tier without a code": (
        lambda text: _replace_once(text, 'code = "team_managers"\n', ""),
        "lists.challenge_tiers[1].code",
        "non-empty text is required",
    ),
    "code not in snake case": (
        lambda text: _replace_once(text, 'code = "police_only"', 'code = "Police only"'),
        "lists.enquiry_types[2].code",
        "'Police only' must be lower_snake_case",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_invalid_pack_is_refused_with_a_clear_message(tmp_path: Path, case: str) -> None:
    edit, key, problem = BROKEN[case]
    path = _write(tmp_path, edit(WALES_TEXT))

    with pytest.raises(PackError) as refused:
        load_pack_file(path)

    assert refused.value.pack == "broken"
    assert refused.value.key == key
    assert problem in refused.value.problem
    assert str(refused.value).startswith("Procedures pack 'broken'")


def test_invalid_toml_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, WALES_TEXT.replace('[pack]\nkey = "wales"', '[pack\nkey = "wales"'))

    with pytest.raises(PackError, match=re.escape("Procedures pack 'broken': not valid TOML")):
        load_pack_file(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="no pack file at"):
        load_pack_file(tmp_path / "absent.toml")


def test_pack_key_must_match_the_name_it_is_loaded_as(tmp_path: Path) -> None:
    path = _write(tmp_path, WALES_TEXT, "england")

    with pytest.raises(PackError, match="key 'wales' does not match the file name"):
        load_pack_file(path, "england")
