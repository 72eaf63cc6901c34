"""FD7: the partnership's threshold guide: the pack's levels by default, edited by a system
administrator (versioned with a reason, audited), used by the Gateway decision."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection

from tarian.agencies.models import Agency, User
from tarian.audit.models import AccessAction, AccessEvent, RecordVersion
from tarian.errors import Conflict, Forbidden, Refused
from tarian.people.models import Person
from tarian.procedures.packs import load_pack
from tarian.referrals import services as referrals
from tarian.referrals import threshold
from tarian.referrals.models import Referral, ThresholdLevel
from tarian.referrals.threshold import Guide, current_guide, update_threshold_guide
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REASON = "The partnership board agreed new wording for the levels of need on 3 March."
RATIONALE = (
    "Bruising seen by the school and the child afraid to go home: reasonable cause to suspect "
    "significant harm, so a strategy discussion is needed today."
)


@pytest.fixture
def system_admin(childrens_services: Agency) -> User:
    return UserFactory(username="alun", agency=childrens_services, roles=["system_admin"])


def levels_of(guide: Guide) -> list[dict[str, Any]]:
    """The guide's levels as ``update_threshold_guide`` takes them, to change and send back."""
    return [level.as_data() for level in guide.levels]


def new_level(code: str = "edge_of_care", **changes: Any) -> dict[str, Any]:
    return {
        "code": code,
        "title_en": "Level 5: edge of care",
        "title_cy": "Lefel 5: ar gyrion gofal",
        "description_en": "A child who may need to be looked after.",
        "description_cy": "Plentyn a allai fod angen derbyn gofal.",
        "position": "",
        "is_active": True,
        **changes,
    }


def referral_about(child: Person, referrer: User) -> Referral:
    return referrals.submit_referral(
        referrer,
        data={
            "children": [child.ref],
            "concern": "Gwenllian came to school with bruising to her arm and said her dad "
                       "grabbed her.",
            "voice_of_child": "'Dad was cross and grabbed me.'",
            "voice_method": "own_words",
            "voice_language": "cy",
            "parental_awareness": "not_told_risk",
            "consent": "not_sought",
            "priority": "high",
        },
    )


# Defaults --------------------------------------------------------------------------------------


def test_fd7_new_install_shows_the_packs_guide_with_no_setup(settings: Any) -> None:
    settings.TARIAN_PROCEDURES = "wales"
    wales = load_pack("wales").list("levels_of_need")
    guide = current_guide()
    assert guide.is_pack_default and guide.version == 0
    assert [level.code for level in threshold.threshold_guide()] == [i.code for i in wales]
    assert [level.title("en") for level in guide.levels] == [i.en for i in wales]
    assert [level.title("cy") for level in guide.levels] == [i.cy for i in wales]
    assert [level.position for level in guide.levels] == [1, 2, 3, 4]
    assert threshold.threshold_codes() == ["universal", "additional", "complex", "acute"]
    settings.TARIAN_PROCEDURES = "england"
    england = load_pack("england").list("levels_of_need")
    assert [level.title("en") for level in threshold.threshold_guide()] == [i.en for i in england]
    assert not ThresholdLevel.objects.exists()


# Editing ---------------------------------------------------------------------------------------


