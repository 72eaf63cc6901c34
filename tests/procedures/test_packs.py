"""Procedures packs: both packs load, are complete and cite their sources (FD4, FD7, CP1, CP2,
CP5, AP3, AP6)."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from tarian.procedures.packs import (
    REQUIRED_LIST_CODES,
    REQUIRED_PLURALS,
    REQUIRED_RULES,
    REQUIRED_TERMS,
    REQUIRED_TIMESCALES,
    START_EVENTS,
    ListItem,
    Pack,
    PackError,
    Term,
    Unit,
    available_packs,
    clear_cache,
    current_pack,
    load_pack,
)

PACK_NAMES = ["wales", "england"]


def test_both_packs_are_shipped() -> None:
    assert available_packs() == ["england", "wales"]


@pytest.mark.parametrize("name", PACK_NAMES)
def test_every_pack_has_every_required_timescale_term_and_list(name: str) -> None:
    pack = load_pack(name)

    assert set(pack.timescales) >= REQUIRED_TIMESCALES
    assert set(pack.terms) >= REQUIRED_TERMS
    assert set(pack.rules) >= REQUIRED_RULES
    for list_name, codes in REQUIRED_LIST_CODES.items():
        assert set(pack.codes(list_name)) >= codes, list_name


@pytest.mark.parametrize("name", PACK_NAMES)
def test_every_timescale_cites_a_source_and_a_known_start(name: str) -> None:
    pack = load_pack(name)

    for timescale in pack.timescales.values():
        assert len(timescale.source) > 20, timescale.key
        assert timescale.starts in START_EVENTS
        assert timescale.subdivision == pack.subdivision
        assert timescale.description("en") and timescale.description("cy")


@pytest.mark.parametrize("name", PACK_NAMES)
def test_local_practice_figures_say_so(name: str) -> None:
    pack = load_pack(name)

    for key in (
        "strategy_discussion",
        "feedback_to_referrer",
        "decisions_circulation",
        "minutes_circulation",
        "child_seen_in_enquiry",
        "cru_backlog",
        "school_notified_domestic_abuse",
    ):
        timescale = pack.timescale(key)
        assert timescale.local_practice, key
        assert "local" in timescale.source.lower(), key


@pytest.mark.parametrize(
    ("name", "key", "amount", "unit"),
    [
        # Wales Safeguarding Procedures, as confirmed in REQUIREMENTS.md.
        ("wales", "gateway_decision", 1, Unit.WORKING_DAYS),
        ("wales", "report_written_confirmation", 24, Unit.HOURS),
        ("wales", "icpc", 15, Unit.WORKING_DAYS),
        ("wales", "outline_plan", 5, Unit.WORKING_DAYS),
        ("wales", "first_core_group", 10, Unit.WORKING_DAYS),
        ("wales", "core_group_interval", 42, Unit.CALENDAR_DAYS),
        ("wales", "first_review_conference", 3, Unit.MONTHS),
        ("wales", "review_conference_interval", 6, Unit.MONTHS),
        ("wales", "continuing_assessment", 42, Unit.WORKING_DAYS),
        ("wales", "allegation_report_to_designated_officer", 24, Unit.HOURS),
        ("wales", "decisions_circulation", 0, Unit.WORKING_DAYS),
        ("wales", "minutes_circulation", 5, Unit.WORKING_DAYS),
        ("wales", "return_home_interview", 72, Unit.HOURS),
        ("wales", "school_notified_domestic_abuse", 1, Unit.WORKING_DAYS),
        # Working Together to Safeguard Children 2023.
        ("england", "gateway_decision", 1, Unit.WORKING_DAYS),
        ("england", "icpc", 15, Unit.WORKING_DAYS),
        ("england", "first_core_group", 10, Unit.WORKING_DAYS),
        ("england", "first_review_conference", 3, Unit.MONTHS),
        ("england", "review_conference_interval", 6, Unit.MONTHS),
        ("england", "assessment", 45, Unit.WORKING_DAYS),
        ("england", "allegation_resolution_1_month", 1, Unit.MONTHS),
        ("england", "allegation_resolution_3_months", 3, Unit.MONTHS),
        ("england", "allegation_resolution_12_months", 12, Unit.MONTHS),
        ("england", "return_home_interview", 72, Unit.HOURS),
    ],
)
def test_confirmed_timescales_match_the_procedures(
    name: str, key: str, amount: int, unit: Unit
) -> None:
    timescale = load_pack(name).timescale(key)

    assert (timescale.amount, timescale.unit) == (amount, unit)


def test_cp1_icpc_starts_from_the_strategy_discussion(wales: Pack, england: Pack) -> None:
    assert wales.timescale("icpc").starts == "strategy_discussion"
    assert england.timescale("icpc").starts == "strategy_discussion"


def test_cp5_core_groups_and_reviews_repeat(wales: Pack) -> None:
    assert wales.timescale("first_core_group").repeat == "core_group_interval"
    assert wales.timescale("core_group_interval").repeat == "core_group_interval"
    assert wales.timescale("first_review_conference").repeat == "review_conference_interval"
    assert wales.timescale("review_conference_interval").repeat == "review_conference_interval"


def test_cp5_wales_core_group_due_soon_once_a_month_has_passed(wales: Pack) -> None:
    # Monthly, never more than 6-weekly: amber from 4 weeks, late after 6.
    interval = wales.timescale("core_group_interval")

    assert interval.amount == 42
    assert interval.due_soon is not None
    assert interval.amount - interval.due_soon.amount == 28


def test_ap6_england_allegation_targets_carry_their_share(england: Pack) -> None:
    shares = [
        england.timescale(key).target_share
        for key in (
            "allegation_resolution_1_month",
            "allegation_resolution_3_months",
            "allegation_resolution_12_months",
        )
    ]

    assert shares == [0.8, 0.9, 1.0]


def test_ap6_wales_allegation_targets_are_marked_as_local_benchmarks(wales: Pack) -> None:
    timescale = wales.timescale("allegation_resolution_1_month")

    assert timescale.local_practice
    assert timescale.target_share == 0.8


def test_vocabulary_differs_between_wales_and_england(wales: Pack, england: Pack) -> None:
    assert wales.term("plan_name") == "care and support protection plan"
    assert wales.term("plan_name", "cy") == "cynllun gofal a chymorth amddiffyn"
    assert england.term("plan_name") == "child protection plan"
    assert england.term("plan_name", "cy") == "cynllun amddiffyn plant"
    assert wales.term("report_name") == "report"
    assert england.term("report_name") == "referral"
    assert "LADO" in england.term("designated_officer")
    assert "LADO" not in wales.term("designated_officer")
    assert wales.term("board_name") == "regional safeguarding board"
    assert england.term("board_name") == "safeguarding partners"
    assert "What Matters" in wales.term("assessment_name")
    assert england.term("assessment_name") == "Child and Family assessment"


@pytest.mark.parametrize("name", PACK_NAMES)
def test_fd6_the_repeat_referral_rule_is_three_in_twelve_months_with_its_source(
    name: str,
) -> None:
    rule = load_pack(name).rule("repeat_referrals")

    assert (rule.count, rule.within.amount, rule.within.unit) == (3, 12, Unit.MONTHS)
    assert rule.local_practice and rule.source.startswith("Local practice")
    assert rule.description("en") and rule.description("cy")


def test_fd6_the_repeat_rule_is_named_in_each_packs_words(wales: Pack, england: Pack) -> None:
    assert wales.rule("repeat_referrals").description().startswith("Repeat reports")
    assert england.rule("repeat_referrals").description().startswith("Repeat referrals")
    with pytest.raises(KeyError, match="has no rule 'repeats'"):
        wales.rule("repeats")


@pytest.mark.parametrize("name", PACK_NAMES)
def test_terms_pages_put_in_the_plural_have_plurals(name: str) -> None:
    pack = load_pack(name)

    for key in REQUIRED_PLURALS:
        for lang in ("en", "cy"):
            assert pack.term(key, lang, plural=True) != pack.term(key, lang), (key, lang)


def test_wales_says_report_and_designated_safeguarding_person(
    wales: Pack, england: Pack
) -> None:
    assert (wales.term("report_name", plural=True), wales.term("report_name", "cy", plural=True)) \
        == ("reports", "adroddiadau")
    assert england.term("report_name", plural=True) == "referrals"
    assert wales.term("safeguarding_lead") == "designated safeguarding person"
    assert wales.term("safeguarding_lead", "cy") == "person diogelu dynodedig"
    assert england.term("safeguarding_lead") == "designated safeguarding lead"


def test_a_term_without_a_plural_falls_back_to_its_singular() -> None:
    term = Term("plan_name", "plan", "cynllun")

    assert term.text("cy", plural=True) == "cynllun"


def test_pack_metadata(wales: Pack, england: Pack) -> None:
    assert (wales.subdivision, england.subdivision) == ("WLS", "ENG")
    assert wales.title_in("cy") == "Gweithdrefnau Diogelu Cymru"
    assert england.title_in("en") == "Working Together to Safeguard Children 2023"
    assert wales.citation and england.source_document


def test_welsh_falls_back_to_english_when_missing() -> None:
    term = Term(key="plan_name", en="plan")
    item = ListItem(code="high", en="High", description_en="Urgent")

    assert term.text("cy") == "plan"
    assert item.label("cy") == "High"
    assert item.description("cy") == "Urgent"
    assert ListItem(code="x", en="X").description("en") is None


def test_welsh_is_chosen_for_regional_language_codes(wales: Pack) -> None:
    assert wales.term("board_name", "cy-GB") == "bwrdd diogelu rhanbarthol"
    assert wales.term("board_name", "fr") == "regional safeguarding board"


@pytest.mark.parametrize("name", PACK_NAMES)
def test_fd4_gateway_outcomes_have_welsh_and_english_labels(name: str) -> None:
    pack = load_pack(name)

    for item in pack.list("gateway_outcomes"):
        assert item.label("en") != item.label("cy")
    assert pack.label("gateway_outcomes", "no_further_action", "cy").startswith("Dim camau")


def test_fd4_gateway_outcome_wording_follows_the_pack(wales: Pack, england: Pack) -> None:
    assert "What Matters" in wales.label("gateway_outcomes", "assessment")
    assert "Child and Family" in england.label("gateway_outcomes", "assessment")


@pytest.mark.parametrize("name", PACK_NAMES)
def test_fd7_default_threshold_guide_has_four_described_levels(name: str) -> None:
    levels = load_pack(name).list("levels_of_need")

    assert len(levels) == 4
    for level in levels:
        assert level.description("en") and level.description("cy")


def test_cp2_abuse_categories_and_fd1_priorities(wales: Pack) -> None:
    assert wales.codes("abuse_categories") == ["neglect", "physical", "emotional", "sexual"]
    assert wales.codes("referrer_priorities") == ["high", "medium", "standard"]
    assert wales.label("abuse_categories", "sexual", "cy") == "Cam-drin rhywiol"


def test_ap3_allegation_outcomes_are_described(england: Pack) -> None:
    assert england.codes("allegation_outcomes") == [
        "substantiated",
        "unsubstantiated",
        "unfounded",
        "false",
        "malicious",
    ]
    assert "deliberate" in (england.item("allegation_outcomes", "malicious").description() or "")


def test_choices_give_code_and_label_in_order(wales: Pack) -> None:
    assert wales.choices("enquiry_types", "cy")[1] == ("joint", "Ar y cyd â'r heddlu")


def test_list_returns_a_copy(wales: Pack) -> None:
    items = wales.list("abuse_categories")
    items.clear()

    assert len(wales.list("abuse_categories")) == 4


def test_unknown_names_raise_key_errors_naming_the_pack(wales: Pack) -> None:
    with pytest.raises(KeyError, match="'wales' has no term 'nonsense'"):
        wales.term("nonsense")
    with pytest.raises(KeyError, match="has no timescale 'nonsense'"):
        wales.timescale("nonsense")
    with pytest.raises(KeyError, match="has no list 'nonsense'"):
        wales.list("nonsense")
    with pytest.raises(KeyError, match="has no code 'nonsense'"):
        wales.label("abuse_categories", "nonsense")


def test_packs_are_cached_until_cleared() -> None:
    first = load_pack("wales")

    assert load_pack("wales") is first
    clear_cache()
    assert load_pack("wales") is not first


def test_pack_data_cannot_be_changed(wales: Pack) -> None:
    with pytest.raises(TypeError):
        wales.timescales["icpc"] = wales.timescales["outline_plan"]  # type: ignore[index]


@pytest.mark.parametrize("name", ["scotland", "../wales", "Wales", ""])
def test_unknown_pack_names_are_refused(name: str) -> None:
    with pytest.raises(PackError, match="no such procedures pack"):
        load_pack(name)


def test_current_pack_follows_the_setting(settings: Settings) -> None:
    settings.TARIAN_PROCEDURES = "england"

    assert current_pack().key == "england"

    settings.TARIAN_PROCEDURES = "wales"

    assert current_pack().key == "wales"


def test_current_pack_defaults_to_wales(settings: Settings) -> None:
    del settings.TARIAN_PROCEDURES

    assert current_pack().key == "wales"


def test_current_pack_refuses_an_unknown_setting(settings: Settings) -> None:
    settings.TARIAN_PROCEDURES = "narnia"

    with pytest.raises(PackError, match=r"'narnia'.*available: england, wales"):
        current_pack()


@pytest.mark.parametrize("name", PACK_NAMES)
def test_pc1_challenge_tiers_escalate_in_order_each_with_its_own_local_clock(name: str) -> None:
    """PC1 (issue 21): four tiers, practitioners to the board, each resolved within the
    partnership's own figure (the procedures set none), counted from reaching the tier."""
    pack = load_pack(name)
    tiers = pack.list("challenge_tiers")

    assert [tier.code for tier in tiers] == [
        "practitioners", "team_managers", "senior_managers", "board"
    ]
    assert [tier.timescale for tier in tiers] == [f"challenge_tier_{n}" for n in range(1, 5)]
    scales = [pack.timescale_of("challenge_tiers", tier.code) for tier in tiers]
    assert [(s.amount, s.unit) for s in scales] == [
        (2, Unit.WORKING_DAYS), (5, Unit.WORKING_DAYS), (10, Unit.WORKING_DAYS),
        (20, Unit.WORKING_DAYS),
    ]
    for scale in scales:
        assert scale.starts == "challenge_tier_reached"
        assert scale.local_practice and "Local practice" in scale.source
    assert all(tier.label("cy") != tier.label("en") for tier in tiers)
