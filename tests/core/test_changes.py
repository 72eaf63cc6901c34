"""The shared change formatter: labels, readable values, blanks and what changed (IS3, #20 item
10). It knows no workflow: the fields and how they read come from the caller."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from tarian.core import changes
from tarian.core.changes import Shown

FIELDS = {
    "colour": Shown("Colour", changes.choice(lambda: [("r", "Red"), ("g", "Green")])),
    "born": Shown("Born", changes.date),
    "note": Shown("Note"),
    "ok": Shown("Checked", changes.yes_no),
    "merged": Shown("Merged with", noted=True),
}


def test_is2_issue20_first_version_lists_what_was_recorded_without_blanks() -> None:
    rows = changes.field_changes(None, {"colour": "r", "born": "2016-03-04", "note": ""}, FIELDS)
    assert [(r.label, r.after, r.is_changed) for r in rows] == [
        ("Colour", "Red", False), ("Born", "4 March 2016", False)
    ]


def test_is2_issue20_only_changed_fields_are_shown_with_what_they_were() -> None:
    before = {"colour": "r", "born": "2016-03-04", "note": "kept", "ok": False}
    after = {"colour": "g", "born": "2016-03-04", "note": "", "ok": True}
    rows = changes.field_changes(before, after, FIELDS)
    assert [(r.label, r.before, r.after) for r in rows] == [
        ("Colour", "Red", "Green"), ("Note", "kept", "Not recorded"), ("Checked", "No", "Yes")
    ]
    assert all(r.is_changed for r in rows)


def test_is2_issue20_blank_to_blank_and_unkept_fields_are_not_changes() -> None:
    # None and "" are both "nothing recorded"; a field one version did not keep is not compared,
    # and a note (a merge) belongs to its own version only.
    before = {"note": None, "born": "2016-03-04"}
    after = {"note": "", "merged": "T00000001", "colour": "r"}
    rows = changes.field_changes(before, after, FIELDS)
    assert [(r.label, r.before, r.after) for r in rows] == [
        ("Colour", None, "Red"), ("Merged with", None, "T00000001")
    ]


def test_is2_issue20_unknown_codes_and_lists_read_as_themselves() -> None:
    reads = changes.each(changes.choice(lambda: [("a", "Alpha")]))
    assert reads(["a", "zz", ""]) == "Alpha, zz"


def test_is2_issue20_values_and_times_read_in_welsh() -> None:
    at = dt.datetime(2026, 7, 4, 13, 5, tzinfo=dt.UTC)  # 14:05 in London (summer time)
    # July: Django's own Welsh catalogue spells it "Gorffenaf"; Tarian's corrects it.
    with translation.override("cy"):
        rows = changes.field_changes({"born": None}, {"born": "2016-03-04"}, FIELDS)
        assert (rows[0].before, rows[0].after) == ("Heb ei gofnodi", "4 Mawrth 2016")
        assert changes.moment(at) == "4 Gorffennaf 2026 am 14:05"
    assert changes.moment(at) == "4 July 2026 at 14:05"
    assert changes.moment(at.replace(month=1)) == "4 January 2026 at 13:05"  # GMT
