"""Commands for the 90-day plan and its tasks: `bridge plan`, `bridge timeline`, `bridge task`.

TASK is a task id, a unique id prefix (4+ characters) or an exact title (any case). Bad input
exits 2 with one sentence; a teammate's newer change exits 1.
"""

from __future__ import annotations

from typing import Any

import click

from bridge_tui import method
from bridge_tui.cli.common import Ctx, echo, echo_json, parse_date, pass_ctx
from bridge_tui.cli.options import json_option, options
from bridge_tui.errors import BadInput
from bridge_tui.models import Initiative, PlanTask
from bridge_tui.service import Service
from bridge_tui.service.plan import ArchivedPlan, PlanView, TimelineRow
from bridge_tui.text import one_line


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    cli.add_command(plan)
    cli.add_command(timeline)
    cli.add_command(task)


def parse_month(raw: str) -> int:
    text = (raw or "").strip()
    if text not in ("1", "2", "3"):
        raise BadInput(f"month must be 1, 2 or 3, not '{raw}'.")
    return int(text)


def task_json(view: PlanView, t: PlanTask) -> dict[str, Any]:
    return {
        **t.model_dump(mode="json", exclude={"deleted"}),
        "due": view.due(t).isoformat(),
        "overdue": view.overdue(t),
    }


def archived_json(old: ArchivedPlan) -> dict[str, Any]:
    """An earlier plan, replaced when the initiative entered Productionize again."""
    assert old.plan.archived_on is not None
    return {
        "id": old.plan.id,
        "archived": True,
        "start_date": old.plan.start_date.isoformat(),
        "archived_on": old.plan.archived_on.isoformat(),
        "day": old.day,
        "progress": {"done": old.done, "total": old.total},
        "text": old.sentence(),
        "tasks": [t.model_dump(mode="json", exclude={"deleted"}) for t in old.tasks],
    }


def plan_json(view: PlanView, archived: list[ArchivedPlan] | None = None) -> dict[str, Any]:
    s = view.status
    i = view.initiative
    return {
        "initiative": {"id": i.id, "name": i.name, "stage": i.stage},
        "start_date": view.plan.start_date.isoformat(),
        "end_date": s.end.isoformat(),
        "today": s.today.isoformat(),
        "day": s.day,
        "phase": s.phase,
        "current_month": s.current_month,
        "progress": {"done": s.done, "total": s.total, "percent": s.percent},
        "verdict": s.verdict,
        "verdict_text": s.verdict_sentence(),
        "overdue": list(s.overdue),
        "late": list(s.late),
        "next_review": s.next_review.isoformat() if s.phase == "sustain" else None,
        "months": [
            {
                "month": m.month,
                "label": m.label,
                "first": m.first.isoformat(),
                "last": m.last.isoformat(),
                "done": m.done,
                "total": m.total,
                "percent": m.percent,
                "state": m.state,
                "tasks": [task_json(view, t) for t in view.month_tasks(m.month)],
            }
            for m in s.months
        ],
        "archived": [archived_json(a) for a in archived or []],
    }


def _print_plan(view: PlanView, archived: list[ArchivedPlan] | None = None) -> None:
    s = view.status
    i = view.initiative
    echo(
        f"{i.name}: {method.PLAN_DAYS}-day plan from {view.plan.start_date.isoformat()} to "
        f"{s.end.isoformat()}, {s.day_label()}"
    )
    echo(f"  {s.verdict_sentence()}  Progress {s.done}/{s.total} ({s.percent}%).")
    if s.phase == "sustain":
        late = " (overdue)" if s.review_late else ""
        echo(f"  Next quarterly review: {s.next_review.isoformat()}{late}.")
    for m in s.months:
        flag = {"done": "done", "behind": "BEHIND", "current": "now", "upcoming": ""}[m.state]
        echo(
            f"Month {m.month} {m.label}  {m.first.isoformat()} to {m.last.isoformat()}  "
            f"{m.done}/{m.total} ({m.percent}%)" + (f"  {flag}" if flag else "")
        )
        tasks = view.month_tasks(m.month)
        if not tasks:
            echo("  (no tasks)")
        for t in tasks:
            mark = "[x]" if t.done else "[ ]"
            bits = [t.owner or "no owner", f"due {view.due(t).isoformat()}"]
            if view.overdue(t):
                bits.append("OVERDUE")
            if t.done and t.done_by:
                bits.append(f"done by {t.done_by}")
            echo(f"  {mark} {t.id[:8]}  {t.title}  ({', '.join(bits)})")
    if archived:
        echo("Earlier plans (archived when it entered Productionize again):")
        for old in archived:
            echo(f"  {old.sentence()}")


@click.command()
@click.argument("ref")
@json_option()
@click.option("--create", is_flag=True, help="Create the plan from the template if it has none.")
@click.option(
    "--start",
    default=None,
    help="Move day 1 to this date (YYYY-MM-DD); every due date moves with it.",
)
@pass_ctx
def plan(ctx: Ctx, ref: str, as_json: bool, create: bool, start: str | None) -> None:
    """Show the 90-day plan of an initiative: day, months, tasks, overdue, verdict."""
    svc = ctx.service()
    i = svc.resolve(ref)
    new_start = parse_date(start, "start date") if start is not None else None
    view = svc.plan_view(i)
    if view is None:
        if not create:
            raise BadInput(
                f"{i.name} has no {method.PLAN_NAME}; moving it into Productionize creates one, "
                "or run 'bridge plan REF --create'."
            )
        view = svc.generate_plan(i, start=new_start)
        if not as_json:
            day = "today" if new_start is None else new_start.isoformat()
            echo(f"Created the {method.PLAN_NAME} of {i.name}, starting {day}.")
    if new_start is not None and new_start != view.plan.start_date:
        view = svc.set_plan_start(i, new_start)
        if not as_json:
            echo(f"Day 1 of the plan of {i.name} is now {new_start.isoformat()}.")
    archived = svc.archived_plans(i)
    if as_json:
        echo_json(plan_json(view, archived))
        return
    _print_plan(view, archived)


