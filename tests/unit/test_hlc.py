"""Hybrid logical clock stamps sort as text the way the clock ticks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bridge_tui import hlc

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_make_and_parse_round_trip() -> None:
    stamp = hlc.make(1_763_772_000_000, 7, "ab12cd34")
    assert stamp == "0001763772000000-0007-ab12cd34"
    assert hlc.parse(stamp) == (1_763_772_000_000, 7, "ab12cd34")


def test_node_may_contain_dashes() -> None:
    assert hlc.parse(hlc.make(5, 1, "a-b-c")) == (5, 1, "a-b-c")


def test_first_tick_uses_wall_time() -> None:
    stamp = hlc.tick(None, T0, "n")
    assert hlc.hlc_time(stamp) == T0
    assert hlc.parse(stamp)[1] == 0


def test_same_millisecond_bumps_counter() -> None:
    a = hlc.tick(None, T0, "n")
    b = hlc.tick(a, T0, "n")
    assert hlc.parse(b)[:2] == (hlc.parse(a)[0], 1)
    assert a < b


def test_clock_going_backwards_never_goes_backwards() -> None:
    a = hlc.tick(None, T0, "n")
    b = hlc.tick(a, T0 - timedelta(hours=1), "n")
    assert b > a
    assert hlc.hlc_time(b) == T0


def test_later_wall_time_resets_counter() -> None:
    a = hlc.tick(hlc.tick(None, T0, "n"), T0, "n")
    b = hlc.tick(a, T0 + timedelta(seconds=1), "n")
    assert hlc.parse(b)[1] == 0 and b > a


def test_counter_overflow_keeps_stamps_sorting() -> None:
    """A frozen clock (the sample, a benchmark) can tick more than 0xffff times."""
    last = hlc.make(1000, 0xFFFF, "n")
    nxt = hlc.tick(last, datetime.fromtimestamp(1, tz=UTC), "n")
    assert nxt > last
    assert len(nxt) == len(last)
    stamps = [hlc.tick(None, T0, "n")]
    for _ in range(70_000):
        stamps.append(hlc.tick(stamps[-1], T0, "n"))
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


@settings(database=None)  # no example files written into the checkout
@given(
    st.lists(
        st.tuples(st.integers(0, 10**13), st.integers(0, 0xFFFF)),
        min_size=2,
        max_size=20,
    )
)
def test_text_order_is_clock_order(pairs: list[tuple[int, int]]) -> None:
    stamps = [hlc.make(ms, c, "node") for ms, c in pairs]
    assert sorted(stamps) == [hlc.make(ms, c, "node") for ms, c in sorted(pairs)]


@settings(database=None)
@given(st.lists(st.integers(-5000, 5000), min_size=1, max_size=50))
def test_ticks_are_strictly_increasing(jumps: list[int]) -> None:
    last = None
    now = T0
    for j in jumps:
        now = now + timedelta(milliseconds=j)
        stamp = hlc.tick(last, now, "n")
        if last is not None:
            assert stamp > last
        last = stamp


# stamps from other files ---------------------------------------------------------------------

NOW = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)


def test_a_forged_far_future_stamp_is_named_by_its_year() -> None:
    assert hlc.year_of("9999999999999999-0000-evil") == 318857
    assert hlc.problem("9999999999999999-0000-evil", NOW) == (
        "has a change stamped in the year 318857"
    )


def test_plausible_means_well_formed_after_2000_and_at_most_a_day_ahead() -> None:
    ms = int(NOW.timestamp() * 1000)
    assert hlc.problem(hlc.make(ms, 0, "ab12cd34"), NOW) is None
    assert hlc.problem(hlc.make(ms + 86_400_000, 0, "n"), NOW) is None  # a day fast: fine
    ahead = hlc.problem(hlc.make(ms + 86_400_001, 0, "n"), NOW)
    assert ahead is not None and "more than a day ahead" in ahead
    assert "before bridge existed" in (hlc.problem(hlc.make(5, 0, "n"), NOW) or "")
    for bad in ("garbage", "", "0001763772000000-zzzz-n", "1763772000000-0000-n", None, 5):
        assert "unreadable time stamp" in (hlc.problem(bad, NOW) or ""), bad


def test_reading_a_bad_stamp_never_raises() -> None:
    assert hlc.hlc_time("garbage") == hlc.UNREADABLE
    assert hlc.hlc_time("9999999999999999-0000-evil") == hlc.LATEST_SHOWN
    hlc.LATEST_SHOWN.astimezone()  # shown in local time without overflowing


def test_a_bad_last_stamp_is_not_followed() -> None:
    assert hlc.tick("garbage", T0, "n") == hlc.make(int(T0.timestamp() * 1000), 0, "n")
