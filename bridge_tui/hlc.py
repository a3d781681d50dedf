"""Hybrid logical clock stamps: wall time plus a counter, so ordering survives clock skew.

A stamp is a fixed-width string that sorts the way the clock ticks:
``0001763772000000-0000-<node>``. Ties between nodes are broken by the change id elsewhere.

Stamps also arrive from other files (a merge, an import), so `problem` says in words what is
wrong with one that cannot be trusted, and reading one (`hlc_time`) never raises: a stamp a
forged or damaged file holds must not crash history or the next edit.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_MS_WIDTH = 16
_COUNTER_WIDTH = 4
_COUNTER_MAX = 16**_COUNTER_WIDTH - 1
_FORMAT = re.compile(r"\A([0-9]{16})-([0-9a-f]{4})-([0-9A-Za-z_.:-]{1,64})\Z")

#: how far ahead of our own clock a stamp from another copy may be (their clock runs fast)
MAX_SKEW = timedelta(days=1)
#: the earliest moment a stamp may name: bridge did not exist before it
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
#: what `hlc_time` shows for a stamp it cannot read (the epoch) or one beyond the calendar
UNREADABLE = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_SHOWN = datetime(9999, 12, 30, tzinfo=UTC)


def make(ms: int, counter: int, node: str) -> str:
    return f"{ms:0{_MS_WIDTH}d}-{counter:0{_COUNTER_WIDTH}x}-{node}"


def parse(stamp: str) -> tuple[int, int, str]:
    ms, counter, node = stamp.split("-", 2)
    return int(ms), int(counter, 16), node


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def well_formed(stamp: object) -> bool:
    return isinstance(stamp, str) and _FORMAT.match(stamp) is not None


def year_of(stamp: str) -> int | None:
    """The calendar year a well-formed stamp names (beyond year 9999 too), else None."""
    if not well_formed(stamp):
        return None
    days = int(stamp[:_MS_WIDTH]) // 86_400_000
    # proleptic Gregorian: every 400 years hold 146097 days, so fold the far future into
    # a range `date` can represent and add the cycles back
    ordinal = date(1970, 1, 1).toordinal() + days - 1
    cycles, rest = divmod(ordinal, 146_097)
    return date.fromordinal(rest + 1).year + 400 * cycles


def problem(stamp: object, now: datetime, skew: timedelta = MAX_SKEW) -> str | None:
    """What is wrong with a stamp, in words ("is stamped in the year 318857"), or None.

    Plausible means: the fixed format bridge writes, no earlier than 2000, and no later than
    `skew` after `now` (our clock): a teammate's clock may run a little fast, not a year.
    """
    if not well_formed(stamp):
        shown = repr(stamp) if not isinstance(stamp, str) else repr(stamp[:40])
        return f"has a change with an unreadable time stamp ({shown})"
    assert isinstance(stamp, str)
    ms = int(stamp[:_MS_WIDTH])
    if ms < _ms(EARLIEST):
        return f"has a change stamped in the year {year_of(stamp)}, before bridge existed"
    if ms > _ms(now + skew):
        year = year_of(stamp) or 0
        if year > now.year + 1:
            return f"has a change stamped in the year {year}"
        at = hlc_time(stamp).strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"has a change stamped {at}, more than a day ahead of this computer's clock "
            f"({now.astimezone(UTC).strftime('%Y-%m-%d %H:%M UTC')})"
        )
    return None


def tick(last: str | None, now: datetime, node: str) -> str:
    """The next stamp after `last` at wall time `now` (never goes backwards).

    A `last` that cannot be read is ignored rather than followed (a file holding one is
    refused for writing before it gets here; this keeps a stray one from crashing a write).
    """
    now_ms = int(now.timestamp() * 1000)
    if last is None or not well_formed(last):
        return make(now_ms, 0, node)
    last_ms, last_counter, _ = parse(last)
    if now_ms > last_ms:
        return make(now_ms, 0, node)
    if last_counter + 1 > _COUNTER_MAX:
        # The counter must keep its width or stamps stop sorting as text: borrow the next
        # millisecond instead (the wall clock catches up within moments).
        return make(last_ms + 1, 0, node)
    return make(last_ms, last_counter + 1, node)


def hlc_time(stamp: str) -> datetime:
    """The moment a stamp names; never raises (see `UNREADABLE` and `LATEST_SHOWN`)."""
    try:
        ms, _, _ = parse(stamp)
        return datetime.fromtimestamp(ms / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError, AttributeError):
        if well_formed(stamp) and int(stamp[:_MS_WIDTH]) > 0:
            return LATEST_SHOWN
        return UNREADABLE
