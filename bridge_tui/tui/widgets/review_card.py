"""What the room sees about one initiative during the review: the essentials for a decision."""

from __future__ import annotations

from typing import NamedTuple

from rich.table import Table
from rich.text import Text
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from bridge_tui import method, sustain
from bridge_tui.models import DECISION_LABEL, ReviewItem
from bridge_tui.text import number_text

#: a piece of a value: plain text, or (text, style); a style may name a theme colour (`$success`)
Piece = str | tuple[str, str]


def themed(widget: Widget, *pieces: Piece) -> Text:
    """Rich text from pieces, never from markup (a name like `[/]` or `:smile:` shows as typed).
    The theme's colour variables (`$success`...) become colours: Rich tables do not know them."""
    colours = widget.app.theme_variables

    def style(spec: str) -> str:
        return " ".join(
            colours.get(word[1:], "default") if word.startswith("$") else word
            for word in spec.split()
        )

    return Text.assemble(*(p if isinstance(p, str) else (p[0], style(p[1])) for p in pieces))


def _mark(v: bool | None) -> Piece:
    return ("✓", "$success") if v is True else ("✗", "$error") if v is False else ("?", "dim")


#: the quarterly review's question for an Infrastructure initiative (first article)
EXTEND_QUESTION = "Which adjacent workflows could it extend into?"


def _sustain_rows(s: sustain.Sustain) -> list[tuple[str, list[Piece]]]:
    rows: list[tuple[str, list[Piece]]] = []
    said: list[Piece] = []
    for n, sentence in enumerate(s.sentences()):
        said += ["\n" if n else "", (sentence, "$warning")]
    if said:
        rows.append(("Sustain", said))
    if s.builds_on is not None:
        rows.append(("Builds on", [s.builds_on.label()]))
    if s.extendable:
        built = (
            "built on it: " + ", ".join(x.with_stage() for x in s.extended_by)
            if s.extended_by
            else "nothing builds on it yet"
        )
        rows.append(("Extend", [(EXTEND_QUESTION, "$accent"), "\n", (built, "dim")]))
    return rows


class CardShown(NamedTuple):
    """What the card shows: the item, where it is in the agenda, and what the rules after the
    bridge say: its flags, its links and, for an Infrastructure initiative, the
    quarterly question about adjacent workflows."""

    item: ReviewItem
    position: int
    total: int
    after: sustain.Sustain | None = None


class ReviewCard(Static):
    """A two-column grid (label, value) so wrapped values stay aligned under their value."""

    #: setting it redraws the card (its watcher's `update` lays it out again)
    shown: var[CardShown | None] = var(None, always_update=True, init=False)

    def watch_shown(self, shown: CardShown | None) -> None:
        if shown is None:
            return
        item, position, total, after = shown
        i, c = item.initiative, item.card
        r = c.readiness
        stage = method.STAGE_BY_ID[i.stage].label
        rows: list[tuple[str, list[Piece]]] = []
        flags: list[Piece] = []
        if c.purgatory:
            flags += ["  ", (f"pilot purgatory, {c.purgatory_days} days", "$error")]
        if c.review_overdue:
            flags += ["  ", ("review overdue", "$warning")]
        if c.forced:
            flags += ["  ", (f"forced: {c.forced_reason}", "$warning")]
        rows.append(("Stage", [f"{stage}, {c.days_in_stage} days in stage", *flags]))
        owner: list[Piece] = [i.owner] if i.owner.strip() else [("no named owner", "$error")]
        if c.owner_issue is not None and i.owner.strip():
            owner += ["  ", (c.owner_issue.sentence(), "$warning")]
        if i.team:
            owner += ["  ", (f"team: {i.team}", "dim")]
        owner += ["  ", (f"maintenance budget {number_text(i.maintenance_budget)}", "dim")]
        rows.append(("Owner", owner))
        weakest = (
            ", ".join(method.CATEGORY_BY_ID[w].label.lower() for w in r.weakest)
            or "none, full marks"
        )
        band = "$success" if r.passing else "$error"
        cats = "  ".join(f"{cat.id.capitalize()} {cat.met}/{cat.max}" for cat in r.categories)
        rows.append(
            (
                "Score",
                [
                    (f"{r.total}/{r.max}", f"bold {band}"),
                    f" ({'passing' if r.passing else f'pass line {r.threshold}'})  ",
                    (cats, "dim"),
                    f"\nweakest: {weakest}",
                ],
            )
        )
        tests: list[Piece] = []
        for n, (t, v) in enumerate(c.tests.items()):
            tests += ["  " if n else "", f"{method.TEST_BY_ID[t].label} ", _mark(v)]
        if c.stage_three:
            tests += ["  ", ("real infrastructure", "$success")]
        rows.append(("Tests", tests))
        gate = c.next_gate
        if gate is None:
            last = "none: last stage" if i.stage == method.INFRASTRUCTURE else "none"
            rows.append(("Next gate", [last]))
        elif gate.allowed:
            target = method.STAGE_BY_ID[gate.target].label
            rows.append(("Next gate", [f"into {target}: ", ("everything met", "$success")]))
        else:
            target = method.STAGE_BY_ID[gate.target].label
            unmet: list[Piece] = [f"into {target}: {len(gate.unmet)} unmet"]
            for line in gate.lines():
                unmet += ["\n", ("·", "$warning"), f" {line}"]
            rows.append(("Next gate", unmet))
        blockers = ", ".join(method.BLOCKER_BY_ID[b].label.lower() for b in i.blockers)
        rows.append(("Blockers", [blockers or ("none tagged", "dim")]))
        rows.append(("Plan", [item.plan]))
        if item.kill_reasons:
            rows.append(("Kill?", [("; ".join(item.kill_reasons), "$error")]))
        if after is not None:
            rows += _sustain_rows(after)
        last_review = i.last_review_at.isoformat() if i.last_review_at is not None else "never"
        rows.append(("Last review", [last_review]))
        if item.decision is not None:
            d = item.decision
            decided: list[Piece] = [(DECISION_LABEL[d.decision], "bold $accent")]
            if d.note:
                decided.append(f": {d.note}")
            rows.append(("Decided", decided))
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=11, no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        grid.add_row(
            Text(""), themed(self, (i.name, "bold"), "   ", (f"{position} of {total}", "dim"))
        )
        for label, value in rows:
            grid.add_row(Text(label), themed(self, *value))
        self.update(grid)
