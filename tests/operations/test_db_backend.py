"""The PostgreSQL backend's health check (operations): a connection a request finished with
moments ago is checked locally; one idle for longer is asked ``SELECT 1`` as Django does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections

from tarian.core.db.postgresql import base


@dataclass
class FakeConnection:
    closed: bool = False
    broken: bool = False


class Probe(base.DatabaseWrapper):
    """The wrapper with the server replaced: counts the checks it would have sent."""

    def __init__(self) -> None:
        settings = {**connection.settings_dict, "CONN_HEALTH_CHECKS": True}
        settings.setdefault("OPTIONS", {})
        super().__init__(settings)
        self.health_check_enabled = True
        self.connection = FakeConnection()
        self.asked = 0
        self.closed_count = 0

    def is_usable(self) -> bool:
        self.asked += 1
        return True

    def get_autocommit(self) -> bool:
        return bool(self.settings_dict["AUTOCOMMIT"])

    def close(self) -> None:
        self.closed_count += 1
        self.connection = None  # type: ignore[assignment]


def _request(probe: Probe) -> None:
    probe.close_if_unusable_or_obsolete()  # request_started
    probe.close_if_health_check_failed()  # the request's first statement
    probe.close_if_unusable_or_obsolete()  # request_finished


class Clock:
    """``time.monotonic`` as the backend sees it, moved on by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    made = Clock()
    monkeypatch.setattr(base.time, "monotonic", made)
    return made


@pytest.fixture
def used(clock: Clock) -> Probe:
    """A connection one request has used just now."""
    probe = Probe()
    _request(probe)
    return probe


def test_first_request_on_a_connection_is_checked_with_the_server() -> None:
    probe = Probe()
    _request(probe)
    assert probe.asked == 1


def test_connection_used_moments_ago_is_not_asked_again(clock: Clock, used: Probe) -> None:
    for _ in range(5):
        clock.now += 0.5
        _request(used)
    assert used.asked == 1
    assert used.closed_count == 0


def test_connection_idle_longer_is_checked_again(clock: Clock, used: Probe) -> None:
    clock.now += base.RECENT_SECONDS + 0.1
    _request(used)
    assert used.asked == 2


@pytest.mark.parametrize("state", ["closed", "broken"])
def test_connection_known_broken_is_closed_without_asking(
    clock: Clock, used: Probe, state: str
) -> None:
    setattr(used.connection, state, True)
    clock.now += 0.1
    used.close_if_unusable_or_obsolete()
    used.close_if_health_check_failed()
    assert used.closed_count == 1
    assert used.asked == 1


def test_settings_use_this_backend_for_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert connection.settings_dict["ENGINE"] == "tarian.core.db.postgresql"
    assert isinstance(connections["default"], base.DatabaseWrapper)


@pytest.mark.django_db
def test_prepared_cursor_plans_a_statement_once_per_connection() -> None:
    """On PostgreSQL the hot statements are prepared (planned once per connection); the rows
    are the same as through Django's usual cursor, and elsewhere it is that cursor."""
    from tarian.core.rawsql import prepared_cursor

    sql = "SELECT %s || '-tarian-probe', %s + 1"
    with prepared_cursor() as cursor:
        cursor.execute(sql, ["a", 41])
        first = cursor.fetchall()
        cursor.execute(sql, ["b", 1])
        second = cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, ["a", 41])
        assert cursor.fetchall() == first == [("a-tarian-probe", 42)]
    assert second == [("b-tarian-probe", 2)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%tarian-probe%"],
            )
            assert cursor.fetchone() == (1,)


@pytest.mark.parametrize(("options", "threshold"), [({}, 0), ({"prepare_threshold": None}, None)])
def test_preparing_can_be_turned_off_for_a_pooler(options: dict[str, Any], threshold: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    settings = {**connection.settings_dict, "OPTIONS": dict(options)}
    params = base.DatabaseWrapper(settings).get_connection_params()
    assert params["prepare_threshold"] == threshold
