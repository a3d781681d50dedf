"""Commands for metrics, reports, import and export.

`bridge metric add` is what a monitoring job calls; `bridge report` is what a meeting prints;
`bridge export` / `bridge import` move a whole portfolio (change log included) through JSON;
`bridge import` also brings initiatives in from a spreadsheet (`service/sheet_import.py`).
"""

from __future__ import annotations

import math
from pathlib import Path

import click

from bridge_tui import method, scoring
from bridge_tui.cli.common import (
    Ctx,
    clock_from_env,
    echo,
    echo_document,
    echo_json,
    parse_date,
    pass_ctx,
)
from bridge_tui.cli.options import forcing_options, json_option, output_options
from bridge_tui.errors import BadInput
from bridge_tui.text import reading_text


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
        f"Recorded {reading.name} = {reading_text(reading.value, reading.unit)} for {i.name} "
        f"on {reading.at.isoformat()}."
    )


@metric.command("list")
@click.argument("ref")
@json_option()
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
        target = f", target {reading_text(s.target, s.unit)}" if s.target is not None else ""
        notes = []
        if s.stable_at_target:
            notes.append(f"last {method.STABLE_READINGS} readings at or above target")
        if s.adoption_stalled:
            notes.append(f"adoption stalls under {method.ADOPTION_FLOOR:g}%")
        echo(f"  {s.name}{target}" + (f"  ({'; '.join(notes)})" if notes else ""))
        for d, v in s.points:
            echo(f"    {d.isoformat()}  {reading_text(v, s.unit)}")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "csv"], case_sensitive=False),
    default="md",
    show_default=True,
    help="Markdown for a mail or wiki, JSON for tools, CSV for a spreadsheet.",
)
@output_options
@pass_ctx
def report(ctx: Ctx, fmt: str, output: str | None, force: bool) -> None:
    """The portfolio report: the four questions, the heat map, one section per initiative.

    -o never writes onto the open bridge file, nor onto an existing file without --force.
    """
    svc = ctx.service()
    if output is not None:
        path = svc.write_report(fmt.lower(), Path(output), force=force)
        echo(f"Wrote the report to {path}.")
        return
    echo_document(svc.report(fmt.lower()), fmt.lower(), nl=False)


@click.command()
@output_options
@pass_ctx
def export(ctx: Ctx, output: str | None, force: bool) -> None:
    """Everything in the file, change log included, as JSON (stdout unless -o).

    -o never writes onto the open bridge file, nor onto an existing file without --force.
    """
    svc = ctx.service()
    if output is not None:
        path = svc.export_to(output, force=force)
        echo(f"Exported {svc.file_name} to {path}.")
        return
    echo_document(svc.export_json(), "json", nl=False)


@click.command("import")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option(
    "--sheet", default=None, help="The worksheet of an .xlsx to read (default: the first)."
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"COLUMN=FIELD"',
    help="Say what a column holds (a field, an answer id such as D1, or ignore); repeatable.",
)
@click.option("--dry-run", is_flag=True, help="Only show the preview; write nothing.")
@click.option("--strict", is_flag=True, help="Refuse rows whose stage is past an unmet gate.")
@forcing_options("A JSON export: import initiatives past gates they do not meet.")
@pass_ctx
def import_(
    ctx: Ctx,
    source: str,
    sheet: str | None,
    maps: tuple[str, ...],
    dry_run: bool,
    strict: bool,
    force: bool,
    reason: str,
) -> None:
    """Bring initiatives in from a spreadsheet (.csv, .xlsx), or a whole export (.json).

    A spreadsheet is added to the --db file (created if missing): rows are matched to
    initiatives by name, a preview lists every column's meaning and every row that cannot be
    taken, and nothing is written unless every row can be. A stage past an unmet gate is
    imported as forced ("imported from FILE"); --strict refuses it instead.

    A JSON export made by `bridge export` creates the --db file (it must not exist yet). An
    initiative in a stage that the export's change log does not record goes through the gates
    into it, like a move: refused with the list (exit 1), or --force --reason marks it forced.
    """
    from bridge_tui.service import sheet_import as si

    path = Path(source)
    if not si.is_sheet(path):
        if sheet or maps or dry_run or strict:
            raise BadInput(
                "--sheet, --map, --dry-run and --strict are for spreadsheets; a JSON export "
                "is imported whole into a new file."
            )
        from bridge_tui.service.transfer import import_all

        target = import_all(
            path,
            ctx.path,
            force=force,
            reason=reason,
            author=ctx.author,
            clock=clock_from_env(),
        )
        echo(f"Imported {source} into {target}.")
        return
    if force or reason:
        raise BadInput(
            "--force and --reason are for a JSON export; a spreadsheet imports a stage past an "
            "unmet gate as forced unless --strict."
        )
    parsed = si.read_sheet(path, sheet, maps)
    exists = ctx.path.exists()
    if exists:
        svc = ctx.service()
        preview = svc.preview_sheet(parsed, strict=strict)
    else:
        preview = si.preview_new_portfolio(parsed, clock=clock_from_env(), strict=strict)
    for line in preview.lines():
        echo(line)
    if not preview.ok:
        raise preview.rejection()
    if dry_run:
        echo("Dry run: nothing was written.")
        return
    if not preview.writes:
        if not preview.rows:
            echo(f"Nothing to import: {path.name} has no rows of initiatives.")
        else:
            echo(f"Nothing to import: {ctx.path} already holds what {path.name} says.")
        return
    if exists:
        done = svc.import_sheet(parsed, strict=strict, expected=preview)
    else:
        done = si.new_portfolio_from_sheet(
            ctx.path, parsed, author=ctx.author, clock=clock_from_env(), strict=strict
        )
    echo(done.summary() + (f" Created {ctx.path}." if not exists else ""))
