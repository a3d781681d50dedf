"""Use cases of the portfolio review: sessions, the items they walk, decisions and minutes.

A session fixes its order when it starts (most stuck first); each decision is a `Review` record
written in one transaction with the move or kill it makes; the minutes are Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bridge_tui import method, scoring
from bridge_tui.errors import BadInput, GateRefused
from bridge_tui.models import (
    DECISION_LABEL,
    DECISIONS,
    Initiative,
    MetricReading,
    Plan,
    PlanTask,
    Review,
    ReviewDetails,
    ReviewItem,
    ReviewSession,
    ReviewSummary,
)
from bridge_tui.service.initiatives import Board
from bridge_tui.service.moves import CURRENT_TASK, MoveResult
from bridge_tui.service.reports import ReportOps
from bridge_tui.store import Tx
from bridge_tui.text import md


def _label(stage: str) -> str:
    return method.STAGE_BY_ID[stage].label


@dataclass(frozen=True)
class DecisionResult:
    """A recorded decision, or a promotion the gate refused (nothing written then)."""

    session: ReviewSession
    review: Review | None
    move: MoveResult | None = None
    #: requirements the gate found unmet when a promotion was refused
    unmet: tuple[str, ...] = ()
    #: the same in words, as the gate dialog lists them (`GateCheck.lines`)
    lines: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        return self.review is None


class ReviewOps(ReportOps):
    """Mixed into `Service`."""

    # review sessions -------------------------------------------------------------------------

    def review_order(self, board: Board | None = None) -> list[Initiative]:
        """Every active initiative, most stuck first (`scoring.stuck_key`). `board`: one
        already loaded, so a review's first load reads the file once, not twice."""
        board = board or self.board(scores=True)
        return scoring.review_order(
            board.initiatives,
            board.answers,
            self.today(),
            board.histories,
            self.board_scores(board),
        )

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
        board = board or self.board(scores=True)
        scores = self.board_scores(board)
        by_id = {i.id: i for i in board.initiatives}
        decided = self.session_decisions(session)
        live = [by_id[i] for i in session.order if i in by_id]
        plans = self._plan_statuses(live)
        readings = self._all_readings()
        return [
            self._review_item(
                i,
                scores[i.id],
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
            scoring.StoredScore.of(found, self.answer_map(initiative_id)),
            status,
            self.metric_readings(initiative_id),
            self.session_decisions(session).get(initiative_id),
            self.stage_history(initiative_id),
        )

    def _review_item(
        self,
        initiative: Initiative,
        score: scoring.StoredScore,
        plan: scoring.PlanStatus | None,
        readings: list[MetricReading],
        decision: Review | None,
        history: scoring.History | None,
    ) -> ReviewItem:
        today = self.today()

        def details() -> ReviewDetails:
            """Worked out when the review first shows it (`ReviewItem.details`): from what was
            read here, never the file again."""
            return ReviewDetails(
                card=score.card(initiative, today, history),
                blocks=score.blocks,
                kill_reasons=scoring.kill_reasons(initiative, {}, today, history, score=score),
                plan=self.plan_text(plan),
                metrics=tuple(scoring.metric_series(readings)),
            )

        return ReviewItem(initiative, decision, details)

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
            return DecisionResult(shown, None, None, tuple(exc.unmet), tuple(exc.lines))
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
            f"- File: {md(self.file_name)}",
            f"- Led by: {md(s.by) if s.by else 'unknown'}",
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
            note = md(r.note) if r else ""
            stage = _label(i.stage) + (" (forced)" if marks[i.id] else "")
            lines.append(f"| {n} | {md(i.name)} | {stage} | {decision} | {note} |")
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
                        f", forced past the gate: {md(r.forced_reason)}" if r.forced_reason else ""
                    )
                    same = r.note == r.forced_reason
                    extra = f": {md(r.note)}" if r.note and not same else ""
                    lines.append(f"- **{md(i.name)}** (now {_label(i.stage)}){forced}{extra}")
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
                lines.append(f"- **{md(i.name)}** ({_label(i.stage)}): forced because {md(reason)}")
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
