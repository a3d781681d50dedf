"""The four questions, each with the initiatives behind its number (one line-API list).

The screen sets `shown` (the portfolio's answers); the list is built again from it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bridge_tui import method, scoring, sustain
from bridge_tui.models import Initiative
from bridge_tui.text import number_text
from bridge_tui.tui.widgets.kept_lines import KeptLinesOptionList

#: section id -> heading shown in the list (the screen's palette jumps to these)
SECTIONS: dict[str, str] = {
    "q1": "Active and really infrastructure",
    "q2": "What blocks the others",
    "q3": "Kill candidates",
    "q4": "Promoted: owner and maintenance budget",
    "purgatory": "Pilot purgatory",
    "overdue": "Review overdue",
    "focus": "One use case at a time",
    "sustain": "Sustain: flagged after the bridge",
    "extend": "Infrastructure and what builds on it",
}


def short_requirement(key: str) -> str:
    """A requirement in a few words, for one line of the list."""
    if key in method.ITEM_BY_ID:
        return key
    if key in method.TEST_BY_ID:
        return f"test {method.TEST_BY_ID[key].label.lower()}"
    if key in method.SIGNAL_BY_ID:
        return method.SIGNAL_BY_ID[key].label.lower()
    if key == method.READINESS_REQUIREMENT:
        return f"score ≥ {method.PASSING_SCORE}"
    return key.replace("_", " ")


T = TypeVar("T")

#: a piece of a line: plain text or (text, style); names and owners are never markup
Piece = str | tuple[str, str]


@dataclass(frozen=True)
class AnswersData:
    overview: scoring.Overview
    initiatives: Mapping[str, Initiative]
    today: date
    #: the rules after the bridge (sustain and extend); None leaves their sections out
    sustain: sustain.SustainOverview | None = None


class OverviewAnswers(KeptLinesOptionList):
    """Headings are disabled options; every initiative line is selectable (enter jumps).

    Each list shows at most `MAX_PER_SECTION` initiatives (a portfolio of thousands stays
    fast and readable); the heat map and the report always have every one."""

    MAX_PER_SECTION = 40

    class Jump(Message):
        def __init__(self, initiative_id: str) -> None:
            super().__init__()
            self.initiative_id = initiative_id

    #: setting it builds the list again (a reload, even unchanged), keeping the highlighted line
    #: when it is still there
    shown: var[AnswersData | None] = var(None, always_update=True, init=False)

    def watch_shown(self, data: AnswersData | None) -> None:
        if data is None:
            return
        ov, by_id, today = data.overview, data.initiatives, data.today
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        options: list[Option] = []

        def heading(section: str, text: str) -> None:
            options.append(Option(Content.styled(text, "bold"), id=f"h:{section}", disabled=True))

        hidden: dict[str, int] = {}

        def capped(section: str, items: tuple[T, ...]) -> tuple[T, ...]:
            """The first `MAX_PER_SECTION` of a section's items; the rest are counted only
            (their lines are never worked out: at 10,000 most of a section is hidden)."""
            if len(items) > self.MAX_PER_SECTION:
                hidden[section] = len(items) - self.MAX_PER_SECTION
            return items[: self.MAX_PER_SECTION]

        def line(section: str, iid: str, detail: list[Piece]) -> None:
            i = by_id[iid]
            stage = method.STAGE_BY_ID[i.stage].label
            text: list[Piece] = ["  ", i.name, " ", (f"({stage})", "$text-muted")]
            if detail:
                text += [" ", ("·", "$text-muted"), " ", *detail]
            options.append(Option(Content.assemble(*text), id=f"{section}:{iid}"))

        heading(
            "q1", f"1 Active: {len(ov.active)} · really infrastructure: {len(ov.infrastructure)}"
        )
        for iid in capped("q1", ov.infrastructure):
            line("q1", iid, [("all four tests pass", "$success")])
        heading("q2", f"2 Not yet infrastructure: {len(ov.blocked)} · what blocks them")
        for b in capped("q2", ov.blocked):
            needs = ", ".join(short_requirement(k) for k in b.unmet)
            parts: list[Piece] = []
            if b.next_stage:
                target = method.STAGE_BY_ID[b.next_stage].label
                parts.append(f"to {target}: {needs}" if needs else f"{target} gate open")
            elif needs:
                parts.append(f"failing: {needs}")
            if b.blockers:
                tags = ", ".join(method.BLOCKER_BY_ID[t].label.lower() for t in b.blockers)
                parts.append((f"blockers: {tags}", "$warning"))
            detail: list[Piece] = []
            for n, part in enumerate(parts):
                detail += ["; ", part] if n else [part]
            line("q2", b.initiative_id, detail)
        heading("q3", f"3 Kill candidates: {len(ov.kill_candidates)}")
        for k in capped("q3", ov.kill_candidates):
            line("q3", k.initiative_id, [("; ".join(k.reasons), "$error")])
        heading(
            "q4",
            f"4 Promoted: {len(ov.promoted)} · missing owner or budget: {len(ov.promoted_missing)}",
        )
        for p in capped("q4", ov.promoted):
            owner: list[Piece]
            if p.has_owner:
                owner = [p.owner]
            elif p.owner.strip():
                owner = [p.owner, " ", (f"({p.owner_note})", "$error")]
            else:
                owner = [("no named owner", "$error")]
            budget: Piece = (
                f"budget {number_text(p.maintenance_budget)}"
                if p.has_maintenance_budget
                else ("no maintenance budget", "$error")
            )
            line("q4", p.initiative_id, [*owner, " · ", budget])
        heading(
            "purgatory",
            f"Pilot purgatory (over {method.PURGATORY_DAYS} days): {len(ov.purgatory)}",
        )
        for iid in capped("purgatory", ov.purgatory):
            days = ov.purgatory_days.get(iid, 0)
            line("purgatory", iid, [f"{days} days in Pilot and Validate"])
        heading(
            "overdue",
            f"Review overdue (over {method.REVIEW_DAYS} days): {len(ov.review_overdue)}",
        )
        for iid in capped("overdue", ov.review_overdue):
            days = scoring.days_since_review(by_id[iid], today)
            line("overdue", iid, [(f"{days} days since its last review", "$warning")])
        if data.sustain is not None:
            self._sustain_sections(data.sustain, heading, line, capped)
        if hidden:
            options = self._with_more(options, hidden)
        self.clear_options()
        self.add_options(options)
        self.scrollbar_ahead()
        ids = [o.id for o in options]
        if keep in ids:
            self.highlighted = ids.index(keep)
        else:
            self.highlighted = next((n for n, o in enumerate(options) if not o.disabled), None)

    @staticmethod
    def _sustain_sections(
        sv: sustain.SustainOverview,
        heading: Callable[[str, str], None],
        line: Callable[[str, str, list[Piece]], None],
        capped: Callable[[str, tuple[str, ...]], tuple[str, ...]],
    ) -> None:
        """Focus (only when crowded), the sustain flags, and each infrastructure with what
        builds on it."""
        if sv.crowded:
            heading(
                "focus",
                f"⚠ One use case at a time: {len(sv.productionize)} in Productionize at once",
            )
            for iid in capped("focus", sv.productionize):
                line("focus", iid, [("take one all the way through first", "$warning")])
        heading("sustain", f"Sustain: {len(sv.flagged)} flagged · optimise, measure, maintain")
        for iid in capped("sustain", sv.flagged):
            line("sustain", iid, [(", ".join(sv.by_id[iid].flags()), "$warning")])
        heading("extend", f"Infrastructure and what builds on it: {len(sv.infrastructure)}")
        for iid in capped("extend", sv.infrastructure):
            ext = sv.by_id[iid].extended_by
            if ext:
                line("extend", iid, ["built on by " + ", ".join(x.name for x in ext)])
            else:
                line(
                    "extend",
                    iid,
                    [("nothing yet: which adjacent workflows could extend it?", "$text-muted")],
                )

    @staticmethod
    def _with_more(options: list[Option], hidden: dict[str, int]) -> list[Option]:
        """After each capped section, one line saying how many more there are and where."""
        out: list[Option] = []
        for n, opt in enumerate(options):
            out.append(opt)
            section = (opt.id or "").split(":", 1)[0]
            nxt = options[n + 1].id if n + 1 < len(options) else None
            if section in hidden and not (nxt or "").startswith(f"{section}:"):
                out.append(
                    Option(
                        Content.assemble(
                            "  ",
                            (
                                f"… and {hidden[section]} more: the heat map (h) and "
                                "the report list them all",
                                "$text-muted",
                            ),
                        ),
                        id=f"more:{section}",
                        disabled=True,
                    )
                )
        return out

    def jump_to_section(self, section: str) -> None:
        """Highlight the first initiative of a section (or its heading when it is empty)."""
        for n in range(self.option_count):
            opt = self.get_option_at_index(n)
            if opt.id and opt.id.startswith(f"{section}:"):
                self.highlighted = n
                return
        for n in range(self.option_count):
            if self.get_option_at_index(n).id == f"h:{section}":
                self.scroll_to(y=n, animate=False)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        if ":" in oid and not oid.startswith("h:"):
            self.post_message(self.Jump(oid.split(":", 1)[1]))
