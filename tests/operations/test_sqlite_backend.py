"""The SQLite backend (issue 17): a statement's placeholders are converted once per text and
the statements answer exactly as through Django's own backend."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from tarian.core.db.sqlite import base

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


def test_settings_use_this_backend_for_sqlite() -> None:
    assert connection.settings_dict["ENGINE"] == "tarian.core.db.sqlite"
    assert isinstance(connections["default"], base.DatabaseWrapper)


@pytest.mark.django_db
def test_a_statement_is_converted_once_and_answers_as_before() -> None:
    base._converted.cache_clear()
    sql = "SELECT %s || '-probe', %s + 1, '100%%'"
    with connection.cursor() as cursor:
        cursor.execute(sql, ["a", 41])
        first = cursor.fetchall()
        cursor.execute(sql, ["b", 1])
        second = cursor.fetchall()
    assert first == [("a-probe", 42, "100%")]
    assert second == [("b-probe", 2, "100%")]
    info = base._converted.cache_info()
    assert (info.misses, info.hits) == (1, 1)


@pytest.mark.django_db
def test_named_parameters_and_many_rows_still_work() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %(word)s || %(word)s", {"word": "ab"})
        assert cursor.fetchall() == [("abab",)]
        cursor.execute("CREATE TEMP TABLE probe_rows (n integer)")
        cursor.executemany("INSERT INTO probe_rows (n) VALUES (%s)", [(1,), (2,), (3,)])
        cursor.execute("SELECT sum(n) FROM probe_rows WHERE n > %s", [0])
        assert cursor.fetchall() == [(6,)]
