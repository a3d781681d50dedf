"""The one clock: today and now for everything bridge records or compares.

Nothing else in bridge reads the wall clock. The service, the store (through the change log's
hybrid logical clock) and the app all take their dates and times from one `Clock`, so a
frozen day (`BRIDGE_TODAY`, a test, the sample's replay) freezes every stamp made on it, and
a snapshot recorded on one day renders the same on any other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from bridge_tui.errors import BadInput

#: The dates bridge accepts from a person or from BRIDGE_TODAY. Python's calendar ends on
#: 9999-12-31, so a day 1 or a "today" near it would overflow at day 90 or at the next
#: quarterly review; nothing before 1900 is an AI initiative. Every date typed in the CLI or
#: the app goes through `check_day`.
EARLIEST = date(1900, 1, 1)
LATEST = date(9000, 12, 31)


def check_day(day: date, what: str) -> date:
    """`day` if it lies in EARLIEST..LATEST; else one sentence naming `what` (a field)."""
    if not EARLIEST <= day <= LATEST:
        raise BadInput(
            f"{what} must lie between {EARLIEST.isoformat()} and {LATEST.isoformat()}, "
            f"not {day.isoformat()}."
        )
    return day


def add_days(day: date, days: int) -> date:
    """`day + days`, refused in a sentence (never an OverflowError) past the calendar's ends:
    date arithmetic on a date that came from a file, not from a person."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise BadInput(
            f"{day.isoformat()} moved by {days} days falls outside the calendar; use dates "
            f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}."
        ) from None


def _wall_now() -> datetime:
    return datetime.now(UTC)


class Clock:
    """`today()` is the local calendar day; `now()` an aware UTC moment on that day."""

    def __init__(
        self,
        today: Callable[[], date] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._today = today or self._system_today
        if now is None:
            now = self._system_now if today is None else self._now_on_frozen_day
        self._now = now

    @classmethod
    def system(cls) -> Clock:
        """The machine's own date and time."""
        return cls()

    @classmethod
    def on_day(cls, day: date) -> Clock:
        """A frozen day whose time of day keeps running (`BRIDGE_TODAY`, tests)."""
        return cls(lambda: day)

    @classmethod
    def fixed(cls, moment: datetime) -> Clock:
        """A stopped clock: every stamp is `moment` (aware, or taken as UTC)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return cls(lambda: moment.astimezone().date(), lambda: moment.astimezone(UTC))

    @classmethod
    def coerce(cls, value: Clock | date | Callable[[], date] | None) -> Clock:
        """What callers may pass as `today`: a clock, a frozen day, a day function or None."""
        if isinstance(value, Clock):
            return value
        if isinstance(value, date):
            return cls.on_day(value)
        return cls(value)

    def today(self) -> date:
        return self._today()

    def now(self) -> datetime:
        return self._now()

    @staticmethod
    def _system_today() -> date:
        return _wall_now().astimezone().date()

    @staticmethod
    def _system_now() -> datetime:
        return _wall_now()

    def _now_on_frozen_day(self) -> datetime:
        wall = _wall_now().astimezone()
        local = datetime.combine(self._today(), time(wall.hour, wall.minute, wall.second))
        return local.astimezone().astimezone(UTC)
