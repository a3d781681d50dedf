"""What the board shows, without the screen: the initiatives bucketed by stage in board order
(`scoring.board_key`), the `/` filter, whether the Killed column shows, and the cards scored so
far. Pure (no Textual, no database): the board screen pushes what it asks for into its columns,
and the unit tests drive it directly (`tests/unit/test_board_model.py`).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING

from bridge_tui import method, scoring

if TYPE_CHECKING:
    from typing import TypeAlias

    from bridge_tui.models import Initiative
    from bridge_tui.records import InitiativeRecord

    #: an initiative as the board holds it: its model, or the plain record its first read
    #: made before the models were loaded (`service.start`); both have every field
    Shown: TypeAlias = Initiative | InitiativeRecord

AnswerMap = Mapping[str, str]


class LazyAnswers(Mapping[str, AnswerMap]):
    """Answers read for some initiatives only, the others' read when first asked for: a large
    board reads up front only the answers its cards' flags need (`Service.lean_board`), and a
    card drawn or selected reads its own (`fetch`, one indexed query). `read` are the ids whose
    answers were read (those without any answer too)."""

    def __init__(
        self,
        loaded: dict[str, dict[str, str]],
        read: Iterable[str],
        fetch: Callable[[str], dict[str, str]] | None = None,
    ) -> None:
        self._loaded = loaded
        self._read = set(read)
        self.fetch = fetch

    def __getitem__(self, initiative_id: str) -> AnswerMap:
        found = self._loaded.get(initiative_id)
        if found is not None:
            return found
        if initiative_id in self._read:
            raise KeyError(initiative_id)  # read: it has no answers
        if self.fetch is None:
            raise RuntimeError(f"the answers of {initiative_id} were not read")
        found = self._loaded[initiative_id] = self.fetch(initiative_id)
        self._read.add(initiative_id)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded)

    def __len__(self) -> int:
        return len(self._loaded)


def order_key(i: Shown) -> tuple[int, str, str]:
    """Board order (`scoring.board_key`): within a stage's bucket, name (any case), then id."""
    return scoring.board_key(i.id, i.stage, i.name)


def haystack(i: Shown) -> str:
    """What `/` searches: name, owner, team and blockers (ids and labels)."""
    blockers = " ".join(f"{b} {method.BLOCKER_BY_ID[b].label}" for b in i.blockers)
    return f"{i.name}\n{i.owner}\n{i.team}\n{blockers}".casefold()


