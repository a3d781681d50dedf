"""Hybrid logical clock stamps: wall time plus a counter, so ordering survives clock skew.

A stamp is a fixed-width string that sorts the way the clock ticks:
``0001763772000000-0000-<node>``. Ties between nodes are broken by the change id elsewhere.
"""

from __future__ import annotations

from datetime import UTC, datetime

_MS_WIDTH = 16
_COUNTER_WIDTH = 4
_COUNTER_MAX = 16**_COUNTER_WIDTH - 1


def make(ms: int, counter: int, node: str) -> str:
    return f"{ms:0{_MS_WIDTH}d}-{counter:0{_COUNTER_WIDTH}x}-{node}"


def parse(stamp: str) -> tuple[int, int, str]:
    ms, counter, node = stamp.split("-", 2)
    return int(ms), int(counter, 16), node


def tick(last: str | None, now: datetime, node: str) -> str:
    """The next stamp after `last` at wall time `now` (never goes backwards)."""
    now_ms = int(now.timestamp() * 1000)
    if last is None:
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
    ms, _, _ = parse(stamp)
    return datetime.fromtimestamp(ms / 1000, tz=UTC)