def test_fd7_system_admin_edits_the_guide_versioned_with_reason_and_audited(
    system_admin: User,
) -> None:
    levels = levels_of(current_guide())
    levels[1]["title_en"] = "Level 2: early help and support"
    levels[1]["title_cy"] = "Lefel 2: cymorth cynnar a chefnogaeth"
    levels.append(new_level())
    moment = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
    guide = update_threshold_guide(
        system_admin, levels=levels, version=0, reason=f"  {REASON} ", now=moment
    )
    assert guide.version == 1 and not guide.is_pack_default
    assert [level.code for level in threshold.threshold_guide()] == [
        "universal", "additional", "complex", "acute", "edge_of_care"
    ]
    assert threshold.threshold_guide()[1].title("cy") == "Lefel 2: cymorth cynnar a chefnogaeth"
    rows = ThresholdLevel.objects.filter(pack="wales")
    assert {row.version for row in rows} == {1}
    assert {row.modified_by for row in rows} == {system_admin}
    history = RecordVersion.objects.get(record_kind="threshold_guide", record_id="wales")
    assert (history.version, history.reason, history.changed_by) == (1, REASON, system_admin)
    assert [level["code"] for level in history.data["levels"]][-1] == "edge_of_care"
    assert history.data["levels"][1]["title_en"] == "Level 2: early help and support"
    event = AccessEvent.objects.get(record_kind="threshold_guide")
    assert (event.action, event.user, event.record_id) == (
        AccessAction.UPDATE, system_admin, "wales"
    )
    assert event.detail == {
        "version": 1, "added": ["edge_of_care"], "changed": ["additional"], "removed": [],
        "from_pack_defaults": True,
    }

    # The next save starts from version 1; only the level that changed gets a new author.
    other_admin = UserFactory(agency=system_admin.agency, roles=["system_admin"])
    levels = levels_of(guide)
    levels[0]["description_en"] = "Needs met by universal services."
    levels[0]["description_cy"] = "Anghenion yn cael eu diwallu gan wasanaethau cyffredinol."
    later = update_threshold_guide(other_admin, levels=levels, version=1, reason=REASON)
    assert later.version == 2
    authors = dict(ThresholdLevel.objects.values_list("code", "modified_by"))
    assert authors["universal"] == other_admin.pk and authors["acute"] == system_admin.pk
    assert set(ThresholdLevel.objects.values_list("version", flat=True)) == {2}
    assert RecordVersion.objects.filter(record_kind="threshold_guide").count() == 2
    assert AccessEvent.objects.filter(record_kind="threshold_guide").latest("pk").detail == {
        "version": 2, "added": [], "changed": ["universal"], "removed": [],
        "from_pack_defaults": False,
    }
    assert threshold.last_saved(later) == threshold.Saved(
        version=2, by=str(other_admin), agency=system_admin.agency.name,
        at=RecordVersion.objects.get(version=2).changed_at, reason=REASON,
    )


def test_fd7_system_admin_of_any_kind_of_agency_may_edit(board: Agency) -> None:
    admin = UserFactory(agency=board, roles=["system_admin"])
    guide = update_threshold_guide(
        admin, levels=levels_of(current_guide()), version=0, reason=REASON
    )
    assert guide.version == 1