class BoardModel:
    def __init__(self) -> None:
        self.by_stage: dict[str, list[Shown]] = {s: [] for s in method.STAGE_IDS}
        self.answers: Mapping[str, AnswerMap] = {}
        #: stage histories of the initiatives in Pilot or Validate (pilot purgatory)
        self.histories: Mapping[str, scoring.History] = {}
        self.show_killed = False
        self.filter_text = ""
        #: scored cards, kept until a reload (only cards drawn or selected are scored)
        self.cards: dict[str, scoring.Card] = {}
        #: id -> (the initiative, the day, its flags): every card's height needs its flags,
        #: and a column lays out again on every resize (kept and dropped with `cards`)
        self.flags: dict[str, tuple[Shown, date, tuple[str, ...]]] = {}
        self._haystacks: dict[str, str] = {}
        #: while only the first part of a large board is loaded (`Service.board_head`): how
        #: many initiatives each stage has in all (None once the whole board is in)
        self.totals: dict[str, int] | None = None

    # the data ----------------------------------------------------------------------------

    def load(
        self,
        initiatives: Iterable[Shown],
        answers: Mapping[str, AnswerMap],
        histories: Mapping[str, scoring.History],
        *,
        head: frozenset[str] | None = None,
        totals: dict[str, int] | None = None,
    ) -> None:
        """A fresh board: every bucket again, every kept card and flag dropped. With `head`,
        only the first part of the board (`Service.board_head`): the buckets hold those ids,
        and `totals` counts each stage in full until the whole board comes."""
        self.answers = answers
        self.histories = histories
        self.cards.clear()
        self.flags.clear()
        self._haystacks = {}
        self.totals = totals if head is not None else None
        self.by_stage = {s: [] for s in method.STAGE_IDS}
        for i in sorted(initiatives, key=order_key):
            if head is None or i.id in head:
                self.by_stage[i.stage].append(i)

    def ordered_ids(self) -> list[str]:
        """Every loaded initiative's id in board order: the buckets are kept in it, stage by
        stage (`order_key`), so no sort is needed."""
        return [i.id for stage in method.STAGE_IDS for i in self.by_stage[stage]]

    @property
    def complete(self) -> bool:
        """The whole board is loaded (not only its first part)."""
        return self.totals is None

    def total(self, stage: str) -> int:
        """How many initiatives `stage` has, loaded or not."""
        if self.totals is not None:
            return max(self.totals.get(stage, 0), len(self.by_stage[stage]))
        return len(self.by_stage[stage])

    def adopt(self, ready: BoardModel) -> None:
        """Swap in a board loaded and flagged elsewhere (`board_load.ready_board`, in a
        worker), keeping what this one shows: the filter and the Killed column."""
        self.by_stage = ready.by_stage
        self.answers = ready.answers
        self.histories = ready.histories
        self.totals = ready.totals
        self.cards.clear()
        self.flags = ready.flags
        self._haystacks = {}

    def find(self, initiative_id: str) -> Shown | None:
        for items in self.by_stage.values():
            for i in items:
                if i.id == initiative_id:
                    return i
        return None

    def replace(self, updated: Shown, old: Shown | None = None) -> set[str]:
        """Our own write: swap one initiative in (a bisect in the two stages it touches; a
        deleted one only leaves). Returns the stages whose cards changed: all of them when a
        name changed (another card's cut may change with it, `names_changed`)."""
        old = old or self.find(updated.id)
        touched = {updated.stage}
        if old is not None:
            bucket = self.by_stage[old.stage]
            at = bisect_left(bucket, order_key(old), key=order_key)
            while at < len(bucket) and bucket[at].id != old.id:
                at += 1
            if at < len(bucket):
                del bucket[at]
            touched.add(old.stage)
        if not updated.deleted:
            insort(self.by_stage[updated.stage], updated, key=order_key)
        if self.totals is not None:  # the counts of the stages not fully loaded yet
            if old is not None:
                self.totals[old.stage] = self.totals.get(old.stage, 1) - 1
            if not updated.deleted:
                self.totals[updated.stage] = self.totals.get(updated.stage, 0) + 1
        if old is None or old.name != updated.name:
            touched.update(method.STAGE_IDS)
        self.cards.pop(updated.id, None)
        self.flags.pop(updated.id, None)
        self._haystacks.pop(updated.id, None)
        return touched

    def names(self) -> list[str]:
        return [i.name for b in self.by_stage.values() for i in b]

    # scores --------------------------------------------------------------------------------

    def card(self, initiative: Shown, today: date) -> scoring.Card:
        """Scored when first asked for, then kept until a reload or a change of it."""
        card = self.cards.get(initiative.id)
        if card is None or card.initiative is not initiative:
            card = scoring.card(
                initiative,
                self.answers.get(initiative.id, {}),
                today,
                self.histories.get(initiative.id),
            )
            self.cards[initiative.id] = card
        return card

    def marks(self, initiative: Shown, today: date) -> tuple[int, bool]:
        """What a card's flags need without scoring it: its days in pilot purgatory (from the
        loaded histories) and whether it carries the forced mark (a forced reason on record
        while its gates are still unmet)."""
        days = 0
        if initiative.stage in method.PURGATORY_STAGES:
            days = scoring.purgatory_days(initiative, today, self.histories.get(initiative.id))
        forced = bool(initiative.forced_reason) and bool(
            scoring.forced_mark(initiative, self.answers.get(initiative.id, {}))
        )
        return days, forced

    # what shows ----------------------------------------------------------------------------

    @property
    def visible_stages(self) -> list[str]:
        return [s for s in method.STAGE_IDS if self.show_killed or s != method.KILLED]

    def matches(self, i: Shown) -> bool:
        return self.filter_text.casefold() in self._haystack(i)

    def _haystack(self, i: Shown) -> str:
        """`haystack(i)`, made the first time the filter reads it."""
        hay = self._haystacks.get(i.id)
        if hay is None:
            hay = self._haystacks[i.id] = haystack(i)
        return hay

    def shown(self, stage: str) -> list[Shown]:
        """The cards of `stage` the filter lets through (a new list: the column keeps it).
        One pass a keystroke over up to 10,000 cards, the filter's text folded once."""
        every = self.by_stage[stage]
        if not self.filter_text:
            return list(every)
        needle = self.filter_text.casefold()
        hay = self._haystack
        return [i for i in every if needle in hay(i)]

    def count_text(self, stage: str, shown: int) -> str:
        """A column title's count: "7", or "2/7" while filtering."""
        every = self.total(stage)
        if not self.filter_text:
            return f"{every}"
        return f"{shown}/{every}"

    @property
    def visible_total(self) -> int:
        """The initiatives of the visible columns, read so far or not."""
        return sum(self.total(s) for s in self.visible_stages)

    def filter_count(self, shown: int) -> str:
        """The filter bar's count, `shown` being the cards the visible columns show."""
        total = self.visible_total
        more = "" if self.complete else " so far"
        return f"{shown} of {total} shown{more} · escape clears"

    def empty_text(self) -> str:
        return "No matches" if self.filter_text else "No initiatives"

    def empty_detail(self, stage: str) -> str:
        label = method.STAGE_BY_ID[stage].label
        if self.filter_text:
            return f"Nothing in {label} matches the filter."
        return f"No initiatives in {label}."

    def hint(self) -> str:
        """The standing status line: counts and where the keys are."""
        killed = self.total(method.KILLED)
        hidden = (
            f" · {killed} killed hidden: K shows them"
            if killed and not self.show_killed
            else f" · {killed} killed"
            if killed
            else ""
        )
        total = sum(self.total(s) for s in method.STAGE_IDS)
        if not total:
            return "No initiatives yet: press n to add the first one · ? lists every key"
        active = total - killed  # killed ones are not active, shown or not
        if not self.complete:
            loaded = sum(len(b) for b in self.by_stage.values())
            # first: at 80 columns the end of the line is cut
            return f"Reading the rest: {loaded:,} of {total:,} shown · {active} active{hidden}"
        return f"{active} active{hidden} · / filters · ? lists every key"
