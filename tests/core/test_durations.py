"""Lengths of time in words, in English and Welsh from the catalogue (FD4, VC2, #20)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from tarian.core.durations import duration_words


@pytest.mark.parametrize(
    ("length", "english", "welsh"),
    [
        (timedelta(hours=2, minutes=10), "2 h 10 min", "2 awr, 10 munud"),
        (timedelta(hours=2, minutes=10, seconds=59), "2 h 10 min", "2 awr, 10 munud"),
        (timedelta(days=1, hours=3, minutes=40), "1 day 3 h", "1 diwrnod, 3 awr"),
        (timedelta(days=2, hours=3), "2 days 3 h", "2 ddiwrnod, 3 awr"),
        (timedelta(days=3), "3 days", "3 diwrnod"),
        (timedelta(hours=2), "2 h", "2 awr"),
        (timedelta(minutes=45), "45 min", "45 munud"),
        (timedelta(minutes=2), "2 min", "2 funud"),
        (timedelta(days=2), "2 days", "2 ddiwrnod"),
        (timedelta(days=8, minutes=1), "8 days", "8 diwrnod"),
        (timedelta(hours=1, minutes=1), "1 h 1 min", "1 awr, 1 munud"),
        (timedelta(seconds=20), "less than 1 min", "llai nag 1 munud"),
        (-timedelta(days=1, hours=3), "1 day 3 h", "1 diwrnod, 3 awr"),
    ],
)
def test_fd4_issue20_durations_read_at_a_glance_in_english_and_welsh_with_mutations(
    length: timedelta, english: str, welsh: str
) -> None:
    with translation.override("en"):
        assert duration_words(length) == english
    with translation.override("cy"):
        assert duration_words(length) == welsh
