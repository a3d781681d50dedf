"""The detail pane beside the board: everything about the selected card, in plain words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from textual.app import ComposeResult
from textual.content import Content
from textual.reactive import var

from bridge_tui import method, scoring, sustain
from bridge_tui.sustain import Sustain
from bridge_tui.text import number_text
from bridge_tui.tui.widgets.board_card import MARKS
from bridge_tui.tui.widgets.boxes import VerticalScroll
from bridge_tui.tui.widgets.fitted import FittedStatic

if TYPE_CHECKING:  # the stays come from the service, which loads the flow's rules
    from bridge_tui import flow

_MARK_COLOUR = {True: "$success", False: "$error", None: "$text-muted"}


#: one line of the pane: plain text, or (text, style) pieces; a person's text is never markup
Part = str | tuple[str, str]


def sustain_lines(s: sustain.Sustain) -> list[list[Part]]:
    """After the bridge: the sustain flags, volume, commitment and links."""
    out: list[list[Part]] = [[(f"⚠ {sentence}", "$warning")] for sentence in s.sentences()]
    if s.active and s.stage == method.INFRASTRUCTURE and not s.optimise_missing:
        out.append([("Optimising: an evaluation process, an improvement shipped", "$success")])
    if s.commitment.until is not None and not s.commitment_flagged:
        out.append([(s.commitment.sentence(), "$text-muted")])
    volume = s.volume_text()
    if volume and not s.volume_flagged:
        out.append([(volume, "$text-muted")])
    if s.builds_on is not None:
        out.append([("Builds on", "bold"), " ", s.builds_on.label()])
    if s.extended_by:
        names = ", ".join(x.with_stage() for x in s.extended_by)
        out.append([("Extended by", "bold"), " ", names])
    elif s.extendable:
        out.append(
            [("Nothing builds on it yet: which adjacent workflows could extend it?", "$text-muted")]
        )
    return out


#: the detail pane shows this many of the latest stays
TIMELINE_SHOWN = 8


def timeline_lines(stays: Sequence[flow.Stay], today: date) -> list[list[Part]]:
    """Its own timeline: one line per stay, oldest first, forced moves and moves back marked."""
    if not stays:
        return []
    out: list[list[Part]] = [[("Timeline", "bold")]]
    if len(stays) > TIMELINE_SHOWN:
        out.append([(f"  … {len(stays) - TIMELINE_SHOWN} earlier stays", "$text-muted")])
    for st in stays[-TIMELINE_SHOWN:]:
        label = method.STAGE_BY_ID[st.stage].label
        days = f"{st.days(today)} d" + (" so far" if st.end is None else "")
        line: list[Part] = [f"  {label:<14} {st.start.isoformat()}  {days}"]
        if st.forced:
            line += [" ", ("⚑ forced", "$warning")]
        if st.back:
            line += [" ", ("↩ moved back", "$text-muted")]
        if st.revived:
            line += [" ", ("↺ revived", "$text-muted")]
        out.append(line)
    return out


def describe(
    card: scoring.Card,
    today: date,
    s: sustain.Sustain | None = None,
    stays: Sequence[flow.Stay] = (),
) -> Content:
    """The pane's text, built from pieces: names, summaries and reasons show exactly as typed."""
    i = card.initiative
    stage = method.STAGE_BY_ID[i.stage].label
    out: list[list[Part]] = [[(i.name, "bold")]]
    out.append([(f"{stage} · {card.days_in_stage} days in this stage", "$text-muted")])
    if i.summary:
        out += [[], [i.summary]]
    out.append([])
    owner: list[Part] = [i.owner] if i.owner else [("⚠ no owner", "$warning")]
    if i.owner and i.owner_is_operational:
        owner += [" ", ("(operations)", "$text-muted")]
    out.append([("Owner", "bold"), "  ", *owner])
    if card.owner_issue is not None and i.owner:
        out.append([(f"⚠ Not owned yet: {card.owner_issue.sentence()}", "$warning")])
    if i.pilot_builder:
        out.append([("Pilot built by", "bold"), " ", i.pilot_builder])
    out.append([("Team", "bold"), "   ", i.team if i.team else ("none", "$text-muted")])
    out.append(
        [
            ("Budgets", "bold"),
            f" pilot {number_text(i.pilot_budget)}"
            f" · integration {number_text(i.integration_budget)}"
            f" · maintenance {number_text(i.maintenance_budget)}",
        ]
    )
    if scoring.budget_warning_due(i):
        out.append([(f"⚠ {scoring.budget_warning_text(i)}", "$warning")])
    if i.blockers:
        names = ", ".join(method.BLOCKER_BY_ID[b].label for b in i.blockers)
        out.append([("Blockers", "bold"), " ", (names, "$warning")])
    else:
        out.append([("Blockers", "bold"), " ", ("none", "$text-muted")])
    out.append([])
    marks: list[Part] = [
        (f"{MARKS[card.tests[t.id]]} {t.label:<10}", _MARK_COLOUR[card.tests[t.id]])
        for t in method.TESTS
    ]
    out.append([("Tests", "bold"), "  ", marks[0], " ", marks[1]])
    out.append(["       ", marks[2], " ", marks[3]])
    r = card.readiness
    verdict: Part = ("passes", "$success") if r.passing else (f"below {r.threshold}", "$error")
    out.append([("Score", "bold"), f"  {r.total}/{r.max} ", verdict])
    weakest = ", ".join(
        f"{method.CATEGORY_BY_ID[c].label} {r.category(c).met}/{r.category(c).max}"
        for c in r.weakest
    )
    out.append([(f"Weakest: {weakest or 'none, every area at full marks'}", "$text-muted")])
    out.append([])
    gate = card.next_gate
    if i.stage == method.KILLED:
        reason: Part = i.kill_reason or ("no reason given", "$text-muted")
        out.append([("Killed", "bold"), " ", reason])
        out.append([("v revives it into Experiment.", "$text-muted")])
    elif gate is None:
        real: Part = (
            ("real infrastructure", "$success")
            if card.stage_three
            else ("not yet real infrastructure: all four tests must pass", "$warning")
        )
        out.append([("Last stage", "bold"), " ", real])
    else:
        target = method.STAGE_BY_ID[gate.target].label
        if gate.allowed:
            out.append(
                [("Next gate", "bold"), f" {target}: ", ("met", "$success"), ", ⇧→ moves it"]
            )
        else:
            needed = (f"{len(gate.unmet)} still needed", "$error")
            out.append([("Next gate", "bold"), f" {target}: ", needed])
            for line in gate.lines():
                out.append(["  ", ("✗", "$error"), " ", line])
    if card.forced:
        out.append(
            [
                ("⚑ Forced past a gate:", "$warning"),
                " ",
                card.forced_reason,
                " ",
                (f"(until the gates into {stage} are met)", "$text-muted"),
            ]
        )
    elif i.move_reason and i.stage != method.KILLED:
        out.append([(f"Last move: {i.move_reason}", "$text-muted")])
    more = sustain_lines(s) if s is not None else []
    if more:
        out += [[], *more]
    out.append([])
    if i.last_review_at is None:
        review = "never"
    else:
        ago = (today - i.last_review_at).days
        review = f"{i.last_review_at.isoformat()} ({ago} days ago)"
    overdue: list[Part] = [" ", ("overdue", "$error")] if card.review_overdue else []
    out.append([("Last review", "bold"), f" {review}", *overdue])
    if card.purgatory:
        out.append(
            [
                (
                    f"⚑ Pilot purgatory: {card.purgatory_days} days in Pilot and Validate "
                    f"together (more than {method.PURGATORY_DAYS})",
                    "$warning",
                )
            ]
        )
    more_stays = timeline_lines(stays, today)
    if more_stays:
        out += [[], *more_stays]
    return Content("\n").join(Content.assemble(*line) for line in out)


class DetailShown(NamedTuple):
    """What the detail pane shows: a card (None: the `empty` sentence) as of `today`, with what
    the rules after the bridge say (`after`) and its stays in each stage."""

    card: scoring.Card | None
    today: date
    empty: str = ""
    after: Sustain | None = None
    stays: Sequence[flow.Stay] = ()


class BoardDetail(VerticalScroll, can_focus=False):
    """Shows one card; the screen sets `shown` with a fresh card on every selection."""

    #: setting it redraws the pane, even for the same card (a reload)
    shown: var[DetailShown | None] = var(None, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = FittedStatic("", id="detail-text", markup=False)

    def compose(self) -> ComposeResult:
        yield self._text

    def watch_shown(self, shown: DetailShown | None) -> None:
        if shown is None:
            return
        card, today, empty, sustain, stays = shown
        if card is not None:
            content = describe(card, today, sustain, stays)
        else:
            content = Content.styled(empty, "$text-muted")
        # The selection changes on every arrow key: a new layout only when the text's box
        # changes height. The box is at least as tall as the pane (`min-height: 100%`), so a
        # card whose text fits the pane, as most do, moves nothing.
        self._text.fit(content, at_least=self.scrollable_content_region.height)
        self.scroll_home(animate=False)
