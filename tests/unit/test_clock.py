"""The one clock: a frozen day freezes every stamp made on it; nothing else reads the wall."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bridge_tui import clock
from bridge_tui.clock import Clock

DAY = date(2026, 1, 1)


def test_a_frozen_day_keeps_its_date_while_the_time_of_day_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = Clock.on_day(DAY)
    monkeypatch.setattr(clock, "_wall_now", lambda: datetime(2030, 5, 5, 10, 0, 1, tzinfo=UTC))
    first = c.now()
    monkeypatch.setattr(clock, "_wall_now", lambda: datetime(2030, 5, 5, 10, 0, 9, tzinfo=UTC))
    second = c.now()
    assert c.today() == DAY
    assert first.astimezone().date() == DAY and second.astimezone().date() == DAY
    assert (second - first).total_seconds() == 8
    assert first.tzinfo is not None


def test_a_fixed_clock_never_moves() -> None:
    moment = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    c = Clock.fixed(moment)
    assert c.now() == moment and c.now() == moment
    assert c.today() == moment.astimezone().date()


def test_the_system_clock_reads_the_one_wall_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime(2031, 7, 8, 9, 10, tzinfo=UTC)
    monkeypatch.setattr(clock, "_wall_now", lambda: moment)
    c = Clock.system()
    assert c.now() == moment and c.today() == moment.astimezone().date()


def test_coerce_takes_a_clock_a_day_a_day_function_or_nothing() -> None:
    c = Clock.fixed(datetime(2026, 3, 4, tzinfo=UTC))
    assert Clock.coerce(c) is c
    assert Clock.coerce(DAY).today() == DAY
    assert Clock.coerce(lambda: DAY).today() == DAY
    assert isinstance(Clock.coerce(None), Clock)


def test_the_test_suite_itself_never_sees_the_real_date() -> None:
    """conftest stops the wall clock: the system clock reads the frozen moment."""
    from tests.conftest import FROZEN_NOW

    assert Clock.system().now() == FROZEN_NOW
