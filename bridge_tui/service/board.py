"""The board's data, read as one snapshot: every initiative, the answers its cards need, the
stage histories pilot purgatory counts over, and the scores the file keeps. It holds the
models, or the plain records of a one-shot read (`service.quick`): it imports no pydantic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Generic

from bridge_tui import scoring, stage_history
from bridge_tui.scoring.cards import InitiativeT

if TYPE_CHECKING:
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
        """initiative id -> score of every live initiative of the board (`score_of` each)."""
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
