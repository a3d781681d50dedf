"""The checklist scoring screen: score one initiative honestly, item by item.

The screen orchestrates: it asks the service for a `ChecklistView` (answers, the scoring card,
the score history, metrics), pushes it into dumb widgets, and turns keys into service calls.
Every number it shows comes from `scoring`; every change is saved at once.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Header, Input, Label, Static

from bridge_tui import method
from bridge_tui.errors import BadInput, BridgeError
from bridge_tui.service.checklist import CYCLE, ChecklistView
from bridge_tui.tui.dialogs.note import NoteDialog
from bridge_tui.tui.screens.base import REFUSED, BridgeScreen, PaletteEntry
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, VerticalScroll
from bridge_tui.tui.widgets.checklist_list import ChecklistList, ChecklistShown
from bridge_tui.tui.widgets.checklist_panels import (
    GatePanel,
    GateShown,
    ScalePanel,
    ScaleShown,
    ScorePanel,
)
from bridge_tui.tui.widgets.find_bar import FindBar
from bridge_tui.tui.widgets.fitted import FittedStatic
from bridge_tui.tui.widgets.footer import BridgeFooter
from bridge_tui.tui.widgets.metrics import (
    HistoryShown,
    MetricsPanel,
    MetricsShown,
    ScoreHistoryPanel,
)

_VALUE_WORDS = {"yes": "met", "no": "not met", "unknown": "unanswered"}


#: footer groups: `ynu Answer`, `[] Initiative`
ANSWER = Binding.Group("Answer", compact=True)
INITIATIVE = Binding.Group("Initiative", compact=True)


class ChecklistScreen(BridgeScreen):
    CSS_PATH = sheets("checklist.tcss")
    #: under 110 columns the side panels go under the list (`-narrow` in checklist.tcss)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding(
            "space",
            "cycle",
            "Cycle",
            show=False,
            tooltip="Met, then not met, then unanswered",
            id="checklist.cycle",
        ),
        Binding(
            "y", "set('yes')", "Met", group=ANSWER, tooltip="Mark met (yes)", id="checklist.met"
        ),
        Binding(
            "n",
            "set('no')",
            "Not met",
            group=ANSWER,
            tooltip="Mark not met (no)",
            id="checklist.not_met",
        ),
        Binding(
            "u",
            "set('unknown')",
            "Unanswered",
            group=ANSWER,
            tooltip="Clear the answer: not known yet, kept apart from not met",
            id="checklist.unanswered",
        ),
        Binding(
            "e",
            "edit_note",
            "Note",
            tooltip="Write the evidence behind the answer",
            id="checklist.note",
        ),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Prev",
            key_display="[",
            group=INITIATIVE,
            tooltip="Previous initiative in board order",
            id="checklist.previous",
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Next",
            key_display="]",
            group=INITIATIVE,
            tooltip="Next initiative in board order",
            id="checklist.next",
        ),
        Binding(
            "left_curly_bracket",
            "step_group(-1)",
            "Prev section",
            key_display="{",
            show=False,
            tooltip="The first item of this category (again: the one before)",
            id="checklist.previous_section",
        ),
        Binding(
            "right_curly_bracket",
            "step_group(1)",
            "Next section",
            key_display="}",
            show=False,
            tooltip="The first item of the next category, tests, signals or exit conditions",
            id="checklist.next_section",
        ),
        Binding(
            "slash",
            "search",
            "Find",
            key_display="/",
            tooltip="Find an item by its words, id or note; enter: next match; escape closes",
            id="checklist.find",
        ),
        Binding("escape", "board", "Board", show=False, id="checklist.board"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: ChecklistView | None = None
        #: the next draw starts the cursor afresh (first unanswered row): another initiative
        #: was opened, or the screen was shown again
        self._fresh = True
        #: `shown_key` when the view was last drawn (None: not yet)
        self._shown_key: tuple[object, ...] | None = None
        #: `shown_key` when the screen was drawn ahead of its first opening (`prepare_ahead`)
        self._ahead_key: tuple[object, ...] | None = None
        #: where a search started, so each new letter searches from there
        self._search_origin: str | None = None
        #: the find bar, mounted on the first `/` (the opening does without its widgets)
        self.find_bar: FindBar | None = None

    # layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield FittedStatic("", id="title", markup=False)
        with Horizontal(id="body"):
            yield ChecklistList(id="items")
            with VerticalScroll(id="side"):
                yield ScorePanel(id="score")
                yield GatePanel(id="gate")
                yield ScalePanel(id="scale")
                yield ScoreHistoryPanel(id="history")
                yield MetricsPanel(id="metrics")
        yield Static("", id="empty", markup=False)
        yield BridgeFooter()

    def on_resize(self) -> None:
        """Textual sets the breakpoint class after this handler: look once it is set."""
        self.call_next(self._fit_width)

    def _fit_width(self) -> None:
        """Items wrap beside the panels; under them (`-narrow`) each takes one line."""
        self.query_one("#items", ChecklistList).wrap = not self.has_class("-narrow")
        self._side_title()

    def _side_title(self) -> None:
        side = self.query_one("#side", VerticalScroll)
        if not self.has_class("-narrow"):
            side.border_title = ""
        elif self.has_class("-panels"):
            side.border_title = "↑↓ scroll · shift+tab back to the list"
        else:
            side.border_title = "tab: gate, tests, history, metrics"

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """On a small terminal the panels grow while they have the focus (tab, shift+tab)."""
        panels = event.widget.id == "side"
        if panels != self.has_class("-panels"):
            self.set_class(panels, "-panels")
            self._side_title()

    def on_screen_suspend(self) -> None:
        """Left for another screen (not a dialog or the palette over this one): coming back
        is opening the checklist afresh."""
        if not isinstance(self.app.screen, ModalScreen):
            self._fresh = True

    def on_screen_resume(self) -> None:
        """Show the app's selected initiative (the board's), or the first in board order;
        opened afresh, the cursor starts on its first unanswered item."""
        if self._ahead_key is not None and self._ahead_key == self.shown_key():
            self._fresh = False  # drawn ahead for this same initiative and file
        elif self._fresh or self._shown_key != self.shown_key():
            self._show(self.bridge.selected_id)
        self._ahead_key = None
        if not self.has_class("-finding"):
            self.query_one("#items", ChecklistList).focus()

    def prepare_ahead(self) -> None:
        """Built ahead (`screens_ahead`): show the selected initiative as the first opening
        would, from its first unanswered item; that opening then finds it shown."""
        if self._fresh:
            self._show(self.bridge.selected_id)
            # still a fresh opening if another initiative is selected before it shows
            self._fresh = True
            self._ahead_key = self._shown_key

    def refresh_data(self) -> None:
        """Another process (or undo) wrote: reload, keeping the cursor and any open dialog."""
        if not self.is_mounted:
            return
        self._show(self.view.initiative.id if self.view is not None else self.bridge.selected_id)

    # loading and drawing ---------------------------------------------------------------------

    def _show(self, wanted: str | None) -> None:
        """Load `wanted`; when it is gone (or None), the first initiative in board order."""
        view: ChecklistView | None = None
        try:
            if wanted is not None:
                try:
                    view = self.service.checklist_view(wanted, order=self._order())
                except BadInput:
                    if self.view is not None and self.view.initiative.id == wanted:
                        name = self.view.initiative.name
                        self.notify(
                            f"{name} was removed by someone else.", severity="warning", markup=False
                        )
            if view is None:
                view = self.service.step_view(None, 0, order=self._order())
        except BridgeError as exc:
            self.report(exc)
            return
        self._set_view(view)

    def _order(self) -> list[str] | None:
        """Board order from the board screen's whole read while the file is as it was then
        (None: the service reads it)."""
        return self.bridge.board_order(self.data_key())

    def _reload(self) -> None:
        """After our own change: same initiative, same place in board order."""
        view = self.view
        if view is None:
            return
        try:
            fresh = self.service.checklist_view(
                view.initiative.id, position=(view.position, view.count)
            )
        except BadInput:
            self._show(None)
            return
        except BridgeError as exc:
            self.report(exc)
            return
        self._set_view(fresh)

    def _set_view(self, view: ChecklistView | None) -> None:
        self.view = view
        if view is not None and self.bridge.selected_id != view.initiative.id:
            self.bridge.select(view.initiative.id)
        self._draw()
        self._shown_key = self.shown_key()

    def _draw(self) -> None:
        empty = self.query_one("#empty", Static)
        body = self.query_one("#body")
        title = self.query_one("#title", FittedStatic)
        view = self.view
        body.display = view is not None
        title.display = view is not None
        empty.display = view is None
        if view is None:
            empty.update(
                "There are no initiatives in this file yet.\n\n"
                "Press 1 for the board and add the first one there, "
                "or from a shell: bridge add NAME."
            )
            return
        card = view.card
        i = view.initiative
        values = {k: a.value for k, a in view.answers.items()}
        if (after := self.attempt(self.service.sustain_of, i, values)) is REFUSED:
            return
        start = ChecklistList.first_unanswered(i.stage, view.answers) if self._fresh else None
        self._fresh = False
        self.query_one("#items", ChecklistList).shown = ChecklistShown(
            i.stage,
            view.answers,
            card.readiness,
            method.STAGE_BY_ID[i.stage].label,
            after.notes(values),
            start=start,
        )
        title.fit(self._title(view, after.flags()))
        self.query_one("#score", ScorePanel).readiness = card.readiness
        self.query_one("#gate", GatePanel).shown = GateShown(
            i, card.next_gate, card.stage_three, card.forced_reason, after.optimise_missing
        )
        owner_yes = view.value("owned") == "yes" or view.value("operational_owner") == "yes"
        self.query_one("#scale", ScalePanel).shown = ScaleShown(
            card.tests,
            card.stage_three,
            card.scale,
            view.evidence,
            view.value("stable_performance"),
            card.owner_issue.sentence() if card.owner_issue and owner_yes else "",
        )
        self.query_one("#history", ScoreHistoryPanel).shown = HistoryShown(
            view.history.points, card.readiness.max, card.readiness.threshold
        )
        self.query_one("#metrics", MetricsPanel).shown = MetricsShown(
            view.metrics, view.evidence, after
        )

    def _title(self, view: ChecklistView, flags: tuple[str, ...] = ()) -> Content:
        i = view.initiative
        card = view.card
        parts: list[Content | str | tuple[str, str]] = []
        if self.service.read_only:
            parts += [("READ-ONLY", "$error bold reverse"), "  "]
        parts += [
            (i.name, "bold"),
            "  ",
            (method.STAGE_BY_ID[i.stage].label, "$accent bold"),
            (f", {card.days_in_stage} days", "$text-muted"),
            "  ·  ",
            (f"{view.position + 1} of {view.count}", ""),
            "  ·  ",
            (f"owner {i.owner}" if i.owner else "no owner", "" if i.owner else "$warning"),
        ]
        if card.purgatory:
            parts += ["  ·  ", ("pilot purgatory", "$warning")]
        if card.review_overdue:
            parts += ["  ·  ", ("review overdue", "$warning")]
        if card.forced:
            parts += ["  ·  ", ("forced in", "$warning")]
        if flags:
            # the first flag in words; the panels below say every one in full
            more = f" +{len(flags) - 1} more" if len(flags) > 1 else ""
            parts += ["  ·  ", (flags[0] + more, "$warning")]
        parts.append(("   [ ] previous / next initiative", "$text-muted"))
        return Content.assemble(*parts)

    # actions ---------------------------------------------------------------------------------

    def _highlighted(self) -> str | None:
        if self.view is None:
            return None
        return self.query_one("#items", ChecklistList).highlighted_key

    def _save(self, key: str, value: str) -> bool:
        """Save one answer; False when it was refused (read-only, stale, bad input)."""
        view = self.view
        if view is None or self.refuse_if_read_only():
            return False
        saved = self.attempt(
            self.service.set_answer, view.initiative, key, value, after=self._reload
        )
        return saved is not REFUSED

    def action_set(self, value: str) -> None:
        """Answer the highlighted item and go on to the next: one key per item."""
        key = self._highlighted()
        if key is not None and self._save(key, value):
            items = self.query_one("#items", ChecklistList)
            if items.highlighted_key == key:
                items.step(1)

    def action_cycle(self) -> None:
        key = self._highlighted()
        if key is not None and self.view is not None:
            self._save(key, CYCLE[self.view.value(key)])

    def action_edit_note(self) -> None:
        key = self._highlighted()
        view = self.view
        if key is None or view is None or self.refuse_if_read_only():
            return
        answer = view.answers.get(key)
        note = answer.note if answer is not None else ""
        context = f"{view.initiative.name} · now {_VALUE_WORDS[view.value(key)]}"
        if answer is not None and answer.by:
            context += f" · last answered by {answer.by}"
        initiative_id = view.initiative.id

        def saved(result: str | None) -> None:
            if result is None:
                return
            changed = self.attempt(
                lambda: self.service.set_note(self.service.initiative(initiative_id), key, result)
            )
            if changed is REFUSED:
                return
            if changed is not None:
                self.notify(
                    f"Evidence note for {key} saved." if result else "Note cleared.", markup=False
                )
            self._reload()

        self.app.push_screen(
            NoteDialog(key, method.describe_key(key), note, context=context), saved
        )

    def action_step(self, step: int) -> None:
        current = self.view.initiative.id if self.view is not None else None
        view = self.attempt(self.service.step_view, current, step, order=self._order())
        if view is REFUSED:
            return
        if view is None:
            self.notify("There are no initiatives yet.", severity="warning", markup=False)
        self._fresh = True
        self._set_view(view)

    def action_step_group(self, step: int) -> None:
        if self.view is None:
            return
        items = self.query_one("#items", ChecklistList)
        if items.step_group(step) is None:
            where = "last" if step > 0 else "first"
            self.notify(f"This is the {where} section of the checklist.", timeout=3, markup=False)
        if not self.has_class("-finding"):
            items.focus()

    # search ----------------------------------------------------------------------------------

    async def action_search(self) -> None:
        if self.view is None:
            return
        bar = self.find_bar = await FindBar.on(
            self, self.find_bar, "find", "Find:", "words of an item, its id or a note"
        )
        self._search_origin = self._highlighted()
        self.add_class("-finding")
        field = bar.input
        field.focus()
        if field.value:
            self._find(field.value, self._search_origin)

    def _find(self, needle: str, origin: str | None, *, after: bool = False) -> None:
        """Highlight the first row matching `needle` from `origin` on (wrapping), or the one
        after it (`after`); say how many rows match."""
        items = self.query_one("#items", ChecklistList)
        count = self.query_one("#find-count", Label)
        found = items.matches(needle)
        if not needle.strip():
            count.update("")
            return
        if not found:
            count.update("no match · escape closes")
            return
        keys = items.keys()
        start = keys.index(origin) if origin in keys else 0
        order = sorted(
            found, key=lambda k: (keys.index(k) - start - (1 if after else 0)) % len(keys)
        )
        target = order[0]
        items.go_to(target)
        count.update(
            Content(f"{found.index(target) + 1} of {len(found)} · enter: next · escape closes")
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "find":
            event.stop()
            self._find(event.value, self._search_origin)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "find":
            event.stop()
            self._find(event.value, self._highlighted(), after=True)

    def _close_search(self) -> None:
        self.remove_class("-finding")
        self.query_one("#items", ChecklistList).focus()

    def action_board(self) -> None:
        """Escape: closes the search first (the cursor stays on the match), else the board."""
        if self.has_class("-finding"):
            self._close_search()
            return
        self.app.switch_mode("board")

    def palette_commands(self) -> list[PaletteEntry]:
        return [
            *self.key_palette(
                ("Checklist: mark met", "Set the highlighted answer to met", "set('yes')"),
                ("Checklist: mark not met", "Set the highlighted answer to not met", "set('no')"),
                ("Checklist: mark unanswered", "Clear the highlighted answer", "set('unknown')"),
                ("Checklist: cycle answer", "Met, not met, unanswered", "cycle"),
                (
                    "Checklist: edit evidence note",
                    "Write what shows the answer is true",
                    "edit_note",
                ),
                ("Checklist: previous initiative", "The one before in board order", "step(-1)"),
                ("Checklist: next initiative", "The one after in board order", "step(1)"),
                ("Checklist: next section", "The first item of the next category", "step_group(1)"),
                (
                    "Checklist: previous section",
                    "The first item of this or the category before",
                    "step_group(-1)",
                ),
                ("Checklist: find an item", "By its words, id or evidence note", "search"),
            ),
            (
                "Checklist: back to the board",
                "Leave the checklist (escape or 1)",
                self.action_board,
            ),
        ]
