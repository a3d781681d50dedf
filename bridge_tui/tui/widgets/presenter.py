"""The presenter layout of the review: the current initiative's card, score, four tests and
next gate filling the screen, big and plain, for a projector.

Readable without colour (every mark is also a word) and from the back of a room (the score in
large digits, one test per line, short lines). Dumb: the review screen pushes the item down."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import var
from textual.widgets import Digits, Static

from bridge_tui import method
from bridge_tui.models import DECISION_LABEL, ReviewItem
from bridge_tui.tui.widgets.boxes import Horizontal, VerticalScroll
from bridge_tui.tui.widgets.review_card import CardShown, Piece, themed

#: how many unmet gate requirements are listed before "and N more"
GATE_LINES = 6


def _test_line(label: str, value: bool | None) -> list[Piece]:
    if value is True:
        return [("  ✓ yes  ", "bold $success"), label]
    if value is False:
        return [("  ✗ no   ", "bold $error"), label]
    return [("  ? open ", "bold $warning"), label]


class PresenterView(VerticalScroll):
    """Name, score, tests and next gate of one initiative, in that order, one block each."""

    can_focus = False

    def compose(self) -> ComposeResult:
        yield Static("", id="pv-name", markup=False)
        with Horizontal(id="pv-score-row"):
            yield Digits("", id="pv-score")
            yield Static("", id="pv-score-text", markup=False)
        yield Static("", id="pv-tests", markup=False)
        yield Static("", id="pv-gate", markup=False)

    #: setting it redraws the blocks (each Static's `update` lays it out again)
    shown: var[CardShown | None] = var(None, always_update=True, init=False)

    def watch_shown(self, shown: CardShown | None) -> None:
        if shown is None:
            return
        item, position, total, _ = shown
        i, c = item.initiative, item.card
        r = c.readiness
        stage = method.STAGE_BY_ID[i.stage].label
        owner = i.owner.strip() or "no named owner"
        name: list[Piece] = [
            (i.name, "bold"),
            "\n",
            (f"{stage} · {c.days_in_stage} days · owner: {owner} · {position} of {total}", ""),
        ]
        if c.purgatory:
            name += ["\n", (f"pilot purgatory, {c.purgatory_days} days", "bold $error")]
        if item.decision is not None:
            name += ["\n", (f"decided: {DECISION_LABEL[item.decision.decision]}", "bold $accent")]
        self.query_one("#pv-name", Static).update(themed(self, *name))
        self.query_one("#pv-score", Digits).update(str(r.total))
        verdict = "passing" if r.passing else f"below the pass line ({r.threshold})"
        self.query_one("#pv-score-text", Static).update(
            themed(
                self,
                (f"of {r.max}", "bold"),
                "\nreadiness, ",
                (verdict, f"bold {'$success' if r.passing else '$error'}"),
            )
        )
        tests: list[Piece] = [("Four tests", "bold")]
        for test_id, value in c.tests.items():
            tests += ["\n", *_test_line(method.TEST_BY_ID[test_id].label, value)]
        self.query_one("#pv-tests", Static).update(themed(self, *tests))
        self.query_one("#pv-gate", Static).update(themed(self, *self._gate(item)))

    @staticmethod
    def _gate(item: ReviewItem) -> list[Piece]:
        gate = item.card.next_gate
        if gate is None:
            last = item.initiative.stage == method.INFRASTRUCTURE
            return [("Next gate: ", "bold"), "none, last stage" if last else "none"]
        target = method.STAGE_BY_ID[gate.target].label
        if gate.allowed:
            return [("Next gate: ", "bold"), f"into {target}: ", ("everything met", "$success")]
        lines = gate.lines()
        out: list[Piece] = [
            ("Next gate: ", "bold"),
            f"into {target}: ",
            (f"{len(lines)} unmet", "bold $error"),
        ]
        for line in lines[:GATE_LINES]:
            out += ["\n", ("  ✗ ", "$error"), line]
        if len(lines) > GATE_LINES:
            out += ["\n", f"  and {len(lines) - GATE_LINES} more"]
        return out


def plain(view: PresenterView) -> str:
    """Everything the presenter shows, as text (for tests and the minutes of a meeting)."""
    parts = [
        str(view.query_one(f"#{name}", Static).render())
        for name in ("pv-name", "pv-score-text", "pv-tests", "pv-gate")
    ]
    return "\n".join(Text(p).plain for p in parts)
