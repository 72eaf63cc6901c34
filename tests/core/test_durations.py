"""Lengths of time in words, in English and Welsh from the catalogue (FD4, VC2, #20)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from tarian.core.durations import duration_words


@pytest.mark.parametrize(
    ("length", "english", "welsh"),
    [
        (timedelta(hours=2, minutes=10), "2 h 10 min", "2 awr 10 munud"),
        (timedelta(hours=2, minutes=10, seconds=59), "2 h 10 min", "2 awr 10 munud"),
        (timedelta(days=1, hours=3, minutes=40), "1 day 3 h", "1 diwrnod 3 awr"),
        (timedelta(days=2, hours=3), "2 days 3 h", "2 diwrnod 3 awr"),
        (timedelta(days=3), "3 days", "3 diwrnod"),
        (timedelta(hours=2), "2 h", "2 awr"),
        (timedelta(minutes=45), "45 min", "45 munud"),
        (timedelta(seconds=20), "less than 1 min", "llai nag 1 munud"),
        (-timedelta(days=1, hours=3), "1 day 3 h", "1 diwrnod 3 awr"),
    ],
)
def test_fd4_20_durations_read_at_a_glance_in_english_and_welsh(
    length: timedelta, english: str, welsh: str
) -> None:
    with translation.override("en"):
        assert duration_words(length) == english
    with translation.override("cy"):
        assert duration_words(length) == welsh
