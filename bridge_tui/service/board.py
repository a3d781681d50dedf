"""The board's data, read as one snapshot: every initiative, the answers its cards need, the
stage histories pilot purgatory counts over, and the scores the file keeps. It holds the
models, or the plain records of a read without them (`service.quick`, `service.start`): it
imports no pydantic. The reads they share (the histories, the first part of a large board,
the sustain rules' facts, one initiative's stays) are here once, over any `PlainReads`
(`Store` is one), so the service and the reads without models cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Generic

from bridge_tui import method, scoring, stage_history
from bridge_tui.scoring.cards import InitiativeT

if TYPE_CHECKING:
    from bridge_tui import flow
    from bridge_tui.records import InitiativeFacts
    from bridge_tui.store.plain import PlainReads
    from bridge_tui.sustain import Facts


@dataclass
class Board(Generic[InitiativeT]):
    """What the board shows, loaded in three queries: the models, or the plain records a
    one-shot read makes (`service.quick`)."""

    initiatives: list[InitiativeT]
    answers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: stage histories (from the change log) of the initiatives in Pilot or Validate: pilot
    #: purgatory is counted over them
    histories: dict[str, stage_history.History] = field(default_factory=dict)
    #: each live initiative's score as the file keeps it (`Service.scores`), when loaded
    #: (`board(scores=True)`, or `scored` on first need): cards and the portfolio's figures
    #: read them instead of scoring every initiative again
    scores: dict[str, scoring.StoredScore] | None = None
    #: a board's first part (`Service.board_head`): the ids of the cards it shows (the first
    #: of each column; `initiatives` adds those linked to them, for the sustain rules), and
    #: how many live initiatives each stage has in all. None: the whole board
    head: frozenset[str] | None = None
    totals: dict[str, int] | None = None
    #: `scores` holds exactly the score of each live initiative of `initiatives`, of its
    #: stage (`Service.kept_board` made it so as it read them): `scored` is `scores` itself
    scores_exact: bool = False

    @property
    def complete(self) -> bool:
        return self.head is None

    def answers_of(self, initiative_id: str) -> Mapping[str, str]:
        return self.answers.get(initiative_id, {})

    def score_of(self, initiative: InitiativeT) -> scoring.StoredScore:
        """Its kept score; scored now from the loaded answers when none was loaded for it, or
        the one loaded is of another stage (a teammate's save between two reads)."""
        found = None if self.scores is None else self.scores.get(initiative.id)
        if found is None or found.stage != initiative.stage:
            found = scoring.StoredScore.of(initiative, self.answers_of(initiative.id))
        return found

    def scored(self) -> dict[str, scoring.StoredScore]:
        """initiative id -> score of every live initiative of the board (`score_of` each), or
        `scores` itself when it holds exactly those (`scores_exact`)."""
        if self.scores_exact and self.scores is not None:
            return self.scores
        return {i.id: self.score_of(i) for i in self.initiatives if not i.deleted}

    def card(self, initiative: InitiativeT, today: date) -> scoring.Card[InitiativeT]:
        history = self.histories.get(initiative.id)
        if self.scores is None:
            return scoring.card(initiative, self.answers_of(initiative.id), today, history)
        return self.score_of(initiative).card(initiative, today, history)


def listing(
    board: Board[InitiativeT], facts: Facts, today: date, stage: str | None = None
) -> list[tuple[InitiativeT, scoring.Card[InitiativeT], tuple[str, ...]]]:
    """`bridge list`: every initiative of `board` (in `stage` only, if given) in board order,
    its card (from its kept score when the board has them) and its sustain flags (the rules
    read the answers only of those they may flag)."""
    from bridge_tui import sustain

    shown = [i for i in board.initiatives if stage is None or i.stage == stage]
    return [
        (
            i,
            board.card(i, today),
            sustain.card_flags(i, board.answers_of(i.id), facts, today)
            if sustain.may_flag(i, facts)
            else (),
        )
        for i in sorted(shown, key=lambda i: scoring.board_key(i.id, i.stage, i.name))
    ]


def histories(reader: PlainReads) -> dict[str, stage_history.History]:
    """Stage histories of every initiative now in Pilot or Validate (one query)."""
    stages = tuple(s for s in method.FLOW if s in method.PURGATORY_STAGES)
    return stage_history.replay(reader.stage_rows(in_stages=stages))


def head(
    reader: PlainReads,
    per_stage: int,
    read: Callable[[tuple[str, ...]], list[InitiativeT] | None],
) -> Board[InitiativeT] | None:
    """The first `per_stage` cards of every column in board order and only them (call it
    inside one read snapshot): what the board's first paint shows of a large portfolio while
    the rest is read in a worker. The initiatives linked to them by `builds_on` come too
    (their sustain flags look one link away); `totals` counts every stage in full. `read`
    gives the live initiatives of some ids, as models or records; None when it cannot."""
    keys = reader.initiative_keys()
    keys.sort(key=lambda k: scoring.board_key(*k))
    totals = dict.fromkeys(method.STAGE_IDS, 0)
    first: list[str] = []
    for ident, stage, _ in keys:
        if totals[stage] < per_stage:
            first.append(ident)
        totals[stage] += 1
    ids = tuple(first)
    linked = reader.linked_ids(ids) - set(ids) if ids else set()
    wanted = ids + tuple(sorted(linked))
    initiatives = read(wanted) if wanted else []
    if initiatives is None:
        return None
    # the histories of those now in Pilot or Validate, asked for by id: the stage is on the
    # initiatives just read (asking SQLite for it scans every initiative's row)
    stuck = tuple(i.id for i in initiatives if not i.deleted and i.stage in method.PURGATORY_STAGES)
    rows = reader.stage_rows(ids=stuck) if stuck else []
    return Board(
        initiatives,
        reader.answer_values(wanted) if wanted else {},
        stage_history.replay(rows),
        head=frozenset(ids),
        totals=totals,
    )


def sustain_facts(
    reader: PlainReads,
    initiatives: Iterable[InitiativeFacts],
    ids: tuple[str, ...] | None = None,
) -> Facts | None:
    """What the sustain rules need for `initiatives` (two queries: newest readings, plan
    starts), for every initiative or those in `ids`; None when a plan row is one only its
    model can judge (the caller reads the plans through the models then)."""
    from bridge_tui import sustain

    starts = reader.plan_starts(ids)
    if starts is None:
        return None
    return sustain.facts(initiatives, sustain.dated_readings(reader.latest_readings(ids)), starts)


def stage_timeline(reader: PlainReads, initiative_id: str, today: date) -> list[flow.Stay]:
    """One initiative's stays, oldest first, forced moves marked (the detail pane)."""
    from bridge_tui import flow

    found = flow_inputs(reader, initiative_id)
    return flow.timeline(found[0], today) if found else []


def flow_inputs(reader: PlainReads, initiative_id: str | None = None) -> list[flow.Initiative]:
    """Every live initiative's (or one's) stage, name and moves, as the flow rules take them."""
    from bridge_tui import flow

    moves = reader.flow_moves(initiative_id)
    return [
        flow.Initiative(ident, name, stage, date.fromisoformat(entered), moves.get(ident, ()))
        for ident, name, stage, entered in reader.stage_keys(initiative_id)
    ]