@pytest.mark.parametrize(
    "persona", ["team_manager", "social_worker", "gateway_worker", "school_dsl", "board_member"]
)
def test_fd7_only_system_admins_may_change_the_guide(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(Forbidden):
        threshold.guide_for_editing(user)
    with pytest.raises(Forbidden):
        update_threshold_guide(user, levels=levels_of(current_guide()), version=0, reason=REASON)
    assert not ThresholdLevel.objects.exists()
    assert not RecordVersion.objects.filter(record_kind="threshold_guide").exists()


def test_fd7_every_bad_field_is_named_and_nothing_is_saved(system_admin: User) -> None:
    levels = [
        {"code": "", "title_en": "", "title_cy": "Lefel 1", "position": "first"},
        {"code": "Early Help", "title_en": "Level 2", "title_cy": "", "description_en": "Help"},
        {"code": "acute", "title_en": "x" * 201, "title_cy": "Lefel 3", "description_cy": "Risg",
         "position": "0"},
        {"code": "acute", "title_en": "Level 4", "title_cy": "Lefel 4", "is_active": "yes"},
        {"code": "a" * 33, "title_en": "Level 5", "title_cy": "Lefel 5", "position": 100},
    ]
    with pytest.raises(Refused) as refused:
        update_threshold_guide(system_admin, levels=levels, version=0, reason="  ")
    errors = refused.value.errors
    assert set(errors) == {
        "levels.0.code", "levels.0.title_en", "levels.0.position",
        "levels.1.code", "levels.1.title_cy", "levels.1.description_cy",
        "levels.2.title_en", "levels.2.description_en", "levels.2.position",
        "levels.3.code", "levels.3.is_active",
        "levels.4.code", "levels.4.position",
        "reason",
    }
    assert errors["levels.0.title_en"] == ["Level 1: enter the title in English"]
    assert errors["levels.1.title_cy"] == ["Level 2: enter the title in Welsh"]
    assert errors["levels.1.code"][0].startswith("Level 2: the code must start with a lower-case")
    assert errors["levels.3.code"] == ["Level 4: the code acute is already used by level 3"]
    assert errors["levels.4.code"] == ["Level 5: the code must be 32 characters or fewer"]
    assert errors["levels.2.title_en"] == [
        "Level 3: the title in English must be 200 characters or fewer"
    ]
    assert errors["reason"] == ["Say why you are changing the threshold guide"]
    assert not ThresholdLevel.objects.exists()
    assert not RecordVersion.objects.filter(record_kind="threshold_guide").exists()
    assert not AccessEvent.objects.filter(record_kind="threshold_guide").exists()


@pytest.mark.parametrize(
    ("count", "in_use", "message"),
    [
        (0, True, "Add at least one level of need"),
        (13, True, "A threshold guide can have at most 12 levels. Remove 1."),
        (3, False, "Keep at least one level in use"),
    ],
)
def test_fd7_the_guide_has_one_to_twelve_levels_and_one_in_use(
    system_admin: User, count: int, in_use: bool, message: str
) -> None:
    levels = [
        new_level(f"level_{n}", is_active=in_use, title_en=f"Level {n}", title_cy=f"Lefel {n}")
        for n in range(count)
    ]
    # Removing the pack's levels is allowed: no decision records them.
    with pytest.raises(Refused) as refused:
        update_threshold_guide(system_admin, levels=levels, version=0, reason=REASON)
    assert refused.value.errors == {"levels": [message]}
    twelve = [new_level(f"level_{n}") for n in range(12)]
    assert len(update_threshold_guide(
        system_admin, levels=twelve, version=0, reason=REASON
    ).levels) == 12


def test_fd7_positions_set_the_order_and_blank_keeps_its_place_at_the_end(
    system_admin: User,
) -> None:
    levels = levels_of(current_guide())
    levels[3]["position"] = "1"  # acute first
    levels[0]["position"] = ""  # universal after those with a position
    guide = update_threshold_guide(
        system_admin, levels=[*levels, new_level(position="2")], version=0, reason=REASON
    )
    assert [(level.position, level.code) for level in guide.levels] == [
        (1, "acute"), (2, "additional"), (3, "edge_of_care"), (4, "complex"), (5, "universal")
    ]
    assert [level.code for level in threshold.threshold_guide()] == [
        "acute", "additional", "edge_of_care", "complex", "universal"
    ]


# Optimistic concurrency ------------------------------------------------------------------------


def test_fd7_a_stale_version_conflicts_and_changes_nothing(system_admin: User) -> None:
    read_by_both = current_guide()
    first = levels_of(read_by_both)
    first[0]["title_en"] = "Level 1: universal services"
    update_threshold_guide(system_admin, levels=first, version=0, reason=REASON)
    second = levels_of(read_by_both)
    second[0]["title_en"] = "Level 1: everyone"
    with pytest.raises(Conflict) as conflict:
        update_threshold_guide(system_admin, levels=second, version=0, reason=REASON)
    assert conflict.value.current_version == 1
    assert threshold.threshold_guide()[0].title_en == "Level 1: universal services"
    assert RecordVersion.objects.filter(record_kind="threshold_guide").count() == 1


def test_fd7_a_first_save_that_lands_while_another_is_saving_conflicts(
    system_admin: User,
) -> None:
    """Before the first save there is no level row to lock: the guide's version in the history
    is unique, so the later of two first saves fails there and is told it conflicts."""
    RecordVersion.objects.create(
        record_kind="threshold_guide", record_id="wales", version=1, data={},
        changed_at=dt.datetime(2026, 3, 3, tzinfo=dt.UTC), changed_by_display="Another admin",
        reason=REASON,
    )
    with pytest.raises(Conflict) as conflict:
        update_threshold_guide(
            system_admin, levels=levels_of(current_guide()), version=0, reason=REASON
        )
    assert conflict.value.current_version == 0
    assert not ThresholdLevel.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fd7_two_first_saves_at_once_one_saves_and_the_other_conflicts(
    system_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both start from the pack's defaults (nothing to lock) and meet before writing: the later
    one must be told someone else saved, not fail and not merge the two guides."""
    meeting = threading.Barrier(2, timeout=20)
    check = threshold.clean_levels

    def meet_then_check(levels: Any) -> Any:
        meeting.wait()
        return check(levels)

    monkeypatch.setattr(threshold, "clean_levels", meet_then_check)
    outcomes: list[str] = []

    def save(code: str) -> None:
        try:
            levels = [new_level(code)]
            update_threshold_guide(system_admin, levels=levels, version=0, reason=REASON)
            outcomes.append("saved")
        except Conflict as conflict:
            outcomes.append(f"conflict at {conflict.current_version}")
        finally:
            connection.close()

    savers = [threading.Thread(target=save, args=(code,)) for code in ("from_a", "from_b")]
    for saver in savers:
        saver.start()
    for saver in savers:
        saver.join(timeout=60)
    assert sorted(outcomes) == ["conflict at 1", "saved"]
    assert ThresholdLevel.objects.count() == 1
    assert RecordVersion.objects.filter(record_kind="threshold_guide").count() == 1


# Levels that decisions record ----------------------------------------------------------------


def test_fd7_a_level_a_decision_records_cannot_be_removed_only_taken_out_of_use(
    system_admin: User, gateway_worker: User, school_dsl: User, child: Person
) -> None:
    for _ in range(2):
        referrals.record_decision(
            gateway_worker, ref=referral_about(child, school_dsl).ref,
            outcome="strategy_discussion", rationale=RATIONALE, threshold_level="acute",
        )
    without_acute = [level for level in levels_of(current_guide()) if level["code"] != "acute"]
    with pytest.raises(Refused) as refused:
        update_threshold_guide(system_admin, levels=without_acute, version=0, reason=REASON)
    assert refused.value.errors == {"levels": [
        "“Level 4: child at risk” (code acute) is recorded on 2 Gateway decisions, so it "
        "cannot be removed. Keep it and untick “In use” instead."
    ]}
    # Changing its code is removing it too.
    renamed = levels_of(current_guide())
    renamed[3]["code"] = "child_at_risk"
    with pytest.raises(Refused):
        update_threshold_guide(system_admin, levels=renamed, version=0, reason=REASON)
    assert not ThresholdLevel.objects.exists()

    # Taken out of use, it stays (decisions still name it) but is no longer offered; a level no
    # decision records may go.
    levels = [level for level in levels_of(current_guide()) if level["code"] != "universal"]
    levels[-1]["is_active"] = False
    guide = update_threshold_guide(system_admin, levels=levels, version=0, reason=REASON)
    assert [(level.code, level.is_active) for level in guide.levels] == [
        ("additional", True), ("complex", True), ("acute", False)
    ]
    audit = AccessEvent.objects.get(record_kind="threshold_guide").detail
    assert audit["removed"] == ["universal"]
    assert audit["changed"] == ["additional", "complex", "acute"]  # moved up; acute out of use
    assert threshold.threshold_codes() == ["additional", "complex"]
    with pytest.raises(Refused) as refused:
        referrals.record_decision(
            gateway_worker, ref=referral_about(child, school_dsl).ref,
            outcome="strategy_discussion", rationale=RATIONALE, threshold_level="acute",
        )
    assert refused.value.errors == {
        "threshold_level": ["Choose a level of need from the threshold guide"]
    }
    # Once the guide is stored, removing a level decisions record is still refused.
    with pytest.raises(Refused):
        update_threshold_guide(system_admin, levels=levels[:2], version=1, reason=REASON)


def test_fd7_record_decision_accepts_a_new_level_and_refuses_an_unknown_one(
    system_admin: User, gateway_worker: User, school_dsl: User, child: Person
) -> None:
    update_threshold_guide(
        system_admin, levels=[*levels_of(current_guide()), new_level()], version=0, reason=REASON
    )
    decision = referrals.record_decision(
        gateway_worker, ref=referral_about(child, school_dsl).ref, outcome="assessment",
        rationale=RATIONALE, threshold_level="edge_of_care",
    )
    assert decision.threshold_level == "edge_of_care"
    with pytest.raises(Refused) as refused:
        referrals.record_decision(
            gateway_worker, ref=referral_about(child, school_dsl).ref, outcome="assessment",
            rationale=RATIONALE, threshold_level="level_9000",
        )
    assert set(refused.value.errors) == {"threshold_level"}


def test_fd7_each_pack_keeps_its_own_guide(system_admin: User, settings: Any) -> None:
    settings.TARIAN_PROCEDURES = "wales"
    update_threshold_guide(
        system_admin, levels=[*levels_of(current_guide()), new_level()], version=0, reason=REASON
    )
    settings.TARIAN_PROCEDURES = "england"
    guide = current_guide()
    assert guide.is_pack_default and "edge_of_care" not in threshold.threshold_codes()
    assert "edge_of_care" in threshold.threshold_codes("wales")


def test_fd7_welsh_titles_and_descriptions_in_welsh(system_admin: User) -> None:
    update_threshold_guide(
        system_admin, levels=[*levels_of(current_guide()), new_level()], version=0, reason=REASON
    )
    level = threshold.threshold_guide()[-1]
    assert level.title("cy") == "Lefel 5: ar gyrion gofal"
    assert level.title("cy-gb") == "Lefel 5: ar gyrion gofal"
    assert level.description("cy") == "Plentyn a allai fod angen derbyn gofal."
    assert level.title("en") == "Level 5: edge of care"
