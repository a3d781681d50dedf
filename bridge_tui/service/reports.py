"""Use cases for the portfolio's figures: the overview, metric readings and the report's data.

`report_data` returns the report typed (`bridge_tui.report`: its JSON schema is there);
`bridge_tui.report_render` turns it into Markdown, JSON or CSV. The sustain and flow mixins
add their parts (`SustainOps.report_data`, `FlowOps.report_data`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bridge_tui import method, scoring
from bridge_tui.clock import check_day
from bridge_tui.errors import BadInput
from bridge_tui.models import Initiative, MetricReading, Review, validation_message
from bridge_tui.service.initiatives import Board
from bridge_tui.service.outputs import OutputOps

if TYPE_CHECKING:  # the report's types and its writers load when a report is made
    from bridge_tui.report import Report


class ReportOps(OutputOps):
    """Mixed into `Service`."""

    # overview --------------------------------------------------------------------------------

    def overview(
        self, board: Board | None = None, *, in_board_order: bool = False
    ) -> scoring.Overview:
        """The overview's figures; pass a board already loaded to reuse it (`in_board_order`:
        its initiatives are in board order). Read afresh, only the kept scores are read, not
        the answers (`kept_board`)."""
        board = board or self.kept_board()
        scores = self.board_scores(board)
        return scoring.overview(
            board.initiatives,
            board.answers,
            self.today(),
            board.histories,
            scores,
            in_board_order=in_board_order,
        )

    def _plan_statuses(self, initiatives: Iterable[Initiative]) -> dict[str, scoring.PlanStatus]:
        """Plan status per initiative that has a live plan (two queries for the portfolio,
        read from the rows: `Store.plan_facts`; through the models if a row is damaged)."""
        starts, tasks = self._plan_facts()
        out: dict[str, scoring.PlanStatus] = {}
        for i in initiatives:
            start = starts.get(i.id)
            if start is not None:
                out[i.id] = scoring.plan_status(
                    start, tasks.get(i.id, ()), self.today(), i.last_review_at
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

    def report_data(self, board: Board | None = None) -> Report:
        """The report, typed (schema in `bridge_tui.report`); `board`: the portfolio, read
        once for the whole report (with its kept scores)."""
        from bridge_tui.report import (
            REPORT_SCHEMA,
            Blocked,
            Budgets,
            Flags,
            HeatRow,
            KillCandidate,
            LastReview,
            Metric,
            NextGate,
            PlanSection,
            Points,
            Promoted,
            Report,
            Scale,
            Score,
            Section,
            Summary,
        )

        today = self.today()
        board = board or self.board(scores=True)
        everyone = self.ordered(board.initiatives)
        answers, histories = board.answers, board.histories
        scores = self.board_scores(board)
        ov = scoring.overview(everyone, answers, today, histories, scores)
        names = {i.id: i.name for i in everyone}
        by_id = {i.id: i for i in everyone}
        plans = self._plan_statuses(everyone)
        last = self._last_reviews()
        readings = self._all_readings()
        kill = {k.initiative_id: k.reasons for k in ov.kill_candidates}

        summary = Summary(
            active=len(ov.active),
            infrastructure=len(ov.infrastructure),
            infrastructure_ids=tuple(ov.infrastructure),
            killed=ov.killed,
            blocked=tuple(
                Blocked(
                    id=b.initiative_id,
                    name=names[b.initiative_id],
                    stage=by_id[b.initiative_id].stage,
                    next_stage=b.next_stage,
                    unmet=tuple(b.unmet),
                    blockers=tuple(b.blockers),
                )
                for b in ov.blocked
            ),
            kill_candidates=tuple(
                KillCandidate(k.initiative_id, names[k.initiative_id], tuple(k.reasons))
                for k in ov.kill_candidates
            ),
            promoted=tuple(
                Promoted(
                    id=p.initiative_id,
                    name=names[p.initiative_id],
                    stage=by_id[p.initiative_id].stage,
                    owner=p.owner,
                    maintenance_budget=p.maintenance_budget,
                    has_owner=p.has_owner,
                    owner_issue=p.owner_note or None,
                    has_maintenance_budget=p.has_maintenance_budget,
                    missing=tuple(p.missing),
                )
                for p in ov.promoted
            ),
            pilot_purgatory=tuple(ov.purgatory),
            review_overdue=tuple(ov.review_overdue),
            funnel=dict(ov.funnel),
            blockers=dict(ov.blocker_counts),
        )
        heat = tuple(
            HeatRow(
                id=h.initiative_id,
                name=h.name,
                stage=h.stage,
                categories={c: Points(met, mx) for c, met, mx in h.categories},
                total=h.total,
                passing=h.passing,
                tests=dict(h.tests),
            )
            for h in ov.heat
        )
        sections = []
        for i in everyone:
            a = answers.get(i.id, {})
            c = scores[i.id].card(i, today, histories.get(i.id))
            r = c.readiness
            series = scoring.metric_series(readings.get(i.id, []))
            evidence = scoring.metric_evidence(series)
            plan = plans.get(i.id)
            rev = last.get(i.id)
            sections.append(
                Section(
                    id=i.id,
                    name=i.name,
                    stage=i.stage,
                    owner=i.owner,
                    owner_is_operational=i.owner_is_operational,
                    owner_issue=c.owner_issue.sentence() if c.owner_issue else None,
                    pilot_builder=i.pilot_builder,
                    team=i.team,
                    days_in_stage=c.days_in_stage,
                    purgatory_days=c.purgatory_days,
                    created=i.created_at.date(),
                    budgets=Budgets(i.pilot_budget, i.integration_budget, i.maintenance_budget),
                    score=Score(
                        total=r.total,
                        max=r.max,
                        threshold=r.threshold,
                        passing=r.passing,
                        unanswered=r.unanswered,
                        categories={cat.id: Points(cat.met, cat.max) for cat in r.categories},
                        weakest=tuple(r.weakest),
                    ),
                    tests=dict(c.tests),
                    stage_three=c.stage_three,
                    signals={s.id: a.get(s.id, "unknown") for s in method.SIGNALS},
                    scale=Scale(
                        ready=c.scale.ready,
                        missing=tuple(c.scale.missing),
                        false_signals=tuple(c.scale.false_signals),
                        warning=c.scale.warning,
                        sentence=c.scale.sentence(),
                        stable_performance_supported_by_data=(evidence.supports_stable_performance),
                        stalled_adoption=tuple(evidence.stalled_adoption),
                    ),
                    metrics=tuple(
                        Metric(
                            name=m.name,
                            unit=m.unit,
                            target=m.target,
                            latest=m.latest,
                            readings=len(m.points),
                            stable_at_target=m.stable_at_target,
                            adoption_stalled=m.adoption_stalled,
                        )
                        for m in series
                    ),
                    next_gate=None
                    if c.next_gate is None
                    else NextGate(
                        c.next_gate.target, c.next_gate.allowed, tuple(c.next_gate.unmet)
                    ),
                    blockers=tuple(i.blockers),
                    flags=Flags(
                        pilot_purgatory=c.purgatory,
                        review_overdue=c.review_overdue,
                        kill_candidate=i.id in kill,
                        forced=c.forced,
                    ),
                    forced_reason=c.forced_reason,
                    kill_candidate_reasons=tuple(kill.get(i.id, ())),
                    kill_reason=i.kill_reason,
                    summary=i.summary,
                    last_review_at=i.last_review_at,
                    answers={k: a.get(k, "unknown") for k in method.ANSWER_KEYS},
                    plan=None
                    if plan is None
                    else PlanSection(
                        start=plan.start,
                        day=plan.day,
                        phase=plan.phase,
                        done=plan.done,
                        total=plan.total,
                        overdue=len(plan.overdue),
                        verdict=plan.verdict,
                        text=self.plan_text(plan),
                    ),
                    last_review=None
                    if rev is None
                    else LastReview(rev.date, rev.decision, rev.reviewer, rev.note),
                )
            )
        return Report(
            schema=REPORT_SCHEMA,
            date=today,
            file=self.file_name,
            summary=summary,
            heat_map=heat,
            initiatives=tuple(sections),
        )

    def report(self, fmt: str = "md") -> str:
        from bridge_tui import report_render

        fmt = (fmt or "md").lower()
        if fmt not in report_render.REPORT_FORMATS:
            raise BadInput(f"report format must be md, json or csv, not '{fmt}'.")
        return report_render.render(self.report_data(), fmt)

    def write_report(
        self, fmt: str = "md", path: Path | None = None, *, force: bool = False
    ) -> Path:
        """Write the report next to the bridge file (or to `path`); returns where. An existing
        file is replaced only with `force` (else `OutputExists`, so the app can ask)."""
        fmt = (fmt or "md").lower()
        text = self.report(fmt)
        target = path or self.beside_file("report", fmt)
        return self.write_output(target, text, force=force)
