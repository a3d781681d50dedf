"""The review session (r from the board or the overview).

It walks every active initiative, most stuck first (`scoring.stuck_key`), in an order fixed when
the session starts. Each decision (keep, promote through the gate, kill with a reason, defer) is
saved at once as a review record, so the session can be left at any time: pressing r again,
even after quitting the app, resumes at the first initiative without a decision. The session
record itself is written with the first decision, so opening the review by mistake leaves
nothing behind. At the end a summary, which m saves as Markdown minutes next to the file.
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import ContentSwitcher, Header, Static

from bridge_tui import method
from bridge_tui.models import ReviewItem, ReviewSession
from bridge_tui.service import Board
from bridge_tui.tui.busy import read_off_thread
from bridge_tui.tui.dialogs.common import ConfirmDialog
from bridge_tui.tui.dialogs.overwrite import write_asking
from bridge_tui.tui.dialogs.review_decision import ReviewDecisionDialog
from bridge_tui.tui.screens.base import REFUSED, BridgeScreen, PaletteEntry
from bridge_tui.tui.screens.review_read import Loaded, read_review, session_view
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, VerticalScroll
from bridge_tui.tui.widgets.fitted import FittedStatic
from bridge_tui.tui.widgets.footer import BridgeFooter
from bridge_tui.tui.widgets.presenter import PresenterView
from bridge_tui.tui.widgets.review_agenda import AgendaShown, ReviewAgenda
from bridge_tui.tui.widgets.review_card import EXTEND_QUESTION, CardShown, ReviewCard
from bridge_tui.tui.widgets.review_metrics import MetricSparklines
from bridge_tui.tui.widgets.review_summary import ReviewSummaryView, Shown

KEYS_HINT = Content.from_markup(
    "[b]k[/b] keep  [b]p[/b] promote  [b]x[/b] kill  [b]d[/b] defer  [b]←/→[/b] move  "
    "[b]f[/b] finish  [b]esc[/b] leave, r resumes"
)


SUMMARY_HINT = Content.from_markup("[b]m[/b] save the minutes  [b]esc[/b] back")
LOADING_HINT = Content.from_markup("[b]esc[/b] leave")


#: footer group: `←→ Step`
STEP = Binding.Group("Step", compact=True)


class ReviewScreen(BridgeScreen):
    CSS_PATH = sheets("presenter.tcss", "review.tcss")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("escape", "leave", "Leave", show=False, id="review.leave"),
        Binding("k", "decide('keep')", "Keep", id="review.keep"),
        Binding("p", "decide('promote')", "Promote", id="review.promote"),
        Binding("x", "decide('kill')", "Kill", id="review.kill"),
        Binding("d", "decide('defer')", "Defer", id="review.defer"),
        Binding("left,b", "step(-1)", "Previous", group=STEP, id="review.previous"),
        Binding("right,n", "step(1)", "Next", group=STEP, id="review.next"),
        Binding("f", "finish", "Finish", id="review.finish"),
        Binding("m", "save_minutes", "Save minutes", show=False, id="review.save_minutes"),
        Binding("v", "toggle_presenter", "Presenter", show=False, id="review.toggle_presenter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: the saved session; None until the first decision of a new session
        self.session: ReviewSession | None = None
        #: the order shown (fixed when the screen opened, or the resumed session's)
        self.order: tuple[str, ...] = ()
        self.items: list[ReviewItem] = []
        self.index = 0
        self.summary_mode = False
        self.minutes_name: str | None = None
        #: the presenter layout (v): the current initiative big, for a projector
        self.presenting = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield FittedStatic("", id="rv-progress", markup=False)
        with Horizontal(id="rv-main"):
            #: the card, the summary, or the presenter layout: one at a time
            with ContentSwitcher(id="rv-panes", initial="rv-card-scroll"):
                with VerticalScroll(id="rv-card-scroll"):
                    yield ReviewCard(id="rv-card")
                    yield MetricSparklines(id="rv-metrics")
                with VerticalScroll(id="rv-summary-scroll"):
                    yield ReviewSummaryView(id="rv-summary")
                yield PresenterView(id="rv-presenter")
            yield ReviewAgenda(id="rv-agenda")
        yield FittedStatic(KEYS_HINT, id="rv-keys", markup=False)
        yield BridgeFooter()

    #: from this many initiatives the review's loads (every active initiative scored) run in
    #: a worker thread, with a loading indicator, so the keys stay live meanwhile
    LOAD_IN_WORKER_FROM = 1_000
    #: bumped by every load, so a worker's result older than a later load is dropped
    _load_seq = 0
    #: False until the first load has landed (until then nothing can be decided)
    loaded = False

    def on_mount(self) -> None:
        self.query_one("#rv-agenda", ReviewAgenda).border_title = "Agenda (most stuck first)"
        self.query_one("#rv-card-scroll").can_focus = False
        self.query_one("#rv-summary-scroll").can_focus = False
        self._large = self.service.initiative_count() >= self.LOAD_IN_WORKER_FROM
        self._load(first=True)
        self.query_one("#rv-agenda", ReviewAgenda).focus()

    # data ------------------------------------------------------------------------------------

    def _session_view(self) -> ReviewSession:
        """The saved session, or an unsaved one carrying the order shown (for reading)."""
        return session_view(self.service, self.session, self.order)

    def _load(self, *, first: bool = False) -> None:
        """Read the session and its items: at once for a small file, in a worker for a large
        one (the screen shows a loading indicator and keeps its keys meanwhile)."""
        self._load_seq += 1
        session_id = self.session.id if self.session is not None else None
        # the board screen's whole board, while the file is as it was when it was read
        known = self.bridge.whole_board(self.data_key())
        if not self._large:
            loaded = read_review(self.service, first, session_id, self.order, known)
            self._landed(self._load_seq, first, loaded)
            return
        self._set_loading(True)
        self._load_in_worker(self._load_seq, first, session_id, self.order, known)

    def _set_loading(self, loading: bool) -> None:
        for widget in (self.query_one("#rv-agenda"), self.query_one("#rv-main")):
            widget.loading = loading
        if loading:
            self.query_one("#rv-progress", Static).update(
                Content.assemble(("Portfolio review", "bold"), " · scoring the agenda…")
            )
            # nothing can be decided until it is there: say only what works meanwhile
            self.query_one("#rv-keys", Static).update(LOADING_HINT)

    @work(thread=True, exclusive=True, group="review-load", description="the review's read")
    def _load_in_worker(
        self,
        seq: int,
        first: bool,
        session_id: str | None,
        order: tuple[str, ...],
        known: Board | None,
    ) -> None:
        """In a thread, on a read-only connection of its own (`Service.reader()`)."""
        loaded = read_off_thread(
            self.service, lambda reader: read_review(reader, first, session_id, order, known)
        )
        self.app.call_from_thread(self._landed, seq, first, loaded)

    def _landed(self, seq: int, first: bool, loaded: Loaded | None) -> None:
        if not self.is_attached or seq != self._load_seq:
            return  # left, or a later load is on its way
        if self._large:
            self._set_loading(False)
            self.bridge.settle_memory()
        if loaded is None:
            session_id = self.session.id if self.session is not None else None
            loaded = read_review(self.service, first, session_id, self.order)
        current = self.items[self.index].initiative.id if self.items else None
        self.session, self.order, self.items = loaded.session, loaded.order, loaded.items
        if first:
            if loaded.resumed and self.session is not None:
                decided = sum(1 for it in self.items if it.decision is not None)
                self.notify(
                    f"Resumed the review started {self.session.started_at:%Y-%m-%d %H:%M} by "
                    f"{self.session.by or 'someone'}: {decided} of {len(self.items)} decided.",
                    title="Review resumed",
                    markup=False,
                )
            self.index = self._first_pending(0)
        else:
            ids = [it.initiative.id for it in self.items]
            if current in ids:
                self.index = ids.index(current)
            self.index = min(self.index, max(len(self.items) - 1, 0))
        self.loaded = True
        self._show()
        self.refresh_bindings()
        if self.focused is None:  # a loading pane cannot hold the focus: the agenda takes it
            self.query_one("#rv-agenda", ReviewAgenda).focus()

    def _reload_item(self, initiative_id: str) -> None:
        """After a decision only that initiative changed: reload it alone (a whole-session
        reload rescored every initiative, about a second per decision at 10,000)."""
        assert self.session is not None
        fresh = self.service.review_item(self.session, initiative_id)
        items = [it for it in self.items if fresh is not None or it.initiative.id != initiative_id]
        self.items = [
            fresh if fresh is not None and it.initiative.id == initiative_id else it for it in items
        ]

    def _first_pending(self, start: int) -> int:
        n = len(self.items)
        for k in range(n):
            j = (start + k) % n
            if self.items[j].decision is None:
                return j
        return min(start, max(n - 1, 0))

    def refresh_data(self) -> None:
        if not self.is_mounted:
            return
        self._load()

    # display ---------------------------------------------------------------------------------

    def _show(self) -> None:
        finished = self.session is not None and self.session.finished_at is not None
        summary_mode = self.summary_mode or finished or not self.items
        self.query_one("#rv-panes", ContentSwitcher).current = (
            "rv-summary-scroll"
            if summary_mode
            else "rv-presenter"
            if self.presenting
            else "rv-card-scroll"
        )
        decided = sum(1 for it in self.items if it.decision is not None)
        started = (
            f"started {self.session.started_at:%Y-%m-%d %H:%M} by {self.session.by}"
            if self.session is not None
            else "not started: the first decision starts it"
        )
        self.query_one("#rv-progress", FittedStatic).fit(
            Content.assemble(
                ("Portfolio review", "bold"),
                f" · {decided} of {len(self.items)} decided · {started}",
            )
        )
        hint = SUMMARY_HINT if summary_mode else KEYS_HINT
        self.query_one("#rv-keys", FittedStatic).fit(hint)
        agenda = self.query_one("#rv-agenda", ReviewAgenda)
        agenda.shown = AgendaShown(self.items, self.index)
        if summary_mode:
            view = self.query_one("#rv-summary", ReviewSummaryView)
            if not self.items:
                view.update("There is no active initiative to review. Press escape to go back.")
                return
            view.shown = Shown(self.service.review_summary(self._session_view()), self.minutes_name)
            return
        item = self.items[self.index]
        after = self.attempt(self.service.sustain_of, item.initiative)
        self.query_one("#rv-card", ReviewCard).shown = CardShown(
            item, self.index + 1, len(self.items), None if after is REFUSED else after
        )
        self.query_one("#rv-metrics", MetricSparklines).series = tuple(item.metrics)
        if self.presenting:
            self.query_one("#rv-presenter", PresenterView).shown = CardShown(
                item, self.index + 1, len(self.items)
            )
        self.bridge.select(item.initiative.id)

    # navigation ------------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        if not self.items or self.summary_mode:
            return
        self.index = max(0, min(len(self.items) - 1, self.index + delta))
        self._show()

    def on_review_agenda_picked(self, message: ReviewAgenda.Picked) -> None:
        self.summary_mode = False
        if self.session is not None and self.session.finished_at is not None:
            return
        self.index = message.index
        self._show()

    def action_toggle_presenter(self) -> None:
        """The presenter layout and back: the card, score, tests and next gate, big."""
        self.presenting = not self.presenting
        self.set_class(self.presenting, "-presenting")
        self._show()

    def action_leave(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.loaded and action in ("decide", "step", "finish", "save_minutes"):
            return False
        finished = self.session is not None and self.session.finished_at is not None
        if action in ("decide", "step", "finish"):
            return bool(self.items) and not finished and not self.summary_mode
        if action == "save_minutes":
            return self.session is not None and (finished or self.summary_mode)
        return True

    # decisions -------------------------------------------------------------------------------

    def action_decide(self, decision: str) -> None:
        if not self.items or self.refuse_if_read_only():
            return
        item = self.items[self.index]
        i = item.initiative
        label = method.STAGE_BY_ID[i.stage].label
        if decision == "promote":
            self._promote(item)
            return
        if decision == "kill":
            if i.stage == method.KILLED:
                self.notify(f"{i.name} is already killed.", severity="warning", markup=False)
                return
            dialog = ReviewDecisionDialog(
                f"Kill {i.name}?",
                details=f"It leaves {label}. The reason goes into the history and the minutes.",
                required=True,
                placeholder="Why is it stopped? (required)",
                confirm_label="Kill",
                danger=True,
            )
            self.app.push_screen(
                dialog, lambda note: self._record(item, "kill", note, reason=note or "")
            )
            return
        verb = "Keep" if decision == "keep" else "Defer"
        dialog = ReviewDecisionDialog(f"{verb} {i.name} in {label}?")
        if i.stage == method.EXTENDABLE_STAGE:
            # the quarterly review of infrastructure looks for what to extend it into
            dialog = ReviewDecisionDialog(
                f"{verb} {i.name} in {label}?",
                details=f"Quarterly review: performance, the maintenance budget, and "
                f"{EXTEND_QUESTION[0].lower()}{EXTEND_QUESTION[1:]}",
                placeholder="Adjacent workflows to extend into, and notes for the minutes",
            )
        self.app.push_screen(dialog, lambda note: self._record(item, decision, note))

    def _promote(self, item: ReviewItem) -> None:
        i = item.initiative
        if (promotion := self.attempt(self.service.promotion, i)) is REFUSED:
            return
        if promotion.target is None:
            self.notify(
                f"{i.name} is in {method.STAGE_BY_ID[i.stage].label}: there is no stage to "
                "promote it to.",
                severity="warning",
                markup=False,
            )
            return
        label = method.STAGE_BY_ID[promotion.target].label
        focus = promotion.focus
        if promotion.allowed:
            self.app.push_screen(
                ReviewDecisionDialog(
                    f"Promote {i.name} to {label}?",
                    details="The gate is met." + (f"\n\n⚠ {focus}" if focus else ""),
                    confirm_label="Promote",
                ),
                lambda note: self._record(item, "promote", note),
            )
            return
        self._ask_force(item, label, promotion.lines, focus)

    def _ask_force(
        self, item: ReviewItem, label: str, unmet: tuple[str, ...], focus: str | None = None
    ) -> None:
        """`unmet`: the gate's unmet requirements in words (`GateCheck.lines`)."""
        lines = "\n".join(f"· {line}" for line in unmet)
        if focus:
            lines += f"\n\n⚠ {focus}"
        self.app.push_screen(
            ReviewDecisionDialog(
                f"{item.initiative.name} cannot move to {label} yet: {len(unmet)} unmet.",
                details=f"{lines}\n\nTo force it anyway, write the reason (it is recorded as "
                "forced); escape goes back.",
                required=True,
                placeholder="Why force it past the gate? (required)",
                confirm_label="Force promote",
                danger=True,
            ),
            lambda note: self._record(item, "promote", note, reason=note or "", force=True),
        )

    def _record(
        self,
        item: ReviewItem,
        decision: str,
        note: str | None,
        *,
        reason: str = "",
        force: bool = False,
    ) -> None:
        if note is None:
            return  # cancelled: nothing recorded
        # the first decision starts the session in the same transaction (one undo)
        result = self.attempt(
            self.service.record_decision,
            self.session,
            item.initiative,
            decision,
            note,
            reason=reason,
            force=force,
            order=self.order,
        )
        if result is REFUSED:
            self.refresh_data()
            return
        if result.refused:
            # the gate refused it after all (a teammate's change since the question): the
            # refusal carries what it found unmet
            target = method.next_stage(item.initiative.stage) or "pilot"
            self._ask_force(item, method.STAGE_BY_ID[target].label, result.lines)
            return
        self.session = result.session
        name = item.initiative.name
        msg = f"{name}: {decision}."
        if result.move is not None:
            msg = f"{name} is now in {method.STAGE_BY_ID[result.move.initiative.stage].label}."
            for w in result.move.warnings:
                self.notify(w, severity="warning", timeout=10, markup=False)
        self.notify(msg, title="Recorded", timeout=3, markup=False)
        self._reload_item(item.initiative.id)
        if self.session.finished_at is None:
            self.index = self._first_pending(self.index + 1)
        self._show()

    def action_finish(self) -> None:
        """Finish the session; with initiatives still undecided, ask first (one stray `f`
        must not end the meeting)."""
        if self.session is None:
            self.notify("Nothing was decided yet, so there is nothing to finish.", markup=False)
            return
        pending = sum(1 for it in self.items if it.decision is None)
        if not pending:
            self._finish()
            return
        noun = "initiative" if pending == 1 else "initiatives"

        def answered(finish: bool | None) -> None:
            if finish:
                self._finish()

        self.app.push_screen(
            ConfirmDialog(
                f"{pending} {noun} not reviewed. Finish anyway?",
                details="The minutes list them as not reviewed; r starts a new review later.",
                confirm_label="Finish anyway",
                cancel_label="Keep reviewing",
                safe_default=True,
            ),
            answered,
        )

    def _finish(self) -> None:
        assert self.session is not None
        if (finished := self.attempt(self.service.finish_review, self.session)) is REFUSED:
            return
        self.session = finished
        self._load()

    def action_save_minutes(self) -> None:
        """Save the minutes next to the file; if today's are already there, ask first."""
        if self.session is None:
            return
        session = self.session

        def written(path: Path) -> None:
            self.minutes_name = path.name
            self.notify(
                f"Saved {path.name} next to {self.service.file_name}.",
                title="Minutes",
                markup=False,
            )
            self._show()

        write_asking(
            self.bridge,
            lambda reader, path, force: reader.save_minutes(session, path, force=force),
            written,
            "The minutes",
        )

    def palette_commands(self) -> list[PaletteEntry]:
        return self.key_palette(
            ("Review: keep", "Record keep for the initiative shown", "decide('keep')"),
            ("Review: promote", "Run the gate and promote", "decide('promote')"),
            ("Review: kill", "Kill with a reason", "decide('kill')"),
            ("Review: defer", "Decide later", "decide('defer')"),
            ("Review: finish", "End the session and show the summary", "finish"),
            ("Review: save minutes", "Markdown minutes next to the file", "save_minutes"),
        )
