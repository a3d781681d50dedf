"""The detail pane beside the board: everything about the selected card, in plain words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.markup import escape
from textual.widgets import Static

from bridge_tui import flow, method, scoring, sustain
from bridge_tui.tui.widgets.board_card import MARKS

_MARK_COLOUR = {True: "$success", False: "$error", None: "$text-muted"}


def _money(v: float) -> str:
    return f"{v:,.0f}"


def sustain_lines(s: sustain.Sustain) -> list[str]:
    """After the bridge (issue 11): the sustain flags, volume, commitment and links."""
    out: list[str] = [f"[$warning]⚠ {escape(sentence)}[/]" for sentence in s.sentences()]
    if s.active and s.stage == method.INFRASTRUCTURE and not s.optimise_missing:
        out.append("[$success]Optimising: an evaluation process, an improvement shipped[/]")
    if s.commitment.until is not None and not s.commitment_flagged:
        out.append(f"[$text-muted]{escape(s.commitment.sentence())}[/]")
    volume = s.volume_text()
    if volume and not s.volume_flagged:
        out.append(f"[$text-muted]{escape(volume)}[/]")
    if s.builds_on is not None:
        out.append(f"[b]Builds on[/b] {escape(s.builds_on.label())}")
    if s.extended_by:
        names = ", ".join(escape(x.with_stage()) for x in s.extended_by)
        out.append(f"[b]Extended by[/b] {names}")
    elif s.extendable:
        out.append(
            "[$text-muted]Nothing builds on it yet: which adjacent workflows could extend it?[/]"
        )
    return out


#: the detail pane shows this many of the latest stays
TIMELINE_SHOWN = 8


def timeline_lines(stays: Sequence[flow.Stay], today: date) -> list[str]:
    """Its own timeline: one line per stay, oldest first, forced moves and moves back marked."""
    if not stays:
        return []
    out = ["[b]Timeline[/b]"]
    if len(stays) > TIMELINE_SHOWN:
        out.append(f"[$text-muted]  … {len(stays) - TIMELINE_SHOWN} earlier stays[/]")
    for st in stays[-TIMELINE_SHOWN:]:
        label = method.STAGE_BY_ID[st.stage].label
        days = f"{st.days(today)} d" + (" so far" if st.end is None else "")
        marks = []
        if st.forced:
            marks.append("[$warning]⚑ forced[/]")
        if st.back:
            marks.append("[$text-muted]↩ moved back[/]")
        if st.revived:
            marks.append("[$text-muted]↺ revived[/]")
        tail = (" " + " ".join(marks)) if marks else ""
        out.append(f"  {label:<14} {st.start.isoformat()}  {days}{tail}")
    return out


def describe(
    card: scoring.Card,
    today: date,
    s: sustain.Sustain | None = None,
    stays: Sequence[flow.Stay] = (),
) -> str:
    """The pane's text as Textual markup (every user-typed string escaped)."""
    i = card.initiative
    stage = method.STAGE_BY_ID[i.stage].label
    out: list[str] = [f"[b]{escape(i.name)}[/b]"]
    out.append(f"[$text-muted]{stage} · {card.days_in_stage} days in this stage[/]")
    if i.summary:
        out += ["", escape(i.summary)]
    out.append("")
    owner = escape(i.owner) if i.owner else "[$warning]⚠ no owner[/]"
    if i.owner and i.owner_is_operational:
        owner += " [$text-muted](operations)[/]"
    out.append(f"[b]Owner[/b]  {owner}")
    if card.owner_issue is not None and i.owner:
        out.append(f"[$warning]⚠ Not owned yet: {escape(card.owner_issue.sentence())}[/]")
    if i.pilot_builder:
        out.append(f"[b]Pilot built by[/b] {escape(i.pilot_builder)}")
    out.append(f"[b]Team[/b]   {escape(i.team) if i.team else '[$text-muted]none[/]'}")
    out.append(
        f"[b]Budgets[/b] pilot {_money(i.pilot_budget)} · integration "
        f"{_money(i.integration_budget)} · maintenance {_money(i.maintenance_budget)}"
    )
    if scoring.budget_warning_due(i):
        out.append(f"[$warning]⚠ {escape(scoring.budget_warning_text(i))}[/]")
    if i.blockers:
        names = ", ".join(method.BLOCKER_BY_ID[b].label for b in i.blockers)
        out.append(f"[b]Blockers[/b] [$warning]{names}[/]")
    else:
        out.append("[b]Blockers[/b] [$text-muted]none[/]")
    out.append("")
    marks = [
        f"[{_MARK_COLOUR[card.tests[t.id]]}]{MARKS[card.tests[t.id]]} {t.label:<10}[/]"
        for t in method.TESTS
    ]
    out.append(f"[b]Tests[/b]  {marks[0]} {marks[1]}")
    out.append(f"       {marks[2]} {marks[3]}")
    r = card.readiness
    verdict = "[$success]passes[/]" if r.passing else f"[$error]below {r.threshold}[/]"
    out.append(f"[b]Score[/b]  {r.total}/{r.max} {verdict}")
    weakest = ", ".join(
        f"{method.CATEGORY_BY_ID[c].label} {r.category(c).met}/{r.category(c).max}"
        for c in r.weakest
    )
    out.append(f"[$text-muted]Weakest: {weakest or 'none, every area at full marks'}[/]")
    out.append("")
    gate = card.next_gate
    if i.stage == method.KILLED:
        out.append(f"[b]Killed[/b] {escape(i.kill_reason) or '[$text-muted]no reason given[/]'}")
        out.append("[$text-muted]v revives it into Experiment.[/]")
    elif gate is None:
        real = (
            "[$success]real infrastructure[/]"
            if card.stage_three
            else ("[$warning]not yet real infrastructure: all four tests must pass[/]")
        )
        out.append(f"[b]Last stage[/b] {real}")
    else:
        target = method.STAGE_BY_ID[gate.target].label
        if gate.allowed:
            out.append(f"[b]Next gate[/b] {target}: [$success]met[/], ⇧→ moves it")
        else:
            out.append(f"[b]Next gate[/b] {target}: [$error]{len(gate.unmet)} still needed[/]")
            for line in gate.lines():
                out.append(f"  [$error]✗[/] {escape(line)}")
    if card.forced:
        out.append(
            f"[$warning]⚑ Forced past a gate:[/] {escape(card.forced_reason)} "
            f"[$text-muted](until the gates into {stage} are met)[/]"
        )
    elif i.move_reason and i.stage != method.KILLED:
        out.append(f"[$text-muted]Last move: {escape(i.move_reason)}[/]")
    more = sustain_lines(s) if s is not None else []
    if more:
        out += ["", *more]
    out.append("")
    if i.last_review_at is None:
        review = "never"
    else:
        ago = (today - i.last_review_at).days
        review = f"{i.last_review_at.isoformat()} ({ago} days ago)"
    overdue = " [$error]overdue[/]" if card.review_overdue else ""
    out.append(f"[b]Last review[/b] {review}{overdue}")
    if card.purgatory:
        out.append(
            f"[$warning]⚑ Pilot purgatory: {card.purgatory_days} days in Pilot and Validate "
            f"together (more than {method.PURGATORY_DAYS})[/]"
        )
    more = timeline_lines(stays, today)
    if more:
        out += ["", *more]
    return "\n".join(out)


class BoardDetail(VerticalScroll, can_focus=False):
    """Shows one card; the screen calls `show` with a fresh card on every selection."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Static("", id="detail-text")
        self._height = -1

    def compose(self) -> ComposeResult:
        yield self._text

    def show(
        self,
        card: scoring.Card | None,
        today: date,
        empty: str = "",
        *,
        sustain: sustain.Sustain | None = None,
        stays: Sequence[flow.Stay] = (),
    ) -> None:
        text = (
            describe(card, today, sustain, stays)
            if card is not None
            else f"[$text-muted]{escape(empty)}[/]"
        )
        content = Content.from_markup(text)
        # A new layout only when the text's height changes: a layout pass repaints the whole
        # screen, and the selection changes on every arrow key.
        width = self._text.content_region.width
        height = len(content.wrap(width)) if width > 0 else -1
        self._text.update(content, layout=height != self._height or height < 0)
        self._height = height
        self.scroll_home(animate=False)
