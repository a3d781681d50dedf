"""One-shot reads without the models: what `bridge score` needs, and nothing more.

Importing pydantic and building an initiative's validator costs more than the rest of a
`bridge score` together (the first about twice `import click`). For a command that reads one
initiative, scores it and exits, `QuickReads` reads the rows as plain values
(`store.plain`), scores them with the same `scoring` functions, and never loads the models.
When a row is one only its model can judge, it answers None and the command asks `Service`,
whose read names what is wrong with the file: the two paths never disagree on a file bridge
wrote (a test compares them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bridge_tui import method, scoring, stage_history
from bridge_tui.errors import BadInput
from bridge_tui.records import InitiativeRecord
from bridge_tui.service import board as board_reads
from bridge_tui.service.board import Board, listing
from bridge_tui.store.plain import PlainReader
from bridge_tui.sustain_rules import optimize_report
from bridge_tui.text import checked_author

if TYPE_CHECKING:
    from bridge_tui.clock import Clock


@dataclass(frozen=True)
class InitiativeScore:
    """One initiative's score as `bridge score` reports it."""

    report: scoring.ScoreReport
    #: the Optimize phase (`sustain.optimize_report`): None outside Infrastructure
    optimize: dict[str, object] | None

    def as_json(self) -> dict[str, object]:
        """The exact document `bridge score --json` prints (the `optimize` key last)."""
        return {**self.report.as_json(), "optimize": self.optimize}


@dataclass(frozen=True)
class Scored:
    """What `bridge score` prints about one initiative."""

    initiative: InitiativeRecord
    card: scoring.Card
    score: InitiativeScore


def match_ref(ref: str, items: Iterable[tuple[str, str]]) -> list[str]:
    """The ids `ref` names among (id, name) pairs: the one whose full id it is; otherwise
    every exact name (any case), then every id it starts when it has 4+ characters."""
    low = ref.lower()
    pairs = list(items)
    if any(ident == low for ident, _ in pairs):
        return [low]
    by_name = [ident for ident, name in pairs if name.casefold() == ref.casefold()]
    by_prefix = [ident for ident, _ in pairs if ident.startswith(low)] if len(ref) >= 4 else []
    return list(dict.fromkeys(by_name + by_prefix))


def resolve_ref(ref: str, names: Mapping[str, str]) -> str:
    """The id of the one initiative `ref` names among id -> name (a full id, a unique id
    prefix of 4+ characters, or an exact name in any case); BadInput says why not."""
    ref = (ref or "").strip()
    if not ref:
        raise BadInput("give an initiative id, id prefix or name.")
    found = match_ref(ref, names.items())
    if len(found) == 1:
        return found[0]
    if not found:
        hint = "" if len(ref) >= 4 else " (id prefixes need at least 4 characters)"
        near = [n for n in names.values() if ref.casefold() in n.casefold()]
        if near:
            shown = "; ".join(near[:3]) + ("; ..." if len(near) > 3 else "")
            hint += f"; names are matched exactly, did you mean: {shown}?"
            raise BadInput(f"no initiative matches '{ref}'{hint}")
        raise BadInput(f"no initiative matches '{ref}'{hint}.")
    shown = "; ".join(f"{ident[:8]} {names[ident]}" for ident in found)
    raise BadInput(f"'{ref}' matches several initiatives: {shown}.")


class QuickReads:
    """Reads for one command over a file opened with every check `Service.open` makes."""

    def __init__(self, reader: PlainReader, author: str, clock: Clock) -> None:
        self.reader = reader
        self.author = checked_author(author)  # refused as `Service` refuses it
        self.clock = clock

    @classmethod
    def open(cls, path: Path | str, author: str, clock: Clock, *, read_only: bool) -> QuickReads:
        reader = PlainReader.open(Path(path), read_only=read_only)
        try:
            return cls(reader, author, clock)
        except BaseException:
            reader.close()
            raise

    def close(self) -> None:
        self.reader.close()

    def listing(
        self, stage: str | None = None
    ) -> list[tuple[InitiativeRecord, scoring.Card[InitiativeRecord], tuple[str, ...]]] | None:
        """`bridge list` (`board.listing`), read as one snapshot as the board reads itself
        (`Service.lean_board`): each card from the score the file keeps, the answers only of
        those the sustain rules may flag (any other's when first asked for). None when a row
        is one only the models can judge (ask `Service.listing` then)."""
        from bridge_tui import sustain  # the sustain rules' flags: a list's, not a score's
        from bridge_tui.board_model import LazyAnswers

        store = self.reader
        with store.reading():
            records = store.initiative_records("deleted = 0", (), "created_at, id")
            facts = None if records is None else board_reads.sustain_facts(store, records)
            if records is None or facts is None:
                return None
            flagged = tuple(i.id for i in records if sustain.may_flag(i, facts))

            def fetch(ident: str) -> dict[str, str]:
                return store.answer_values((ident,)).get(ident, {})

            answers = LazyAnswers(store.answer_values(flagged), flagged, fetch)
            board = Board(records, answers, board_reads.histories(store), store.scores())
            return listing(board, facts, self.clock.today(), stage)

    def score(self, ref: str) -> Scored | None:
        """`bridge score REF`: the initiative `ref` names, its card and its score, read as one
        snapshot; BadInput when `ref` names none or several; None when its rows are ones only
        the models can judge (ask `Service.score` then)."""
        store = self.reader
        with store.reading():
            names = {ident: name for ident, _, name in store.initiative_keys()}
            ident = resolve_ref(ref, names)
            initiative = store.initiative_record(ident)
            answers = store.answer_record(ident)
            if initiative is None or answers is None:
                return None
            history = (
                stage_history.replay(store.stage_rows(initiative_id=ident)).get(ident, ())
                if initiative.stage in method.PURGATORY_STAGES
                else None
            )
        report = scoring.score_report(initiative, answers)
        return Scored(
            initiative,
            scoring.card(initiative, answers, self.clock.today(), history),
            InitiativeScore(report, optimize_report(initiative.stage, answers)),
        )
