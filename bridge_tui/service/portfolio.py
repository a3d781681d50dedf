"""Use cases for the overview, review sessions, metrics, reports, import and export.

Reports come in three formats built from one document (`report_data`), so the Markdown, the JSON
and the CSV always agree with each other and with `scoring`.

The JSON report (`bridge report --format json`), schema "bridge.report/1". Keys never change
meaning within a schema version; new keys may be added. Lists are in board order (stage, then
name, then id) unless said otherwise; stage, test, signal, blocker and requirement ids are those
of domain.md::

    {
      "schema": "bridge.report/1",
      "date": "YYYY-MM-DD",                     # the day the report describes ("today")
      "file": "sample.db",                      # the bridge file's name
      "summary": {                              # the four questions
        "active": int,                          # initiatives not killed
        "infrastructure": int,                  # in Infrastructure AND passing all 4 tests
        "infrastructure_ids": [id, ...],
        "killed": int,
        "blocked": [{"id", "name", "stage", "next_stage" (null in Infrastructure),
                     "unmet": [requirement id, ...], "blockers": [blocker id, ...]}],
        "kill_candidates": [{"id", "name", "reasons": [sentence, ...]}],
        "promoted": [{"id", "name", "stage", "owner", "maintenance_budget": number,
                      "has_owner": bool,          # one named person, not the pilot builder
                      "owner_issue": null | sentence,
                      "has_maintenance_budget": bool,
                      "missing": ["owner" | "maintenance budget", ...]}],
        "pilot_purgatory": [id, ...],           # > 180 days in pilot and validate together
        "review_overdue": [id, ...],            # infrastructure, no review in 90 days
        "funnel": {stage id: int, ...},         # every stage, killed included
        "blockers": {blocker id: int, ...}      # active initiatives carrying each tag
      },
      "heat_map": [{"id", "name", "stage",      # active initiatives only
                    "categories": {category id: {"met": int, "max": int}},
                    "total": int, "passing": bool,
                    "tests": {test id: true | false | null}}],
      "initiatives": [{                         # every initiative, killed ones too
        "id", "name", "stage", "owner", "owner_is_operational",
        "owner_issue": null | sentence,         # why the owner cannot carry `owned`
        "pilot_builder", "team",
        "days_in_stage": int, "purgatory_days": int, "created": "YYYY-MM-DD",
        "budgets": {"pilot", "integration", "maintenance"},
        "score": {"total", "max", "threshold", "passing", "unanswered",
                  "categories": {category id: {"met", "max"}}, "weakest": [category id x3]},
        "tests": {test id: true | false | null}, "stage_three": bool,
        "signals": {signal id: "yes" | "no" | "unknown"},
        "scale": {"ready", "missing", "false_signals", "warning", "sentence",
                  "stable_performance_supported_by_data": bool,
                  "stalled_adoption": [metric name, ...]},
        "metrics": [{"name", "unit", "target", "latest", "readings": int,
                     "stable_at_target": bool, "adoption_stalled": bool}],
        "next_gate": null | {"to", "allowed", "unmet": [requirement id, ...]},
        "blockers": [blocker id, ...],
        "flags": {"pilot_purgatory", "review_overdue", "kill_candidate", "forced"},
        "forced_reason": str,                   # while the forced mark holds, else ""
        "kill_candidate_reasons": [sentence, ...],
        "kill_reason": str,
        "summary": str, "last_review_at": null | "YYYY-MM-DD",
        "answers": {answer id: "yes" | "no" | "unknown"},   # every item, test, signal, exit
        "plan": null | {"start", "day", "phase", "done", "total", "overdue": int,
                        "verdict": "on_track" | "behind", "text"},
        "last_review": null | {"date", "decision", "reviewer", "note"}
      }]
    }

Sustain and extend (issue 11) adds keys to this document without changing any above: see
`bridge_tui/service/sustain_report.py`.

The CSV report has one row per initiative (the columns of `CSV_COLUMNS`): the heat map's
figures and the answers to the four questions per initiative (`stage_three`, `next_gate_unmet`,
`blockers`, `kill_candidate`, `missing`); then, so that `bridge import` can read the report back
into a new file, the other fields (`team_name`, `summary`, `pilot_budget`, `integration_budget`,
`owner_is_operational`, `kill_reason`, `last_review_at`, `created`) and one `answer:ID` column
per answer (yes, no or ?), in the order of domain.md's tables. Columns are only ever added at
the end. A text cell that a spreadsheet would run as a formula (starting with = + - @) is
written with a leading apostrophe; `bridge import` drops it again.

The export (`bridge export`), format "bridge.export" version 1: every row of every table,
deleted ones included, ordered by id, each as its model's JSON; and the change log exactly as
stored, oldest first. `bridge import` writes it into a new file through the store, so that an
export of the imported file is byte-identical to the original export.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bridge_tui import method, scoring
from bridge_tui.clock import Clock, check_day
from bridge_tui.errors import BadFile, BadInput, GateRefused
from bridge_tui.models import (
    FROM_FILE,
    Answer,
    Change,
    Decision,
    Initiative,
    MetricReading,
    Plan,
    PlanTask,
    Review,
    ReviewSession,
    validation_message,
)
from bridge_tui.service import flow_report, sustain_report
from bridge_tui.service.core import CURRENT_TASK, Board, MoveResult
from bridge_tui.service.entry import refuse_unbacked, unbacked_entries
from bridge_tui.service.outputs import OutputOps
from bridge_tui.store import ENTITIES, SCHEMA_VERSION, Store, Tx, verify
from bridge_tui.text import csv_cell, md

REPORT_SCHEMA = "bridge.report/1"
EXPORT_FORMAT = "bridge.export"
EXPORT_VERSION = 1
#: an export of 10,000 initiatives with a sample-like history is about 280 MB
MAX_IMPORT_BYTES = 512 * 2**20
REPORT_FORMATS: tuple[str, ...] = ("md", "json", "csv")
DECISIONS: tuple[Decision, ...] = ("keep", "promote", "kill", "defer")
DECISION_LABEL: dict[str, str] = {
    "keep": "Keep",
    "promote": "Promote",
    "kill": "Kill",
    "defer": "Defer",
}

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "stage",
    "owner",
    "days_in_stage",
    "score",
    "passing",
    *(c.id for c in method.CATEGORIES),
    *(t.id for t in method.TESTS),
    "stage_three",
    "next_stage",
    "next_gate_unmet",
    "blockers",
    "pilot_purgatory",
    "review_overdue",
    "kill_candidate",
    "maintenance_budget",
    "missing",
    "plan",
    "last_review",
    "last_decision",
    *sustain_report.CSV_COLUMNS,
    # added for `bridge import` (a report reads back into a new file): fields, then answers;
    # "team_name", as "team" already names the Team readiness category's points
    "team_name",
    "summary",
    "pilot_budget",
    "integration_budget",
    "owner_is_operational",
    "kill_reason",
    "last_review_at",
    "created",
    *(f"answer:{k}" for k in method.ANSWER_KEYS),
    *flow_report.CSV_COLUMNS,
)


def _label(stage: str | None) -> str:
    return method.STAGE_BY_ID[stage].label if stage else ""


def _money(v: float) -> str:
    return f"{v:,.0f}"


def _test_mark(v: bool | None) -> str:
    return "yes" if v is True else "no" if v is False else "?"


@dataclass(frozen=True)
class ReviewItem:
    """What the review shows about one initiative: the essentials for a decision."""

    initiative: Initiative
    card: scoring.Card
    blocks: tuple[str, ...]
    kill_reasons: tuple[str, ...]
    plan: str
    decision: Review | None
    metrics: tuple[scoring.MetricSeries, ...] = ()


@dataclass(frozen=True)
class DecisionResult:
    """A recorded decision, or a promotion the gate refused (nothing written then)."""

    session: ReviewSession
    review: Review | None
    move: MoveResult | None = None
    #: requirements the gate found unmet when a promotion was refused
    unmet: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        return self.review is None


@dataclass(frozen=True)
class ReviewSummary:
    session: ReviewSession
    #: (initiative, its review in this session or None), in the session's order
    rows: tuple[tuple[Initiative, Review | None], ...]

    @property
    def decided(self) -> int:
        return sum(1 for _, r in self.rows if r is not None)

    @property
    def pending(self) -> int:
        return len(self.rows) - self.decided

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = dict.fromkeys(DECISIONS, 0)
        for _, r in self.rows:
            if r is not None:
                out[r.decision] += 1
        return out


@dataclass(frozen=True)
class ExportDoc:
    """A parsed, validated export: rows per entity, and the change log."""

    schema_version: int
    rows: dict[str, list[BaseModel]]
    changes: list[Change]


class PortfolioOps(OutputOps):
    """Mixed into `Service`."""

    # overview --------------------------------------------------------------------------------

    def overview(self, board: Board | None = None) -> scoring.Overview:
        """The overview's figures; pass the `board()` a screen already loaded to reuse it."""
        board = board or self.board()
        return scoring.overview(board.initiatives, board.answers, self.today(), board.histories)

    def _plan_statuses(self, initiatives: Iterable[Initiative]) -> dict[str, scoring.PlanStatus]:
        """Plan status per initiative that has a live plan (two queries for the portfolio)."""
        plans, tasks = self._live_plans()
        out: dict[str, scoring.PlanStatus] = {}
        for i in initiatives:
            plan = plans.get(i.id)
            if plan is not None:
                out[i.id] = scoring.plan_status(
                    plan.start_date, tasks.get(i.id, []), self.today(), i.last_review_at
                )
        return out

    def _all_readings(self) -> dict[str, list[MetricReading]]:
        """Every live metric reading by initiative id, in name, then date order (one query)."""
        out: dict[str, list[MetricReading]] = {}
        for m in self.store.all(MetricReading, order="initiative_id, name, at, id"):
            out.setdefault(m.initiative_id, []).append(m)
        return out

    @staticmethod
    def plan_text(status: scoring.PlanStatus | None) -> str:
        if status is None:
            return "no plan"
        return f"{status.day_label()}; {status.done}/{status.total} tasks done. " + (
            status.verdict_sentence()
        )

    def _last_reviews(self) -> dict[str, Review]:
        out: dict[str, Review] = {}
        for r in self.store.all(Review, order="date, rowid"):
            out[r.initiative_id] = r
        return out

    # review sessions -------------------------------------------------------------------------

    def review_order(self, board: Board | None = None) -> list[Initiative]:
        """Every active initiative, most stuck first (`scoring.stuck_key`). `board`: one
        already loaded, so a review's first load reads the file once, not twice."""
        board = board or self.board()
        return scoring.review_order(board.initiatives, board.answers, self.today(), board.histories)

    def open_review(self) -> ReviewSession | None:
        """The unfinished review session to resume, if there is one (the latest started)."""
        open_ = [
            s
            for s in self.store.all(ReviewSession, order="started_at, id")
            if s.finished_at is None
        ]
        return open_[-1] if open_ else None

    def review_session(self, session_id: str) -> ReviewSession:
        found = self.store.get(ReviewSession, session_id)
        if found is None:
            raise BadInput(f"no review session with id {session_id}.")
        return found

    def start_review(self, order: Sequence[str] | None = None) -> ReviewSession:
        """Start a session; the order of initiatives is fixed now (default: most stuck first)."""
        session = self._new_session(order)
        with self._tx() as tx:
            return tx.insert(session)

    def _new_session(self, order: Sequence[str] | None) -> ReviewSession:
        ids = tuple(order) if order is not None else tuple(i.id for i in self.review_order())
        if not ids:
            raise BadInput("there is no active initiative to review.")
        return ReviewSession(
            id=self.store.new_id(), started_at=self.now(), by=self.author, order=ids
        )

    def session_decisions(self, session: ReviewSession) -> dict[str, Review]:
        """Initiative id -> its decision in this session (the latest if recorded twice)."""
        out: dict[str, Review] = {}
        for r in self.store.all(Review, "session_id = ?", (session.id,), order="rowid"):
            out[r.initiative_id] = r
        return out

    def review_items(self, session: ReviewSession, board: Board | None = None) -> list[ReviewItem]:
        """The session's initiatives in its fixed order, with what the review shows of each.
        Initiatives deleted since the session started are left out. `board`: one already
        loaded (see `review_order`)."""
        board = board or self.board()
        by_id = {i.id: i for i in board.initiatives}
        decided = self.session_decisions(session)
        live = [by_id[i] for i in session.order if i in by_id]
        plans = self._plan_statuses(live)
        readings = self._all_readings()
        return [
            self._review_item(
                i,
                board.answers_of(i.id),
                plans.get(i.id),
                readings.get(i.id, []),
                decided.get(i.id),
                board.histories.get(i.id),
            )
            for i in live
        ]

    def review_item(self, session: ReviewSession, initiative_id: str) -> ReviewItem | None:
        """One item of `review_items`, read with narrow queries: after a decision the screen
        refreshes only the initiative it decided, not the whole session."""
        found = self.store.get(Initiative, initiative_id)
        if found is None:
            return None
        plan = self.store.get(Plan, initiative_id)
        status = (
            None
            if plan is None
            else scoring.plan_status(
                plan.start_date,
                self.store.all(
                    PlanTask,
                    f"initiative_id = ? AND {CURRENT_TASK}",
                    (initiative_id,),
                    order="month, position, id",
                ),
                self.today(),
                found.last_review_at,
            )
        )
        return self._review_item(
            found,
            self.answer_map(initiative_id),
            status,
            self.metric_readings(initiative_id),
            self.session_decisions(session).get(initiative_id),
            self.stage_history(initiative_id),
        )

    def _review_item(
        self,
        initiative: Initiative,
        answers: dict[str, str],
        plan: scoring.PlanStatus | None,
        readings: list[MetricReading],
        decision: Review | None,
        history: scoring.History | None,
    ) -> ReviewItem:
        today = self.today()
        return ReviewItem(
            initiative=initiative,
            card=scoring.card(initiative, answers, today, history),
            blocks=scoring.what_blocks(initiative, answers),
            kill_reasons=scoring.kill_reasons(initiative, answers, today, history),
            plan=self.plan_text(plan),
            decision=decision,
            metrics=tuple(scoring.metric_series(readings)),
        )

    def review_pending(self, session: ReviewSession) -> list[str]:
        decided = self.session_decisions(session)
        existing = {ident for ident, _, _ in self.store.initiative_keys()}
        return [i for i in session.order if i in existing and i not in decided]

    def record_decision(
        self,
        session: ReviewSession | None,
        initiative: Initiative,
        decision: str,
        note: str = "",
        *,
        reason: str = "",
        force: bool = False,
        order: Sequence[str] | None = None,
    ) -> DecisionResult:
        """Record keep / promote / kill / defer for one initiative of the session.

        promote runs the next gate through `move`: when it is refused nothing is written and
        the result lists the unmet requirements (force=True with a reason pushes it through,
        recorded as forced). kill needs a reason. Every decision is a `Review` record and sets
        the initiative's `last_review_at` to today. With no `session`, the first decision also
        starts one (in `order`, default most stuck first).

        One transaction: the move or kill, the review, the review date and the end of the
        session land together or not at all, and one undo takes all of them back.
        """
        if decision not in DECISIONS:
            raise BadInput(f"decision must be one of {', '.join(DECISIONS)}, not '{decision}'.")
        note = (note or "").strip()
        if decision == "kill":
            reason = (reason or note).strip()
            if not reason:
                raise BadInput(f"Killing {initiative.name} needs a reason.")
            note = note or reason
        new_session = self._new_session(order) if session is None else None
        try:
            with self._tx() as tx:
                if new_session is not None:
                    session = tx.insert(new_session)
                else:
                    assert session is not None
                    session = self.review_session(session.id)
                    if session.finished_at is not None:
                        raise BadInput("this review session is finished; start a new one with r.")
                if initiative.id not in session.order:
                    raise BadInput(f"{initiative.name} is not part of this review session.")
                move = self._decide_in(tx, initiative, decision, note, reason=reason, force=force)
                current = move.initiative if move is not None else self.initiative(initiative.id)
                forced_reason = current.forced_reason if move is not None and move.forced else ""
                saved = tx.insert(
                    Review(
                        id=self.store.new_id(),
                        initiative_id=initiative.id,
                        session_id=session.id,
                        date=self.today(),
                        reviewer=self.author,
                        decision=decision,
                        note=note,
                        forced_reason=forced_reason,
                    )
                )
                tx.update(current, None, last_review_at=self.today())
                if not self._pending_after(session, initiative.id):
                    session = tx.update(session, None, finished_at=self.now())
        except GateRefused as exc:
            # nothing was written (not even a new session): the caller may force it
            shown = session if session is not None else new_session
            assert shown is not None
            return DecisionResult(shown, None, None, tuple(exc.unmet))
        return DecisionResult(session, saved, move)

    def _decide_in(
        self,
        tx: Tx,
        initiative: Initiative,
        decision: str,
        note: str,
        *,
        reason: str,
        force: bool,
    ) -> MoveResult | None:
        """The move a decision makes, inside the decision's transaction (None: keep, defer)."""
        if decision == "promote":
            target = method.next_stage(initiative.stage)
            if target is None:
                raise BadInput(
                    f"{initiative.name} is in {_label(initiative.stage)}: there is no stage to "
                    "promote it to."
                )
            return self._move_in(tx, initiative, target, force=force, reason=reason or note)
        if decision == "kill":
            return self._kill_in(tx, initiative, reason)
        return None

    def _pending_after(self, session: ReviewSession, decided_id: str) -> list[str]:
        return [i for i in self.review_pending(session) if i != decided_id]

    def finish_review(self, session: ReviewSession) -> ReviewSession:
        """Close the session (also when some initiatives were not reviewed)."""
        current = self.review_session(session.id)
        if current.finished_at is not None:
            return current
        with self._tx() as tx:
            return tx.update(current, None, finished_at=self.now())

    def review_summary(self, session: ReviewSession) -> ReviewSummary:
        session = self.review_session(session.id)
        by_id = {i.id: i for i in self.store.get_many(Initiative, session.order)}
        decided = self.session_decisions(session)
        rows = tuple((by_id[i], decided.get(i)) for i in session.order if i in by_id)
        return ReviewSummary(session, rows)

    def review_minutes(self, session: ReviewSession) -> str:
        """The session's summary as Markdown minutes, readable as-is in a mail or a wiki."""
        summary = self.review_summary(session)
        s = summary.session
        day = self.today()
        counts = summary.counts()
        ov = self.overview()
        lines = [
            f"# Portfolio review, {day.strftime('%d %B %Y').lstrip('0')}",
            "",
            f"- File: {_md(self.file_name)}",
            f"- Led by: {_md(s.by) if s.by else 'unknown'}",
            f"- Started: {s.started_at.strftime('%Y-%m-%d %H:%M')} UTC",
            "- Finished: "
            + (
                f"{s.finished_at.strftime('%Y-%m-%d %H:%M')} UTC"
                if s.finished_at
                else "not yet (session still open)"
            ),
            "- Decisions: "
            + ", ".join(f"{counts[d]} {d}" for d in DECISIONS)
            + (f"; {summary.pending} not reviewed" if summary.pending else ""),
            f"- Portfolio now: {len(ov.active)} active, {len(ov.infrastructure)} really "
            f"infrastructure, {len(ov.kill_candidates)} kill candidates, "
            f"{len(ov.promoted_missing)} promoted without an owner or a maintenance budget",
            "",
            "| # | Initiative | Stage now | Decision | Note |",
            "| --- | --- | --- | --- | --- |",
        ]
        answers = self.store.answer_values()
        marks = {i.id: scoring.forced_mark(i, answers.get(i.id, {})) for i, _ in summary.rows}
        for n, (i, r) in enumerate(summary.rows, 1):
            decision = DECISION_LABEL[r.decision] if r else "not reviewed"
            if r is not None and r.forced_reason:
                decision += " (forced past the gate)"
            note = _md(r.note) if r else ""
            stage = _label(i.stage) + (" (forced)" if marks[i.id] else "")
            lines.append(f"| {n} | {_md(i.name)} | {stage} | {decision} | {note} |")
        for d, title in (
            ("promote", "Promoted"),
            ("kill", "Killed"),
            ("defer", "Deferred"),
        ):
            picked = [(i, r) for i, r in summary.rows if r is not None and r.decision == d]
            if picked:
                lines += ["", f"## {title}", ""]
                for i, r in picked:
                    assert r is not None
                    forced = (
                        f", forced past the gate: {_md(r.forced_reason)}" if r.forced_reason else ""
                    )
                    same = r.note == r.forced_reason
                    extra = f": {_md(r.note)}" if r.note and not same else ""
                    lines.append(f"- **{_md(i.name)}** (now {_label(i.stage)}){forced}{extra}")
        still = [(i, marks[i.id]) for i, _ in summary.rows if marks[i.id]]
        if still:
            lines += [
                "",
                "## Forced, gates still unmet",
                "",
                "In a stage whose gates were forced and are still not met:",
                "",
            ]
            for i, reason in still:
                lines.append(
                    f"- **{_md(i.name)}** ({_label(i.stage)}): forced because {_md(reason)}"
                )
        return "\n".join(lines) + "\n"

    def minutes_path(self, session: ReviewSession) -> Path:
        """Where the minutes go: next to the bridge file, named after it and today's date."""
        return self.beside_file("review", "md")

    def save_minutes(
        self, session: ReviewSession, path: Path | None = None, *, force: bool = False
    ) -> Path:
        """Write the minutes (by default next to the file); an existing file is replaced only
        with `force` (else `OutputExists`, so the app can ask)."""
        target = path or self.minutes_path(session)
        return self.write_output(target, self.review_minutes(session), force=force)

    # metrics ---------------------------------------------------------------------------------

    def add_metric(
        self,
        initiative: Initiative,
        name: str,
        value: float,
        *,
        target: float | None = None,
        unit: str = "",
        at: date | None = None,
    ) -> MetricReading:
        """Record one reading (a monitoring job calls this through `bridge metric add`)."""
        if at is not None:
            check_day(at, "the date of the reading")
        self.initiative(initiative.id)
        try:
            reading = MetricReading(
                id=self.store.new_id(),
                initiative_id=initiative.id,
                name=name,
                value=value,
                target=target,
                unit=unit,
                at=at or self.today(),
            )
        except ValidationError as exc:
            raise BadInput(validation_message(exc)) from None
        with self._tx() as tx:
            return tx.insert(reading)

    def metrics(self, initiative: Initiative) -> list[MetricReading]:
        return self.metric_readings(initiative.id)

    # reports ---------------------------------------------------------------------------------

    def report_data(self) -> dict[str, Any]:
        """The report as one JSON-ready document (schema in this module's docstring)."""
        today = self.today()
        everyone = self.ordered(self.store.initiatives())
        answers = self.store.answer_values()
        histories = self.histories()
        ov = scoring.overview(everyone, answers, today, histories)
        names = {i.id: i.name for i in everyone}
        by_id = {i.id: i for i in everyone}
        plans = self._plan_statuses(everyone)
        last = self._last_reviews()
        readings = self._all_readings()
        kill = {k.initiative_id: k.reasons for k in ov.kill_candidates}

        summary = {
            "active": len(ov.active),
            "infrastructure": len(ov.infrastructure),
            "infrastructure_ids": list(ov.infrastructure),
            "killed": ov.killed,
            "blocked": [
                {
                    "id": b.initiative_id,
                    "name": names[b.initiative_id],
                    "stage": by_id[b.initiative_id].stage,
                    "next_stage": b.next_stage,
                    "unmet": list(b.unmet),
                    "blockers": list(b.blockers),
                }
                for b in ov.blocked
            ],
            "kill_candidates": [
                {"id": k.initiative_id, "name": names[k.initiative_id], "reasons": list(k.reasons)}
                for k in ov.kill_candidates
            ],
            "promoted": [
                {
                    "id": p.initiative_id,
                    "name": names[p.initiative_id],
                    "stage": by_id[p.initiative_id].stage,
                    "owner": p.owner,
                    "maintenance_budget": p.maintenance_budget,
                    "has_owner": p.has_owner,
                    "owner_issue": p.owner_note or None,
                    "has_maintenance_budget": p.has_maintenance_budget,
                    "missing": list(p.missing),
                }
                for p in ov.promoted
            ],
            "pilot_purgatory": list(ov.purgatory),
            "review_overdue": list(ov.review_overdue),
            "funnel": dict(ov.funnel),
            "blockers": dict(ov.blocker_counts),
        }
        heat = [
            {
                "id": h.initiative_id,
                "name": h.name,
                "stage": h.stage,
                "categories": {c: {"met": met, "max": mx} for c, met, mx in h.categories},
                "total": h.total,
                "passing": h.passing,
                "tests": dict(h.tests),
            }
            for h in ov.heat
        ]
        sections = []
        for i in everyone:
            a = answers.get(i.id, {})
            c = scoring.card(i, a, today, histories.get(i.id))
            r = c.readiness
            series = scoring.metric_series(readings.get(i.id, []))
            evidence = scoring.metric_evidence(series)
            plan = plans.get(i.id)
            rev = last.get(i.id)
            sections.append(
                {
                    "id": i.id,
                    "name": i.name,
                    "stage": i.stage,
                    "owner": i.owner,
                    "owner_is_operational": i.owner_is_operational,
                    "owner_issue": c.owner_issue.sentence() if c.owner_issue else None,
                    "pilot_builder": i.pilot_builder,
                    "team": i.team,
                    "days_in_stage": c.days_in_stage,
                    "purgatory_days": c.purgatory_days,
                    "created": i.created_at.date().isoformat(),
                    "budgets": {
                        "pilot": i.pilot_budget,
                        "integration": i.integration_budget,
                        "maintenance": i.maintenance_budget,
                    },
                    "score": {
                        "total": r.total,
                        "max": r.max,
                        "threshold": r.threshold,
                        "passing": r.passing,
                        "unanswered": r.unanswered,
                        "categories": {
                            cat.id: {"met": cat.met, "max": cat.max} for cat in r.categories
                        },
                        "weakest": list(r.weakest),
                    },
                    "tests": dict(c.tests),
                    "stage_three": c.stage_three,
                    "signals": {s.id: a.get(s.id, "unknown") for s in method.SIGNALS},
                    "scale": {
                        "ready": c.scale.ready,
                        "missing": list(c.scale.missing),
                        "false_signals": list(c.scale.false_signals),
                        "warning": c.scale.warning,
                        "sentence": c.scale.sentence(),
                        "stable_performance_supported_by_data": (
                            evidence.supports_stable_performance
                        ),
                        "stalled_adoption": list(evidence.stalled_adoption),
                    },
                    "metrics": [
                        {
                            "name": m.name,
                            "unit": m.unit,
                            "target": m.target,
                            "latest": m.latest,
                            "readings": len(m.points),
                            "stable_at_target": m.stable_at_target,
                            "adoption_stalled": m.adoption_stalled,
                        }
                        for m in series
                    ],
                    "next_gate": None
                    if c.next_gate is None
                    else {
                        "to": c.next_gate.target,
                        "allowed": c.next_gate.allowed,
                        "unmet": list(c.next_gate.unmet),
                    },
                    "blockers": list(i.blockers),
                    "flags": {
                        "pilot_purgatory": c.purgatory,
                        "review_overdue": c.review_overdue,
                        "kill_candidate": i.id in kill,
                        "forced": c.forced,
                    },
                    "forced_reason": c.forced_reason,
                    "kill_candidate_reasons": list(kill.get(i.id, ())),
                    "kill_reason": i.kill_reason,
                    "summary": i.summary,
                    "last_review_at": i.last_review_at.isoformat() if i.last_review_at else None,
                    "answers": {k: a.get(k, "unknown") for k in method.ANSWER_KEYS},
                    "plan": None
                    if plan is None
                    else {
                        "start": plan.start.isoformat(),
                        "day": plan.day,
                        "phase": plan.phase,
                        "done": plan.done,
                        "total": plan.total,
                        "overdue": len(plan.overdue),
                        "verdict": plan.verdict,
                        "text": self.plan_text(plan),
                    },
                    "last_review": None
                    if rev is None
                    else {
                        "date": rev.date.isoformat(),
                        "decision": rev.decision,
                        "reviewer": rev.reviewer,
                        "note": rev.note,
                    },
                }
            )
        return {
            "schema": REPORT_SCHEMA,
            "date": today.isoformat(),
            "file": self.file_name,
            "summary": summary,
            "heat_map": heat,
            "initiatives": sections,
        }

    def report(self, fmt: str = "md") -> str:
        fmt = (fmt or "md").lower()
        if fmt not in REPORT_FORMATS:
            raise BadInput(f"report format must be md, json or csv, not '{fmt}'.")
        data = self.report_data()
        if fmt == "json":
            return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if fmt == "csv":
            return report_csv(data)
        return report_markdown(data)

    def write_report(
        self, fmt: str = "md", path: Path | None = None, *, force: bool = False
    ) -> Path:
        """Write the report next to the bridge file (or to `path`); returns where. An existing
        file is replaced only with `force` (else `OutputExists`, so the app can ask)."""
        fmt = (fmt or "md").lower()
        text = self.report(fmt)
        target = path or self.beside_file("report", fmt)
        return self.write_output(target, text, force=force)

    # export ----------------------------------------------------------------------------------

    def export_all(self) -> dict[str, Any]:
        """Everything in the file as one JSON-ready document (see the module docstring)."""
        tables: dict[str, list[dict[str, Any]]] = {}
        for _entity, (table, model) in ENTITIES.items():
            rows = self.store.all(model, include_deleted=True, order="id")
            tables[table] = [r.model_dump(mode="json") for r in rows]
        changes = [
            c.model_dump(mode="json") for c in self.store.changes(newest_first=False, expand=False)
        ]
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "schema_version": SCHEMA_VERSION,
            "tables": tables,
            "changes": changes,
        }

    def export_json(self) -> str:
        return export_text(self.export_all())

    def export_to(self, path: Path | str, *, force: bool = False) -> Path:
        """`bridge export -o`: the export, written by the output rules."""
        return self.write_output(path, self.export_json(), force=force)

    def import_all(
        self, source: Path | str, target: Path | str, *, force: bool = False, reason: str = ""
    ) -> Path:
        """See the module-level `import_all`: a new file at `target` from an export."""
        return import_all(
            source, target, force=force, reason=reason, author=self.author, clock=self.clock
        )


