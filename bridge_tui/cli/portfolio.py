"""Commands for metrics, reports, import and export.

`bridge metric add` is what a monitoring job calls; `bridge report` is what a meeting prints;
`bridge export` / `bridge import` move a whole portfolio (change log included) through JSON.
"""

from __future__ import annotations

import math
from pathlib import Path

import click

from bridge_tui import scoring
from bridge_tui.cli.common import Ctx, echo, echo_document, echo_json, parse_date, pass_ctx
from bridge_tui.errors import BadInput


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    for cmd in (metric, report, export, import_):
        cli.add_command(cmd)


def _number(raw: str, what: str) -> float:
    try:
        value = float(raw.strip().rstrip("%"))
    except ValueError:
        raise BadInput(f"{what} must be a number, not '{raw}'.") from None
    if not math.isfinite(value):
        raise BadInput(f"{what} must be a finite number, not '{raw}'.")
    return value


def _fmt(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


@click.group()
def metric() -> None:
    """Record and list metric readings (throughput, accuracy, adoption...)."""


@metric.command("add")
@click.argument("ref")
@click.argument("name")
@click.argument("value")
@click.option("--target", default=None, help="The target this metric should reach or beat.")
@click.option("--unit", default="", help="Unit shown after the value, e.g. % or min.")
@click.option("--at", "at", default=None, help="Date of the reading (default: today).")
@pass_ctx
def metric_add(
    ctx: Ctx, ref: str, name: str, value: str, target: str | None, unit: str, at: str | None
) -> None:
    """Record VALUE of metric NAME for initiative REF (id, id prefix or name)."""
    svc = ctx.service()
    i = svc.resolve(ref)
    reading = svc.add_metric(
        i,
        name,
        _number(value, "VALUE"),
        target=None if target is None else _number(target, "--target"),
        unit=unit,
        at=None if at is None else parse_date(at, "--at"),
    )
    echo(
        f"Recorded {reading.name} = {_fmt(reading.value)}{reading.unit} for {i.name} "
        f"on {reading.at.isoformat()}."
    )


@metric.command("list")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def metric_list(ctx: Ctx, ref: str, as_json: bool) -> None:
    """List the metric readings of initiative REF, per metric, oldest first."""
    svc = ctx.service()
    i = svc.resolve(ref)
    series = svc.metric_series(i.id)
    evidence = scoring.metric_evidence(series)
    if as_json:
        echo_json(
            {
                "id": i.id,
                "name": i.name,
                "stable_performance_supported_by_data": evidence.supports_stable_performance,
                "stalled_adoption": list(evidence.stalled_adoption),
                "metrics": [
                    {
                        "name": s.name,
                        "unit": s.unit,
                        "target": s.target,
                        "stable_at_target": s.stable_at_target,
                        "adoption_stalled": s.adoption_stalled,
                        "readings": [{"at": d.isoformat(), "value": v} for d, v in s.points],
                    }
                    for s in series
                ],
            }
        )
        return
    if not series:
        echo(f"{i.name} has no metric readings yet.")
        return
    echo(i.name)
    for s in series:
        target = f", target {_fmt(s.target)}{s.unit}" if s.target is not None else ""
        notes = []
        if s.stable_at_target:
            notes.append("last 4 readings at or above target")
        if s.adoption_stalled:
            notes.append("adoption stalls under 30%")
        echo(f"  {s.name}{target}" + (f"  ({'; '.join(notes)})" if notes else ""))
        for d, v in s.points:
            echo(f"    {d.isoformat()}  {_fmt(v)}{s.unit}")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "csv"], case_sensitive=False),
    default="md",
    show_default=True,
    help="Markdown for a mail or wiki, JSON for tools, CSV for a spreadsheet.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here.")
@pass_ctx
def report(ctx: Ctx, fmt: str, output: str | None) -> None:
    """The portfolio report: the four questions, the heat map, one section per initiative."""
    svc = ctx.service()
    if output:
        path = svc.write_report(fmt.lower(), Path(output))
        echo(f"Wrote the report to {path}.")
        return
    echo_document(svc.report(fmt.lower()), fmt.lower(), nl=False)


@click.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here (JSON)."
)
@pass_ctx
def export(ctx: Ctx, output: str | None) -> None:
    """Everything in the file, change log included, as JSON (stdout unless -o)."""
    svc = ctx.service()
    text = svc.export_json()
    if output:
        from bridge_tui.service.portfolio import write_text_atomic

        write_text_atomic(Path(output), text)
        echo(f"Exported {svc.file_name} to {output}.")
        return
    echo_document(text, "json", nl=False)


@click.command("import")
@click.argument("source", type=click.Path(dir_okay=False))
@pass_ctx
def import_(ctx: Ctx, source: str) -> None:
    """Create the --db file (it must not exist yet) from an export made by `bridge export`."""
    from bridge_tui.service.portfolio import import_all

    target = import_all(Path(source), ctx.path)
    echo(f"Imported {source} into {target}.")
