"""What the plan screen says, in words: its title, the verdict and sustain lines, the text
shown without a plan, the focus line and its palette entries. Pure: models in, plain-text
`Content` out."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from bridge_tui import method
from bridge_tui.models import Initiative
from bridge_tui.scoring import PlanStatus
from bridge_tui.service.plan import ArchivedPlan, PlanView
from bridge_tui.tui.widgets.plan_month import short_date

#: palette entries (title, help, action) of the keys the plan screen and the timeline share
NEIGHBOUR_ENTRIES = (
    ("Plan: previous initiative with a plan", "In board order", "neighbour(-1)"),
    ("Plan: next initiative with a plan", "In board order", "neighbour(1)"),
)
TIMELINE_ENTRY = ("Plan: portfolio timeline", "Every plan, most behind first", "toggle_timeline")
#: the plan screen's palette entries, each read by `BridgeScreen.key_palette`
PLAN_PALETTE = (
    ("Plan: mark task done / not done", "The highlighted task", "toggle_done"),
    ("Plan: add a task", "To the focused month", "add"),
    ("Plan: edit task", "Title, owner, month, due date, notes", "edit"),
    ("Plan: delete task", "The highlighted task; asks first", "delete"),
    ("Plan: move task up", "Within its month", "reorder(-1)"),
    ("Plan: move task down", "Within its month", "reorder(1)"),
    ("Plan: move task to another month", "Month 1, 2 or 3", "move_month"),
    ("Plan: set task owner", "Who does it; empty clears it", "owner"),
    ("Plan: move the start date", "Due dates move with it", "start"),
    *NEIGHBOUR_ENTRIES,
    (f"Plan: generate a {method.PLAN_NAME}", "From the template, starting today", "generate"),
    TIMELINE_ENTRY,
)


def plan_title(initiative: Initiative | None, view: PlanView | None) -> Content:
    """The initiative, its stage and, with a plan, its day, month and dates."""
    if initiative is None:
        return Content.styled(method.PLAN_NAME, "bold")
    stage = method.STAGE_BY_ID[initiative.stage].label
    parts: list[tuple[str, str]] = [(initiative.name, "bold"), (f"  {stage}", "$text-muted")]
    if view is not None:
        s = view.status
        parts.append(("  ·  ", "$text-muted"))
        parts.append((s.day_label(), "bold $warning"))
        if s.current_month:
            label = method.PLAN_TEMPLATE[s.current_month - 1].label
            parts.append((f"  ·  month {s.current_month}, {label}", ""))
        parts.append(
            (
                f"  ·  {short_date(view.plan.start_date)} {view.plan.start_date.year}"
                f" to {short_date(s.end)} {s.end.year}",
                "$text-muted",
            )
        )
    return Content.assemble(*parts)


def no_plan_text(initiative: Initiative | None, with_plan: Sequence[str]) -> str:
    """Why there is no plan to show and the keys that make or find one (`with_plan`: the
    names of the initiatives that have one)."""
    if initiative is None:
        return (
            f"No initiative has a {method.PLAN_NAME} yet. A plan is made when an "
            "initiative moves into Productionize; to start one by hand, pick an "
            "initiative on the board (1), come back here (3) and press g."
        )
    shown = ", ".join(with_plan[:6])
    if len(with_plan) > 6:
        shown += f" and {len(with_plan) - 6} more"
    others = f"\n\nInitiatives with a plan: {shown}." if with_plan else ""
    month_names = ", ".join(m.label for m in method.PLAN_TEMPLATE)
    dues = ", ".join(str(method.MONTH_DAYS * m.month) for m in method.PLAN_TEMPLATE[:-1])
    return (
        f"{initiative.name} has no {method.PLAN_NAME} yet.\n\n"
        "Press g to create one from the template, starting today "
        f"({month_names}, with due dates at day {dues} and {method.PLAN_DAYS}), [ / ] "
        "to see the initiatives that have one, or t for the portfolio timeline." + others
    )


def verdict_text(s: PlanStatus, archived: Sequence[ArchivedPlan]) -> Content:
    """On track or behind, the overdue count, the progress, and the plans it replaced."""
    head, _, rest = s.verdict_sentence().partition(":")
    style = "bold $error" if s.behind else "bold $success"
    extra: list[tuple[str, str]] = []
    if s.overdue:
        n = len(s.overdue)
        extra.append((f"  {n} overdue task{'s' if n != 1 else ''}", "$error"))
    return Content.assemble(
        (head.upper(), style),
        (rest, ""),
        *extra,
        (f"  Done {s.done}/{s.total} ({s.percent}%)", "$text-muted"),
        *(("\n" + old.sentence(), "$text-muted") for old in archived),
    )


def sustain_text(s: PlanStatus) -> Content:
    """After day 90: the next quarterly review and what it looks at."""
    when = s.next_review.isoformat()
    late = " (overdue)" if s.review_late else ""
    return Content.assemble(
        ("Sustain and extend", "bold"),
        (f"  The {method.PLAN_DAYS} days ended on {s.end.isoformat()}. ", ""),
        (f"Next quarterly review: {when}{late}", "bold $warning"),
        (": performance, adjacent workflows to extend into, maintenance budget.", ""),
    )


def focus_line(month: int, count: int, highlighted: int, edge: str = "") -> Content:
    """Which month and task the keys act on ("Month 2 · Integrate · task 3 of 6"), and, when
    an arrow hit a month's end (`edge`), why nothing moved and which key goes on."""
    where = (
        f"task {min(highlighted, count - 1) + 1} of {count}"
        if count
        else "no tasks yet: n adds one"
    )
    label = method.PLAN_TEMPLATE[month - 1].label
    parts: list[tuple[str, str]] = [
        ("▶ ", "bold $accent"),
        (f"Month {month} · {label} · {where}", "bold"),
    ]
    if edge:
        parts.append((f"   {edge}", "bold $warning"))
    else:
        parts.append(("   ↑↓ tasks of this month · ←→ other months", "$text-muted"))
    return Content.assemble(*parts)


def edge_hint(month: int, direction: int) -> str:
    """What an arrow past a month's end says: where the end is and the key that goes on."""
    last = len(method.PLAN_TEMPLATE)
    if direction > 0:
        if month < last:
            return f"Last task of Month {month} · → for Month {month + 1}"
        return f"Last task of Month {month}, the last month"
    if month > 1:
        return f"First task of Month {month} · ← for Month {month - 1}"
    return "First task of Month 1, the first month"