def export_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def parse_export(text: str, source: str = "the file") -> ExportDoc:
    """Check an export completely before anything is written; one sentence on any fault."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadFile(
            f"{source} is not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None
    except RecursionError:
        # an export nests five levels deep; thousands of brackets are a broken or hostile file
        raise BadFile(f"{source} nests its JSON too deeply to be a bridge export.") from None
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise BadFile(f'{source} is JSON but not a bridge export (no "format": "bridge.export").')
    if doc.get("version") != EXPORT_VERSION:
        raise BadFile(
            f"{source} is a bridge export of version {doc.get('version')!r}; this bridge reads "
            f"version {EXPORT_VERSION}."
        )
    schema = doc.get("schema_version")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise BadFile(
            f"{source} was exported by a newer bridge (schema {schema}); update bridge to "
            "import it."
        )
    tables = doc.get("tables")
    changes = doc.get("changes")
    if not isinstance(tables, dict) or not isinstance(changes, list):
        raise BadFile(f'{source} lacks its "tables" or "changes" section.')
    known = {table: (entity, model) for entity, (table, model) in ENTITIES.items()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise BadFile(f"{source} has an unknown table '{unknown[0]}'.")
    rows: dict[str, list[BaseModel]] = {}
    for table, (entity, model) in known.items():
        raw = tables.get(table, [])
        if not isinstance(raw, list):
            raise BadFile(f'{source}: "{table}" must be a list of rows.')
        seen: set[str] = set()
        out: list[BaseModel] = []
        for n, row in enumerate(raw, 1):
            try:
                m = model.model_validate(row, context=FROM_FILE)
            except ValidationError as exc:
                raise BadFile(
                    f"{source}: {table} row {n} is not valid: {validation_message(exc)}"
                ) from None
            ident = str(getattr(m, "id", ""))
            if ident in seen:
                raise BadFile(f"{source}: {table} row {n} repeats the id {ident}.")
            seen.add(ident)
            out.append(m)
        rows[entity] = out
    log: list[Change] = []
    seen_changes: set[str] = set()
    for n, row in enumerate(changes, 1):
        try:
            change = Change.model_validate(row)
        except ValidationError as exc:
            raise BadFile(f"{source}: change {n} is not valid: {validation_message(exc)}") from None
        if change.change_id in seen_changes:
            raise BadFile(f"{source}: change {n} repeats the id {change.change_id}.")
        seen_changes.add(change.change_id)
        log.append(change)
    return ExportDoc(schema, rows, log)


def import_all(
    source: Path | str,
    target: Path | str,
    *,
    force: bool = False,
    reason: str = "",
    author: str = "import",
    clock: Clock | None = None,
) -> Path:
    """Create `target` (which must not exist) holding exactly what the export `source` holds.

    The export is read and checked completely first; only then is the new file created, and
    if writing fails the new file is removed, so a refused import leaves nothing behind.

    Every way into a stage is gated (`service.entry`): an initiative in a stage its change log
    does not record must meet the gates into it; otherwise the import is refused with the
    list, or with `force` and a `reason` those initiatives are marked forced (one logged
    change each, by `author` on `clock`).

    The export is checked as a merge checks a copy (every row as its model, then ids,
    references, stamps within a day of now and every row against its change log).
    """
    source, target = Path(source), Path(target)
    if target.exists():
        raise BadFile(f"{target} already exists; import only creates a new file.")
    if not source.is_file():
        raise BadFile(f"{source} does not exist or is not a file.")
    size = source.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise BadFile(
            f"{source.name} is {size / 2**20:,.0f} MiB; bridge imports exports of up to "
            f"{MAX_IMPORT_BYTES // 2**20} MiB."
        )
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadFile(f"{source.name} is not a UTF-8 text file, so not a bridge export.") from None
    except OSError as exc:
        raise BadFile(f"{source.name} cannot be read: {exc.strerror}.") from None
    doc = parse_export(text, source.name)
    now = (clock or Clock.system()).now()
    problem = verify.problem(verify.from_models(doc.rows, doc.changes), now)
    if problem:
        raise BadFile(f"{source.name} {problem}: it cannot be trusted; nothing was imported.")
    unbacked = unbacked_entries(
        [r for r in doc.rows.get("initiative", []) if isinstance(r, Initiative)],
        [r for r in doc.rows.get("answer", []) if isinstance(r, Answer)],
        doc.changes,
    )
    if unbacked:
        if not force:
            refuse_unbacked(unbacked, source.name)
        reason = (reason or "").strip()
        if not reason:
            raise BadInput("Forcing initiatives past their gates on import needs a reason.")
    store = Store.create(target)
    if clock is not None:
        store.clock = clock.now
    ok = False
    try:
        store.load_verbatim(doc.rows, doc.changes)
        if unbacked:
            with store.transaction(author.strip() or "import") as tx:
                for u in unbacked:
                    current = store.get(Initiative, u.initiative.id)
                    assert current is not None
                    tx.update(current, None, forced_reason=reason, move_reason=reason)
        ok = True
    finally:
        store.close()
        if not ok:
            for leftover in (target, target.with_name(target.name + "-journal")):
                with contextlib.suppress(OSError):
                    leftover.unlink()
    return target


# rendering ------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """A person's text as literal Markdown (`text.md`): no heading, link, emphasis or table cell
    of its own, whatever it holds."""
    return md(text)


def _category_short(cid: str) -> str:
    return {
        "data": "Data",
        "governance": "Gov.",
        "operations": "Ops",
        "security": "Sec.",
        "team": "Team",
    }.get(cid, cid)


def _requirement(key: str) -> str:
    return method.describe_requirement(key)


def report_markdown(data: dict[str, Any]) -> str:
    """The report as Markdown that reads well as-is in a mail or a wiki."""
    s = data["summary"]
    by_id = {i["id"]: i for i in data["initiatives"]}
    day = date.fromisoformat(data["date"])
    out: list[str] = [
        f"# AI portfolio report: {_md(data['file'])}, {day.strftime('%d %B %Y').lstrip('0')}",
        "",
        "## The four questions",
        "",
    ]
    infra_names = ", ".join(_md(by_id[i]["name"]) for i in s["infrastructure_ids"]) or "none"
    out.append(
        f"1. **{s['active']} active initiatives; {s['infrastructure']} really infrastructure** "
        f"(in Infrastructure and passing all four tests): {infra_names}."
    )
    out.append(f"2. **What blocks the other {len(s['blocked'])}:**")
    for b in s["blocked"]:
        what = (
            "; ".join(_requirement(k) for k in b["unmet"])
            if b["unmet"]
            else "nothing unmet: the gate is open"
        )
        gate = f"gate into {_label(b['next_stage'])}" if b["next_stage"] else "the four tests"
        tags = (
            "; blockers: " + ", ".join(method.BLOCKER_BY_ID[t].label for t in b["blockers"])
            if b["blockers"]
            else ""
        )
        out.append(f"   - **{_md(b['name'])}** ({_label(b['stage'])}): {gate}: {what}{tags}.")
    kills = s["kill_candidates"]
    out.append(f"3. **Kill candidates: {len(kills)}**" + ("" if kills else " (none)."))
    for k in kills:
        out.append(f"   - **{_md(k['name'])}**: {'; '.join(k['reasons'])}.")
    promoted = s["promoted"]
    missing = [p for p in promoted if p["missing"]]
    out.append(
        f"4. **Being promoted: {len(promoted)}; missing an owner or a maintenance budget: "
        f"{len(missing)}**" + ("" if promoted else " (none).")
    )
    for p in promoted:
        owner = p["owner"] or "no named owner"
        budget = (
            f"maintenance budget {_money(p['maintenance_budget'])}"
            if p["has_maintenance_budget"]
            else "no maintenance budget"
        )
        flag = f" **Missing: {', '.join(p['missing'])}.**" if p["missing"] else ""
        if p.get("owner_issue") and p["owner"]:
            owner += f" ({p['owner_issue']})"
        out.append(
            f"   - **{_md(p['name'])}** ({_label(p['stage'])}): {_md(owner)}; {budget}.{flag}"
        )
    purg = [_md(by_id[i]["name"]) for i in s["pilot_purgatory"]]
    overdue = [_md(by_id[i]["name"]) for i in s["review_overdue"]]
    out += [
        "",
        f"Pilot purgatory (more than {method.PURGATORY_DAYS} days in Pilot and Validate "
        f"together): {', '.join(purg) if purg else 'none'}.",
        "",
        f"Review overdue (Infrastructure with no review in {method.REVIEW_DAYS} days): "
        f"{', '.join(overdue) if overdue else 'none'}.",
    ]
    out += sustain_report.markdown_summary(data)
    out += flow_report.markdown_summary(data)
    out += [
        "",
        "## Stage funnel",
        "",
        "| Stage | Initiatives |",
        "| --- | ---: |",
    ]
    for stage, n in s["funnel"].items():
        out.append(f"| {_label(stage)} | {n} |")
    out += [
        "",
        "## Blockers across the portfolio",
        "",
        "| Blocker | Initiatives |",
        "| --- | ---: |",
    ]
    for b, n in s["blockers"].items():
        out.append(f"| {method.BLOCKER_BY_ID[b].label} | {n} |")
    cats = [c.id for c in method.CATEGORIES]
    tests_ = [t.id for t in method.TESTS]
    out += [
        "",
        "## Heat map",
        "",
        f"Points met per category, the total out of {method.MAX_SCORE} "
        f"({method.PASSING_SCORE} passes) and the four tests (yes, no, ? for unanswered).",
        "",
        "| Initiative | Stage | "
        + " | ".join(_category_short(c) for c in cats)
        + " | Total | "
        + " | ".join(method.TEST_BY_ID[t].label for t in tests_)
        + " |",
        "| --- | --- | "
        + " | ".join("---:" for _ in cats)
        + " | ---: | "
        + " | ".join(":---:" for _ in tests_)
        + " |",
    ]
    for h in data["heat_map"]:
        cells = [f"{h['categories'][c]['met']}/{h['categories'][c]['max']}" for c in cats]
        total = f"**{h['total']}**" if h["passing"] else str(h["total"])
        marks = [_test_mark(h["tests"][t]) for t in tests_]
        out.append(
            f"| {_md(h['name'])} | {_label(h['stage'])} | "
            + " | ".join(cells)
            + f" | {total} | "
            + " | ".join(marks)
            + " |"
        )
    out += ["", "## Initiatives", ""]
    for i in data["initiatives"]:
        out += _initiative_markdown(i)
    return "\n".join(out).rstrip("\n") + "\n"


def _initiative_markdown(i: dict[str, Any]) -> list[str]:
    sc = i["score"]
    flags = []
    if i["flags"]["pilot_purgatory"]:
        flags.append("pilot purgatory")
    if i["flags"]["review_overdue"]:
        flags.append("review overdue")
    if i["flags"]["kill_candidate"]:
        flags.append("kill candidate")
    if i["flags"]["forced"]:
        flags.append(f"forced into this stage: {_md(i['forced_reason'])}")
    stage = f"{_label(i['stage'])} for {i['days_in_stage']} days"
    if flags:
        stage += f" ({', '.join(flags)})"
    owner = _md(i["owner"]) if i["owner"] else "no named owner"
    if i["owner"] and i["owner_is_operational"]:
        owner += " (operations side)"
    if i["pilot_builder"]:
        owner += f"; pilot built by {_md(i['pilot_builder'])}"
    if i["owner"] and i["owner_issue"]:
        owner += f"; does not count as owned: {_md(i['owner_issue'])}"
    if i["team"]:
        owner += f"; team: {_md(i['team'])}"
    cats = ", ".join(
        f"{method.CATEGORY_BY_ID[c].label} {v['met']}/{v['max']}"
        for c, v in sc["categories"].items()
    )
    weakest = (
        ", ".join(method.CATEGORY_BY_ID[c].label.lower() for c in sc["weakest"])
        or "none (full marks)"
    )
    verdict = "passing" if sc["passing"] else f"under the pass line of {sc['threshold']}"
    tests = ", ".join(
        f"{method.TEST_BY_ID[t].label} {_test_mark(v)}" for t, v in i["tests"].items()
    )
    if i["stage_three"]:
        tests += " (real infrastructure)"
    real = [s for s in method.REAL_SIGNALS]
    sig_real = ", ".join(f"{s.label.lower()} {i['signals'][s.id]}" for s in real)
    signals = f"{sig_real}. {i['scale']['sentence']}"
    if i["scale"]["stable_performance_supported_by_data"]:
        signals += " Stable performance is supported by the metrics."
    if i["scale"]["stalled_adoption"]:
        signals += (
            f" Adoption stalls under {method.ADOPTION_FLOOR:g}% ("
            + ", ".join(i["scale"]["stalled_adoption"])
            + ")."
        )
    ng = i["next_gate"]
    if ng is None:
        gate = "none (last stage)" if i["stage"] != method.KILLED else "none (killed)"
    elif ng["allowed"]:
        gate = f"into {_label(ng['to'])}: everything met"
    else:
        gate = f"into {_label(ng['to'])}: needs " + "; ".join(_requirement(k) for k in ng["unmet"])
    blockers = ", ".join(method.BLOCKER_BY_ID[b].label for b in i["blockers"]) or "none"
    plan = i["plan"]["text"] if i["plan"] else "no plan"
    rev = i["last_review"]
    last = (
        f"{rev['date']}, {rev['decision']} by {_md(rev['reviewer']) or 'unknown'}"
        + (f": {_md(rev['note'])}" if rev["note"] else "")
        if rev
        else "never reviewed"
    )
    lines = [
        f"### {_md(i['name'])}",
        "",
        f"- **Stage:** {stage}",
        f"- **Owner:** {owner}",
        f"- **Score:** {method.score_text(sc['total'])}, {verdict}. {cats}. Weakest: {weakest}.",
        f"- **Tests:** {tests}",
        f"- **Signals:** {signals}",
        f"- **Next gate:** {gate}",
        f"- **Blockers:** {blockers}",
        f"- **Plan:** {plan}",
        f"- **Last review:** {last}",
    ]
    if i["metrics"]:
        ms = "; ".join(
            f"{_md(m['name'])} {m['latest']:g}{_md(m['unit'])}"
            + (f" (target {m['target']:g}{_md(m['unit'])})" if m["target"] is not None else "")
            for m in i["metrics"]
        )
        lines.append(f"- **Metrics (latest):** {ms}")
    if i["kill_candidate_reasons"]:
        lines.append(f"- **Kill candidate:** {'; '.join(i['kill_candidate_reasons'])}")
    if i["kill_reason"]:
        lines.append(f"- **Killed because:** {_md(i['kill_reason'])}")
    lines += sustain_report.markdown_initiative(i)
    lines += flow_report.markdown_initiative(i)
    lines.append("")
    return lines


def report_csv(data: dict[str, Any]) -> str:
    """One row per initiative (columns: `CSV_COLUMNS`). Every text cell goes through
    `text.csv_cell`: a name like `=cmd|...` or `@HYPERLINK(...)` opens as text, not a formula."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    missing = {p["id"]: p["missing"] for p in data["summary"]["promoted"]}
    for i in data["initiatives"]:
        ng = i["next_gate"]
        w.writerow(
            csv_cell(cell)
            for cell in [
                i["id"],
                i["name"],
                i["stage"],
                i["owner"],
                i["days_in_stage"],
                i["score"]["total"],
                "yes" if i["score"]["passing"] else "no",
                *(
                    f"{v['met']}/{v['max']}"
                    for v in (i["score"]["categories"][c.id] for c in method.CATEGORIES)
                ),
                *(_test_mark(i["tests"][t.id]) for t in method.TESTS),
                "yes" if i["stage_three"] else "no",
                ng["to"] if ng else "",
                " ".join(ng["unmet"]) if ng else "",
                " ".join(i["blockers"]),
                "yes" if i["flags"]["pilot_purgatory"] else "no",
                "yes" if i["flags"]["review_overdue"] else "no",
                "yes" if i["flags"]["kill_candidate"] else "no",
                i["budgets"]["maintenance"],
                "; ".join(missing.get(i["id"], [])),
                i["plan"]["text"] if i["plan"] else "no plan",
                i["last_review"]["date"] if i["last_review"] else "",
                i["last_review"]["decision"] if i["last_review"] else "",
                *sustain_report.csv_cells(i),
                i["team"],
                i["summary"],
                i["budgets"]["pilot"],
                i["budgets"]["integration"],
                "yes" if i["owner_is_operational"] else "no",
                i["kill_reason"],
                i["last_review_at"] or "",
                i["created"],
                *(_ANSWER_MARK[i["answers"][k]] for k in method.ANSWER_KEYS),
                *flow_report.csv_cells(i),
            ]
        )
    return buf.getvalue()


_ANSWER_MARK = {"yes": "yes", "no": "no", "unknown": "?"}
