"""`bridge check`: the full check of a file, whatever its size."""

from __future__ import annotations

import click

from bridge_tui.cli.common import Ctx, echo, pass_ctx


def register(cli: click.Group) -> None:
    cli.add_command(check)


@click.command()
@pass_ctx
def check(ctx: Ctx) -> None:
    """Check the whole file: SQLite's integrity check, every row and change-log entry, and the
    rows against their history. Opening does this only for files up to 2 MB."""
    svc = ctx.service()
    rows, log = svc.check_file()
    echo(
        f"{svc.file_name} passed every check: {rows:,} rows and {log:,} change-log entries "
        "agree, and SQLite finds nothing damaged."
    )
