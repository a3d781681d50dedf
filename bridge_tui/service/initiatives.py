"""The service's ground floor: its context (the store, the author, the one clock, one
transaction per use case) and the use cases on initiatives: read, resolve, edit, answer.

The app and the CLI call only the service layer. It enforces the method (through `scoring`),
writes through one store transaction per use case, and raises `BridgeError`s that carry one
sentence. Moves through the gates, and adding past Experiment, are `service.moves`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bridge_tui import method, scoring, stage_history
from bridge_tui.clock import Clock
from bridge_tui.errors import BadInput
from bridge_tui.models import (
    Answer,
    Initiative,
    MetricReading,
    answer_id,
    keeping,
    validation_message,
)
from bridge_tui.service import board as board_reads
from bridge_tui.service.board import Board
from bridge_tui.service.quick import resolve_ref
from bridge_tui.store import Store, Tx
from bridge_tui.text import checked_author

#: Fields a person may set on an initiative through create/edit (the rest follow from moves).
EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "summary",
    "owner",
    "owner_is_operational",
    "pilot_builder",
    "team",
    "pilot_budget",
    "integration_budget",
    "maintenance_budget",
    "blockers",
    "last_review_at",
    "maintenance_committed_until",
    "designed_volume",
    "volume_metric",
    "builds_on",
)


class InitiativeService:
    """The base every mixin of `Service` (in this package) builds on."""

    def __init__(
        self,
        store: Store,
        author: str,
        today: Clock | date | Callable[[], date] | None = None,
    ) -> None:
        self.store = store
        # the change log, answers and reviews carry it: checked like any one-line field
        self.author = checked_author(author)
        #: the one clock: every date and time this service records or compares comes from it,
        #: the change log's stamps included (the store's clock is this one)
        self.clock = Clock.coerce(today)
        store.clock = self.clock.now
        # a change stamped far ahead of this clock (forged, or a clock gone wrong) would be
        # followed by every new one: such a file is refused for writing, with the reason
        store.check_stamps()
        #: transaction ids written by this service (this session), newest last: undo reads it
        self.session_txs: list[str] = []

    # context ---------------------------------------------------------------------------------

    def today(self) -> date:
        return self.clock.today()

    def now(self) -> datetime:
        return self.clock.now().astimezone(UTC).replace(microsecond=0)

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def read_only_reason(self) -> str | None:
        """Why bridge refuses to write to this file (foreign schema objects, rows that disagree
        with their log, a forged stamp...): one sentence with how to recover; None when the
        file is writable or merely read-only on disk."""
        return self.store.refusal

    def read_only_message(self) -> str:
        return self.store.read_only_message()

    @property
    def file_name(self) -> str:
        return self.store.path.name

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def check_file(self) -> tuple[int, int]:
        """`bridge check`: the full check of the file, whatever its size; (rows, log entries)
        checked, or BadFile saying what is wrong and how to recover."""
        return self.store.full_check()

    def data_version(self) -> int:
        """Changes when another process commits to the file (the app's live refresh polls it)."""
        return self.store.data_version()

    @contextmanager
    def _tx(self) -> Iterator[Tx]:
        """One store transaction in this service's name (every write of a use case goes
        through it); once committed with changes, its id is kept for this session's undo."""
        with self.store.transaction(self.author) as tx:
            yield tx
        if tx.changes:
            self.session_txs.append(tx.id)

    # reading ---------------------------------------------------------------------------------

    def initiatives(self) -> list[Initiative]:
        return self.store.initiatives()

    def board(self, *, scores: bool = False) -> Board:
        """Every initiative, its answers and the histories pilot purgatory needs, read as one
        snapshot; with `scores`, each one's kept score too (`scores`)."""
        with self.store.reading():
            return Board(
                self.store.initiatives(),
                self.store.answer_values(),
                self.histories(),
                self.store.scores() if scores else None,
            )

    def kept_board(
        self,
        known: Board | None = None,
        reads_answers: Callable[[Initiative], bool] | None = None,
        keys: tuple[str, ...] | None = None,
    ) -> Board:
        """The whole board with every initiative's kept score, read as one snapshot, and the
        answers of only the initiatives that need them: those whose kept score is missing or
        of another stage (scored from them), and those `reads_answers` names. What reads a
        portfolio's scores and not its answers (the overview, the review) reads this: at
        10,000 initiatives most of 200,000 answer rows are never read. `keys`: the only
        answers `reads_answers` needs of those it names (an initiative scored from its answers
        has them all). `known`: a whole board
        read at this same state of the file (the board screen's); its initiatives and stage
        histories are taken rather than read and checked again, never its answers."""
        if known is not None and not known.complete:
            raise ValueError("a board's first part is not the whole portfolio")
        with self.store.reading():
            if known is None:
                initiatives, histories = self.store.initiatives(), self.histories()
            else:
                initiatives, histories = known.initiatives, known.histories
            scores = self.store.scores()
            exact: dict[str, scoring.StoredScore] = {}  # each live one's, of its stage
            scored: list[Initiative] = []  # read whole, to be scored from
            named: list[str] = []  # read for `reads_answers`, `keys` only
            for i in initiatives:
                if i.deleted:
                    continue
                kept = scores.get(i.id)
                if kept is None or kept.stage != i.stage:
                    scored.append(i)
                    continue
                exact[i.id] = kept
                if reads_answers is not None and reads_answers(i):
                    named.append(i.id)
            answers = self.store.answer_values(tuple(i.id for i in scored)) if scored else {}
            if named:
                answers.update(self.store.answer_values(tuple(named), keys))
        for i in scored:
            exact[i.id] = scoring.StoredScore.of(i, answers.get(i.id, {}))
        return Board(initiatives, answers, histories, exact, scores_exact=True)

    def answer_values(self, initiative_id: str) -> dict[str, str]:
        """One initiative's answers as {key: value}, read raw as the board reads them."""
        return self.store.answer_values((initiative_id,)).get(initiative_id, {})

    def board_head(self, per_stage: int) -> Board:
        """The first `per_stage` cards of every column in board order, read as one snapshot
        and only them: what the board's first paint shows of a large portfolio while the
        rest is read in a worker. The initiatives linked to them by `builds_on` come too
        (their sustain flags look one link away); `totals` counts every stage in full."""
        with self.store.reading():
            found = board_reads.head(
                self.store, per_stage, lambda ids: self.store.get_many(Initiative, ids)
            )
        assert found is not None  # the models read every row, or raise BadFile
        return found

    def scores(self) -> dict[str, scoring.StoredScore]:
        """initiative id -> the score of every live initiative, as the file keeps it beside
        the initiative (kept equal to a fresh `scoring` computation by every write): one
        query for a whole portfolio instead of scoring each initiative again."""
        return self.store.scores()

    def board_scores(self, board: Board) -> dict[str, scoring.StoredScore]:
        """The scores of every live initiative of `board`, loaded into it on first need (a
        board a screen loaded without them)."""
        if board.scores is None:
            board.scores = self.store.scores()
        return board.scored()

    def histories(self) -> dict[str, stage_history.History]:
        """Stage histories of every initiative now in Pilot or Validate (one query)."""
        return board_reads.histories(self.store)

    def stage_history(self, initiative_id: str) -> stage_history.History:
        """One initiative's stage events from the change log, oldest first."""
        rows = self.store.stage_rows(initiative_id=initiative_id)
        return stage_history.replay(rows).get(initiative_id, ())

    def ordered(self, initiatives: list[Initiative] | None = None) -> list[Initiative]:
        """Board order: stage columns left to right, then name; `[`/`]` walk it everywhere."""
        items = self.store.initiatives() if initiatives is None else initiatives
        return sorted(items, key=lambda i: scoring.board_key(i.id, i.stage, i.name))

    def ordered_ids(self) -> list[str]:
        """The ids of `ordered()`, read without building a model per initiative (the checklist
        walks board order on every open, at 10,000 initiatives too)."""
        keys = self.store.initiative_keys()
        keys.sort(key=lambda k: scoring.board_key(*k))
        return [k[0] for k in keys]

    def _unchanged(self, initiative: Initiative) -> Initiative:
        """The stored initiative, refused as stale if someone saved it after `initiative` (what
        the user saw) was read: for a use case that may write nothing. A write checks the
        revision once, inside its transaction (`Tx.current`), and needs no call to this."""
        current = self.initiative(initiative.id)
        if current.revision != initiative.revision:
            raise self.store.stale("initiative", initiative.id)
        return current

    def initiative(self, initiative_id: str) -> Initiative:
        found = self.store.get(Initiative, initiative_id)
        if found is None:
            raise BadInput(f"no initiative with id {initiative_id}.")
        return found

    def resolve(self, ref: str) -> Initiative:
        """A full id, a unique id prefix of 4+ characters, or an exact name (any case)."""
        # (id, name) pairs, not models: the CLI resolves on every command, at 10,000 too
        names = {ident: name for ident, _, name in self.store.initiative_keys()}
        return self.initiative(resolve_ref(ref, names))

    def answers(self, initiative_id: str) -> list[Answer]:
        return self.store.answers(initiative_id)

    def answer_map(self, initiative_id: str) -> dict[str, str]:
        return scoring.answer_map(self.store.answers(initiative_id))

    def card(self, initiative: Initiative) -> scoring.Card:
        history = (
            self.stage_history(initiative.id)
            if initiative.stage in method.PURGATORY_STAGES
            else None
        )
        return scoring.card(initiative, self.answer_map(initiative.id), self.today(), history)

    def metric_readings(self, initiative_id: str) -> list[MetricReading]:
        return self.store.all(
            MetricReading, "initiative_id = ?", (initiative_id,), order="name, at, id"
        )

    def metric_series(self, initiative_id: str) -> list[scoring.MetricSeries]:
        return scoring.metric_series(self.metric_readings(initiative_id))

    def check_move(self, initiative: Initiative, target: str) -> scoring.GateCheck:
        """The gate of a move, for a screen that shows it before asking for the move (a move
        evaluates its own gate, and a refused one carries it: `GateRefused`)."""
        return scoring.move_check(initiative, target, self.answer_map(initiative.id))

    # writing: initiatives --------------------------------------------------------------------

    def _validated(self, data: dict[str, Any], base: Initiative | None = None) -> Initiative:
        try:
            return Initiative.model_validate(data, context=keeping(base) if base else None)
        except ValidationError as exc:
            raise BadInput(validation_message(exc)) from None

    def _check_review_date(self, day: Any) -> None:
        """A last review is in the past (or today): a future one would hide an overdue review."""
        if isinstance(day, date) and day > self.today():
            raise BadInput(
                f"last review: {day.isoformat()} is in the future; give the date the review "
                f"took place (today is {self.today().isoformat()})."
            )

    def edit_initiative(self, initiative: Initiative, **fields: Any) -> Initiative:
        """Save edited fields; `initiative` is what the user saw (its revision is checked)."""
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise BadInput(f"{sorted(unknown)[0]} cannot be edited directly.")
        checked = self._validated({**initiative.model_dump(), **fields}, initiative)
        if "last_review_at" in fields:
            self._check_review_date(checked.last_review_at)
        with self._tx() as tx:
            return tx.update(initiative, None, updated_at=self.now(), **fields)

    # writing: answers ------------------------------------------------------------------------

    def answer(
        self, initiative: Initiative, key: str, value: str, note: str | None = None
    ) -> Answer:
        """Set one checklist item, test, signal or exit condition (ids of domain.md)."""
        if key not in method.ANSWER_KEY_SET:
            raise BadInput(
                f"unknown key '{key}': use an item (D1..T3), a test, a signal or an exit "
                "condition id."
            )
        if value not in ("yes", "no", "unknown"):
            raise BadInput(f"answer must be yes, no or unknown, not '{value}'.")
        self.initiative(initiative.id)
        aid = answer_id(initiative.id, key)
        with self._tx() as tx:
            existing = tx.get(Answer, aid)
            fields: dict[str, Any] = {"value": value, "by": self.author, "at": self.now()}
            if note is not None:
                fields["note"] = note
            if existing is None:
                try:
                    return tx.insert(Answer(id=aid, initiative_id=initiative.id, key=key, **fields))
                except ValidationError as exc:
                    raise BadInput(validation_message(exc)) from None
            if existing.deleted:
                fields["deleted"] = False
            return tx.save(existing, **fields)
