"""`bridge flow`: how long crossing the bridge takes, where initiatives stall and die.
The figures are `bridge_tui.flow`'s; the README defines each one."""

from __future__ import annotations

import click

from bridge_tui import flow, method
from bridge_tui.cli.common import Ctx, echo, echo_json, parse_date, pass_ctx
from bridge_tui.cli.options import json_option


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    cli.add_command(flow_command)


def _days(v: float | None) -> str:
    return "-" if v is None else f"{v:g}"


def _share(v: float | None) -> str:
    return "-" if v is None else f"{round(v * 100)}%"


@click.command("flow")
@json_option()
@click.option("--since", default=None, help="Count only what happened on or after this day.")
@pass_ctx
def flow_command(ctx: Ctx, as_json: bool, since: str | None) -> None:
    """Flow over time: entries, exits and days per stage, conversion, kills, quarters."""
    day = parse_date(since, "--since") if since is not None else None
    f = ctx.service().flow(day)
    if as_json:
        echo_json(flow.to_json(f))
        return
    label = {s.id: s.label for s in method.STAGES}
    window = f"since {day.isoformat()}" if day else "from the start of the log"
    echo(f"Flow over time, {window} (today {f.today.isoformat()})")
    echo("")
    echo(
        f"{'stage':<15}{'entered':>8}{'forced':>7}{'back':>6}{'left':>6}{'median':>8}"
        f"{'p90':>6}{'still':>7}{'median age':>12}{'p90 age':>9}"
    )
    for s, sf in f.stages.items():
        st = sf.still_there
        echo(
            f"{label[s]:<15}{sf.entered:>8}{sf.forced_in:>7}{sf.back_in:>6}{sf.left:>6}"
            f"{_days(sf.finished.median_days):>8}{_days(sf.finished.p90_days):>6}"
            f"{st.count:>7}{_days(st.median_days):>12}{_days(st.p90_days):>9}"
        )
    echo("(days in stage: finished stays; age: those still there)")
    echo("")
    p2i = f.conversion["pilot_to_infrastructure"]
    echo(
        f"Pilot to Infrastructure: {_share(p2i.share)} ({p2i.reached} of {p2i.cohort} that "
        "entered Pilot)"
    )
    for a, b in flow.STEPS:
        c = f.conversion[flow.step_key(a, b)]
        echo(f"  {label[a]} to {label[b]}: {_share(c.share)} ({c.reached} of {c.cohort})")
    kills = [f"{label[s]} {n}" for s, n in f.killed_from.items() if n]
    echo(f"Killed from: {', '.join(kills) if kills else 'no kills'}")
    if f.quarters:
        echo("")
        short = {s: label[s][:6] for s in method.STAGE_IDS}
        echo(f"{'quarter':<9}" + "".join(f"{short[s]:>8}" for s in method.STAGE_IDS) + "  crossed")
        for q in f.quarters:
            cells = "".join(f"{q.entered[s]:>8}" for s in method.STAGE_IDS)
            echo(f"{q.label:<9}{cells}{q.crossed:>9}")
