"""Use cases of sustain and extend: the flags after the bridge, focus, and links.

The rules are `bridge_tui.sustain` (pure); this layer reads what they need in a few narrow
queries, refuses a link the method does not allow, and adds the focus warning to every move
that lands a second initiative in Productionize.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from bridge_tui import method, scoring, sustain
from bridge_tui.errors import BadInput, Refused
from bridge_tui.models import Initiative, Plan
from bridge_tui.service import board as board_reads
from bridge_tui.service.board import Board, listing
from bridge_tui.service.quick import InitiativeScore
from bridge_tui.service.reports import ReportOps

if TYPE_CHECKING:  # the report's types load when a report is made
    from bridge_tui.report import Report


@dataclass(frozen=True)
class Promotion:
    """What promoting an initiative would meet, for the question a review asks before it
    records the decision (the promotion itself evaluates its gate again, in its transaction)."""

    #: the stage it would enter (None: it is in the last stage already)
    target: str | None
    allowed: bool = False
    #: the gate's unmet requirements in words (`GateCheck.lines`)
    lines: tuple[str, ...] = ()
    #: the warning for one more initiative in Productionize, if it would be one
    focus: str | None = None


@dataclass(frozen=True)
class OverviewData:
    """What the overview screen shows, read as one snapshot (`SustainOps.overview_data`)."""

    #: every live initiative by id
    initiatives: dict[str, Initiative]
    figures: scoring.Overview
    sustain: sustain.SustainOverview


class SustainOps(ReportOps):
    """Mixed into `Service`."""

    def overview_data(
        self,
        known: Board | None = None,
        order: Sequence[str] | None = None,
        facts: sustain.Facts | None = None,
    ) -> OverviewData:
        """The overview's figures and the sustain rules' lists, reading only what they need
        (`kept_board`: the answers of Infrastructure only, the one stage whose answers these
        rules read, `sustain.reads_answers`), with the rules' facts in the same snapshot.
        `known`: the board screen's whole board, read at this same state of the file, with
        `order`, its initiatives' ids in board order (the board screen has them), so they are
        not sorted again (a list of other ids is not used), and `facts`, the rules' facts read
        with it (`lean_board`), so they are not read again."""
        in_order = False
        if known is not None and order is not None:
            given = {i.id: i for i in known.initiatives}
            if len(order) == len(given) and given.keys() == set(order):
                known = replace(known, initiatives=[given[i] for i in order])
                in_order = True
        with self.store.reading():
            board = self.kept_board(known, sustain.reads_answers, sustain.ANSWER_KEYS)
            if facts is None or known is None:
                facts = self._facts(board.initiatives)
        by_id = {i.id: i for i in board.initiatives}
        figures = self.overview(board, in_board_order=in_order)
        active = [by_id[i] for i in figures.active]
        return OverviewData(
            by_id,
            figures,
            sustain.sustain_overview(
                active, board.answers, facts, self.today(), in_board_order=True
            ),
        )

    # reading ---------------------------------------------------------------------------------

    def sustain_facts(self, board: Board | None = None) -> sustain.Facts:
        """What the rules need for a whole board: two queries (newest readings, plan starts).
        A board's first part (`board_head`) reads them for its own initiatives only."""
        board = board or self.board()
        if board.complete:
            return self._facts(board.initiatives)
        return self._facts(board.initiatives, tuple(i.id for i in board.initiatives))

    def lean_board(self) -> tuple[Board, sustain.Facts]:
        """The whole board as one snapshot, with the answers only of the initiatives whose
        card flags read them (a forced move on record, or one the sustain rules may flag:
        `sustain.may_flag`); every other initiative's answers are read when first asked for
        (`LazyAnswers`, on this service). At 10,000 initiatives that skips most of 200,000
        rows, and the memory they take. With the sustain rules' facts, read alongside."""
        from bridge_tui.board_model import LazyAnswers

        with self.store.reading():
            initiatives = self.store.initiatives()
            facts = self._facts(initiatives)
            wanted = tuple(
                i.id for i in initiatives if i.forced_reason or sustain.may_flag(i, facts)
            )
            answers = LazyAnswers(self.store.answer_values(wanted), wanted, self.answer_values)
            board = Board(initiatives, answers, self.histories())
            return board, facts

    def listing(
        self, stage: str | None = None
    ) -> list[tuple[Initiative, scoring.Card[Initiative], tuple[str, ...]]]:
        """`bridge list` through the models (`QuickReads.listing` reads it without them), read
        as the board reads itself (`lean_board`), each card from its kept score."""
        board, facts = self.lean_board()
        self.board_scores(board)
        return listing(board, facts, self.today(), stage)

    def _facts(
        self, initiatives: Iterable[Initiative], ids: tuple[str, ...] | None = None
    ) -> sustain.Facts:
        initiatives = list(initiatives)
        found = board_reads.sustain_facts(self.store, initiatives, ids)
        if found is not None:
            return found
        # a plan row only its model can judge: its model says what is wrong
        where = "" if ids is None else f"initiative_id IN ({', '.join('?' for _ in ids)})"
        plans = self.store.all(Plan, where, ids or (), order="id")
        starts = {p.initiative_id: p.start_date for p in plans}
        latest = sustain.dated_readings(self.store.latest_readings(ids))
        return sustain.facts(initiatives, latest, starts)

    def sustain_overview(self, board: Board | None = None) -> sustain.SustainOverview:
        board = board or self.kept_board(
            reads_answers=sustain.reads_answers, keys=sustain.ANSWER_KEYS
        )
        facts = self.sustain_facts(board)
        return sustain.sustain_overview(board.initiatives, board.answers, facts, self.today())

    def sustain_of(
        self, initiative: Initiative, answers: Mapping[str, str] | None = None
    ) -> sustain.Sustain:
        """One initiative's view, read narrowly: its readings, its plan, its link, its
        extensions (the checklist, the detail pane and the review show it)."""
        if answers is None:
            answers = self.answer_map(initiative.id)
        related = [initiative, *self._extensions(initiative.id)]
        if initiative.builds_on:
            target = self.store.get(Initiative, initiative.builds_on, include_deleted=True)
            if target is not None:
                related.append(target)
        latest = sustain.dated_readings(self.store.latest_readings((initiative.id,)))
        plan = self.store.get(Plan, initiative.id)
        starts = {plan.initiative_id: plan.start_date} if plan is not None else {}
        facts = sustain.facts(related, latest, starts)
        return sustain.sustain(initiative, answers, facts, self.today())

    def _extensions(self, initiative_id: str) -> list[Initiative]:
        return self.store.all(Initiative, "builds_on = ?", (initiative_id,), order="name, id")

    def extendable(self) -> list[tuple[str, str]]:
        """(id, name) of every initiative another may build on: Infrastructure, by name."""
        keys = self.store.initiative_keys()
        found = [(i, n) for i, s, n in keys if s == method.EXTENDABLE_STAGE]
        return sorted(found, key=lambda k: (k[1].casefold(), k[0]))

    # one use case at a time ------------------------------------------------------------------

    def focus_warning(self, initiative: Initiative, target: str | None = None) -> str | None:
        """The warning for `initiative` being (or about to be, in `target`) in Productionize
        while others already are; None when the method's focus holds."""
        if (target or initiative.stage) != method.PRODUCTIONIZE:
            return None
        others = [
            n
            for i, s, n in sorted(self.store.initiative_keys(), key=lambda k: k[2].casefold())
            if s == method.PRODUCTIONIZE and i != initiative.id
        ]
        return sustain.focus_gate_warning(initiative.name, others)

    def promotion(self, initiative: Initiative) -> Promotion:
        """The gate and the focus warning of promoting `initiative` one stage (a review's
        question before its promote decision)."""
        target = method.next_stage(initiative.stage)
        if target is None:
            return Promotion(None)
        check = self.check_move(initiative, target)
        return Promotion(
            target, check.allowed, check.lines(), self.focus_warning(initiative, target)
        )

    def _move_warnings(self, current: Initiative, check: scoring.GateCheck) -> tuple[str, ...]:
        # every way into Productionize (a move, a revival, a review promotion) says so in its
        # warnings, and so does the gate dialog of a refused one
        warnings = super()._move_warnings(current, check)
        focus = self.focus_warning(current, check.target)
        return warnings if focus is None else (*warnings, focus)

    # extend: what an initiative builds on ----------------------------------------------------

    def _check_link(self, source_id: str, source_name: str, target_id: str | None) -> None:
        """Refuse (one sentence) a link the method does not allow; None clears a link."""
        if target_id is None:
            return
        target = self.store.get(Initiative, target_id, include_deleted=True)
        if target is None:
            raise BadInput(f"no initiative with id {target_id}.")
        chain = {i.id: i.builds_on for i in self.store.all(Initiative, "builds_on IS NOT NULL")}
        refusal = sustain.link_refusal(source_id, source_name, target, chain)
        if refusal is not None:
            raise Refused(refusal)

    def link(self, initiative: Initiative, target: Initiative | None) -> Initiative:
        """Record that `initiative` builds on `target` (None: on nothing). Refused with one
        sentence for itself, a killed initiative, one not in Infrastructure, or a circle."""
        wanted = target.id if target is not None else None
        if initiative.builds_on == wanted:
            return self._unchanged(initiative)  # nothing to write; still refused when stale
        # the write reads the row and checks its revision once, inside its transaction
        return self.edit_initiative(initiative, builds_on=wanted)

    def extensions(self, initiative: Initiative) -> list[Initiative]:
        """The live initiatives that build on `initiative`, in board order."""
        found = [i for i in self._extensions(initiative.id) if not i.deleted]
        return self.ordered(found)

    def edit_initiative(self, initiative: Initiative, **fields: Any) -> Initiative:
        if fields.get("builds_on") and fields["builds_on"] != initiative.builds_on:
            name = fields.get("name", initiative.name)
            self._check_link(initiative.id, name, fields["builds_on"])
        return super().edit_initiative(initiative, **fields)

    def create_initiative(self, name: str, stage: str = "experiment", **fields: Any) -> Initiative:
        if fields.get("builds_on"):
            # a new initiative has no id yet: it can be neither the target nor in a circle
            self._check_link("", name, fields["builds_on"])
        return super().create_initiative(name, stage, **fields)

    # the score's Optimize key ----------------------------------------------------------------

    def score(self, initiative: Initiative) -> InitiativeScore:
        """What `bridge score` reports: the score report, and the Optimize phase (None outside
        Infrastructure). Typed to the edge: the CLI makes the JSON (`as_json`)."""
        answers = self.answer_map(initiative.id)
        return InitiativeScore(
            scoring.score_report(initiative, answers),
            sustain.optimize_report(initiative.stage, answers),
        )

    # the report --------------------------------------------------------------------------------

    def report_data(self, board: Board | None = None) -> Report:
        """The report with what the sustain rules say added (`sustain_report` writes it).
        The portfolio is read once, for every part of the report (`board`)."""
        from bridge_tui import sustain_report

        board = board or self.board(scores=True)
        report = super().report_data(board)
        today = self.today()
        facts = self._facts(board.initiatives)
        ov = sustain.sustain_overview(board.initiatives, board.answers, facts, today)
        by_id = {i.id: i for i in board.initiatives}
        sections = []
        for section in report.initiatives:
            i = by_id.get(section.id)
            if i is None:  # written between the two reads: leave it as the first read saw it
                sections.append(section)
                continue
            s = ov.by_id.get(i.id) or sustain.sustain(i, board.answers_of(i.id), facts, today)
            sections.append(replace(section, sustain=s))
        summary = sustain_report.summary(ov, {i.id: i.name for i in board.initiatives})
        return replace(
            report,
            summary=replace(report.summary, sustain=summary),
            initiatives=tuple(sections),
        )
