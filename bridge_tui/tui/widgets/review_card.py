"""What the room sees about one initiative during the review: the essentials for a decision."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from bridge_tui import method, sustain
from bridge_tui.service.portfolio import DECISION_LABEL, ReviewItem


def _esc(text: str) -> str:
    return text.replace("[", r"\[")


def themed(widget: Widget, markup: str) -> Text:
    """Rich markup with the theme's colour variables (`[$success]`...) filled in: Rich tables
    do not know Textual's variables."""
    colours = widget.app.theme_variables
    for var in ("accent", "success", "warning", "error", "primary"):
        markup = markup.replace(f"[${var}]", f"[{colours.get(var, 'default')}]")
    return Text.from_markup(markup)


def _mark(v: bool | None) -> str:
    return "[$success]✓[/]" if v is True else "[$error]✗[/]" if v is False else "[dim]?[/]"


#: the quarterly review's question for an Infrastructure initiative (first article)
EXTEND_QUESTION = "Which adjacent workflows could it extend into?"


def _sustain_rows(s: sustain.Sustain) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    said = "\n".join(f"[$warning]{_esc(sentence)}[/]" for sentence in s.sentences())
    if said:
        rows.append(("Sustain", said))
    if s.builds_on is not None:
        rows.append(("Builds on", _esc(s.builds_on.label())))
    if s.extendable:
        built = (
            "built on it: " + _esc(", ".join(x.with_stage() for x in s.extended_by))
            if s.extended_by
            else "nothing builds on it yet"
        )
        rows.append(("Extend", f"[$accent]{EXTEND_QUESTION}[/]\n[dim]{built}[/]"))
    return rows


class ReviewCard(Static):
    """A two-column grid (label, value) so wrapped values stay aligned under their value."""

    def show(
        self,
        item: ReviewItem,
        position: int,
        total: int,
        after: sustain.Sustain | None = None,
    ) -> None:
        """`after`: what the rules after the bridge say (issue 11): its flags, its links and,
        for an Infrastructure initiative, the quarterly question about adjacent workflows."""
        i, c = item.initiative, item.card
        r = c.readiness
        stage = method.STAGE_BY_ID[i.stage].label
        rows: list[tuple[str, str]] = []
        rows.append(
            (
                "Stage",
                f"{stage}, {c.days_in_stage} days in stage"
                + (f"  [$error]pilot purgatory, {c.purgatory_days} days[/]" if c.purgatory else "")
                + ("  [$warning]review overdue[/]" if c.review_overdue else "")
                + (f"  [$warning]forced: {_esc(c.forced_reason)}[/]" if c.forced else ""),
            )
        )
        rows.append(
            (
                "Owner",
                (_esc(i.owner) if i.owner.strip() else "[$error]no named owner[/]")
                + (
                    f"  [$warning]{_esc(c.owner_issue.sentence())}[/]"
                    if c.owner_issue is not None and i.owner.strip()
                    else ""
                )
                + (f"  [dim]team: {_esc(i.team)}[/]" if i.team else "")
                + f"  [dim]maintenance budget {i.maintenance_budget:,.0f}[/]",
            )
        )
        weakest = (
            ", ".join(method.CATEGORY_BY_ID[w].label.lower() for w in r.weakest)
            or "none, full marks"
        )
        band = "$success" if r.passing else "$error"
        cats = "  ".join(f"{cat.id.capitalize()} {cat.met}/{cat.max}" for cat in r.categories)
        rows.append(
            (
                "Score",
                f"[{band}][b]{r.total}/{r.max}[/b][/] "
                f"({'passing' if r.passing else f'pass line {r.threshold}'})  "
                f"[dim]{cats}[/]\nweakest: {weakest}",
            )
        )
        tests = "  ".join(f"{method.TEST_BY_ID[t].label} {_mark(v)}" for t, v in c.tests.items())
        rows.append(
            ("Tests", tests + ("  [$success]real infrastructure[/]" if c.stage_three else ""))
        )
        gate = c.next_gate
        if gate is None:
            rows.append(
                ("Next gate", "none: last stage" if i.stage == method.INFRASTRUCTURE else "none")
            )
        elif gate.allowed:
            target = method.STAGE_BY_ID[gate.target].label
            rows.append(("Next gate", f"into {target}: [$success]everything met[/]"))
        else:
            target = method.STAGE_BY_ID[gate.target].label
            unmet = "\n".join(f"[$warning]·[/] {_esc(line)}" for line in gate.lines())
            rows.append(("Next gate", f"into {target}: {len(gate.unmet)} unmet\n{unmet}"))
        blockers = ", ".join(method.BLOCKER_BY_ID[b].label.lower() for b in i.blockers)
        rows.append(("Blockers", blockers or "[dim]none tagged[/]"))
        rows.append(("Plan", _esc(item.plan)))
        if item.kill_reasons:
            rows.append(("Kill?", f"[$error]{_esc('; '.join(item.kill_reasons))}[/]"))
        if after is not None:
            rows += _sustain_rows(after)
        last = i.last_review_at.isoformat() if i.last_review_at is not None else "never"
        rows.append(("Last review", last))
        if item.decision is not None:
            d = item.decision
            note = f": {_esc(d.note)}" if d.note else ""
            rows.append(("Decided", f"[$accent][b]{DECISION_LABEL[d.decision]}[/b][/]{note}"))
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=11, no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        grid.add_row(
            Text(""), themed(self, f"[b]{_esc(i.name)}[/b]   [dim]{position} of {total}[/]")
        )
        for label, value in rows:
            grid.add_row(Text(label), themed(self, value))
        self.update(grid)
