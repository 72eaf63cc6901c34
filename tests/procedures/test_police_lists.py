"""The packs' police lists (#20 item 9; FD1, PP2): incident types and the officer's risk
levels, each item naming its source or saying it is local practice, checked at load."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarian.procedures.packs import PackError, load_pack, load_pack_file
from tests.procedures.test_pack_validation import WALES_TEXT, _write


@pytest.mark.parametrize("name", ["wales", "england"])
def test_fd1_issue20_each_pack_has_the_police_lists_with_sources_and_welsh(name: str) -> None:
    pack = load_pack(name)
    incident_types = pack.list("police_incident_types")
    assert {"domestic_abuse", "other"} <= {item.code for item in incident_types}
    assert pack.codes("police_risk_levels") == ["standard", "medium", "high"]
    for item in [*incident_types, *pack.list("police_risk_levels")]:
        assert item.source and item.cy, item.code
    assert "DASH" in pack.item("police_risk_levels", "high").source  # type: ignore[operator]
    assert pack.item("police_incident_types", "other").local_practice
    assert not pack.item("police_incident_types", "domestic_abuse").local_practice
    assert "(PPN)" in pack.term("public_protection_notice_name")
    assert "(PPN)" in pack.term("public_protection_notice_name", "cy")
    assert "DVPN" in pack.term("protection_notice_name", "cy")


def test_fd1_issue20_a_police_list_item_without_its_source_is_refused(tmp_path: Path) -> None:
    text = WALES_TEXT.replace(
        'source = "Local practice: anything else, described in the concern"\n', "", 1
    )
    assert text != WALES_TEXT
    with pytest.raises(PackError) as refused:
        load_pack_file(_write(tmp_path, text))
    assert refused.value.key == "lists.police_incident_types[5].source"
    assert "must name its source" in refused.value.problem


def test_fd1_issue20_local_practice_must_be_true_or_false(tmp_path: Path) -> None:
    text = WALES_TEXT.replace(
        'code = "other"\nen = "Other"\ncy = "Arall"\nlocal_practice = true',
        'code = "other"\nen = "Other"\ncy = "Arall"\nlocal_practice = "yes"', 1,
    )
    assert text != WALES_TEXT
    with pytest.raises(PackError) as refused:
        load_pack_file(_write(tmp_path, text))
    assert refused.value.key == "lists.police_incident_types[5].local_practice"


def test_pp2_issue20_a_pack_without_domestic_abuse_is_refused(tmp_path: Path) -> None:
    text = WALES_TEXT.replace('code = "domestic_abuse"', 'code = "domestic_incident"', 1)
    with pytest.raises(PackError) as refused:
        load_pack_file(_write(tmp_path, text))
    assert refused.value.key == "lists.police_incident_types"
    assert "domestic_abuse" in refused.value.problem


def test_fd1_issue20_a_pack_without_the_ppn_term_is_refused(tmp_path: Path) -> None:
    text = WALES_TEXT.replace("[terms.public_protection_notice_name]", "[terms.ppn_name]", 1)
    with pytest.raises(PackError) as refused:
        load_pack_file(_write(tmp_path, text))
    assert "public_protection_notice_name" in refused.value.problem