def _row_json(r: TimelineRow) -> dict[str, Any]:
    s = r.status
    return {
        "id": r.initiative.id,
        "name": r.initiative.name,
        "stage": r.initiative.stage,
        "start_date": r.start.isoformat(),
        "day": s.day,
        "phase": s.phase,
        "progress": {"done": s.done, "total": s.total, "percent": s.percent},
        "verdict": s.verdict,
        "late": len(s.late),
        "overdue": len(s.overdue),
    }


@click.command()
@json_option()
@pass_ctx
def timeline(ctx: Ctx, as_json: bool) -> None:
    """Every initiative with a 90-day plan, most behind first."""
    rows = ctx.service().timeline()
    if as_json:
        echo_json([_row_json(r) for r in rows])
        return
    if not rows:
        echo(f"No initiative has a {method.PLAN_NAME} yet.")
        return
    for r in rows:
        s = r.status
        verdict = "behind" if s.behind else "on track"
        extra = f", {len(s.late)} late" if s.late else ""
        extra += f", {len(s.overdue)} overdue" if s.overdue else ""
        echo(
            f"{r.initiative.short_id}  {r.initiative.name:<28} {s.day_label():<42} "
            f"{s.done:>2}/{s.total:<2} {s.percent:>3}%  {verdict}{extra}"
        )


@click.group()
def task() -> None:
    """Add, finish, edit or delete tasks of a 90-day plan."""


@task.command("add")
@click.argument("ref")
@click.argument("month")
@click.argument("title")
@click.option("--owner", default="", help="Who does it.")
@click.option("--due", default=None, help="Due date YYYY-MM-DD (default: the month's last day).")
@click.option("--notes", default="", help="Notes.")
@pass_ctx
def task_add(
    ctx: Ctx, ref: str, month: str, title: str, owner: str, due: str | None, notes: str
) -> None:
    """Add a task to MONTH (1, 2 or 3) of a plan; prints its id."""
    svc = ctx.service()
    i = svc.resolve(ref)
    m = parse_month(month)
    when = parse_date(due, "due date") if due is not None else None
    created = svc.add_task(i, m, title, owner=owner, due=when, notes=notes)
    echo(created.id)


#: REF and TASK: the initiative and one task of its plan, named by every command on one task
task_arguments = options(click.argument("ref"), click.argument("task_ref", metavar="TASK"))


def _resolve_task(ctx: Ctx, ref: str, task_ref: str) -> tuple[Service, Initiative, PlanTask]:
    """The service, the initiative REF and its task TASK (bad refs exit 2 with one sentence)."""
    svc = ctx.service()
    i = svc.resolve(ref)
    return svc, i, svc.resolve_task(i, task_ref)


def _set_done(ctx: Ctx, ref: str, task_ref: str, done: bool) -> None:
    svc, _, t = _resolve_task(ctx, ref, task_ref)
    if t.done == done:
        state = "done" if done else "not done"
        echo(f"'{t.title}' is already {state}.")
        return
    saved = svc.set_task_done(t, done)
    echo(f"{'Done' if done else 'Not done'}: {saved.title}.")


@task.command("done")
@task_arguments
@click.option("--undo", is_flag=True, help="Mark it not done again.")
@pass_ctx
def task_done(ctx: Ctx, ref: str, task_ref: str, undo: bool) -> None:
    """Mark a task done (records who and when); --undo opens it again."""
    _set_done(ctx, ref, task_ref, not undo)


@task.command("undone")
@task_arguments
@pass_ctx
def task_undone(ctx: Ctx, ref: str, task_ref: str) -> None:
    """Mark a task not done again."""
    _set_done(ctx, ref, task_ref, False)


@task.command("edit")
@task_arguments
@click.option("--title")
@click.option("--owner")
@click.option("--due", help="Due date YYYY-MM-DD ('' clears it: the month's last day).")
@click.option("--month", help="Move it to month 1, 2 or 3.")
@click.option("--notes")
@pass_ctx
def task_edit(ctx: Ctx, ref: str, task_ref: str, **opts: str | None) -> None:
    """Edit a task's title, owner, due date, month or notes."""
    svc, _, t = _resolve_task(ctx, ref, task_ref)
    fields: dict[str, Any] = {}
    for key in ("title", "owner", "notes"):
        if opts[key] is not None:
            fields[key] = opts[key]
    due = opts["due"]
    if due is not None:
        fields["due"] = parse_date(due, "due date") if due.strip() else None
    month = opts["month"]
    if month is not None:
        m = parse_month(month)
        if m != t.month:
            fields["month"] = m
    if not fields:
        raise BadInput("nothing to change: give at least one option (see --help).")
    saved = svc.edit_task(t, **fields)
    label = method.PLAN_TEMPLATE[saved.month - 1].label
    echo(f"Saved: {saved.title} (month {saved.month}, {label}).")


@task.command("delete")
@task_arguments
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def task_delete(ctx: Ctx, ref: str, task_ref: str, yes: bool) -> None:
    """Delete a task (kept as a tombstone in the history)."""
    svc, i, t = _resolve_task(ctx, ref, task_ref)
    if not yes:
        click.confirm(one_line(f"Delete '{t.title}' from the plan of {i.name}?"), abort=True)
    svc.delete_task(t)
    echo(f"Deleted: {t.title}.")
