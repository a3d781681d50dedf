"""Commands for sharing the file: history, share, merge."""

from __future__ import annotations

from datetime import datetime

import click

from bridge_tui.cli.common import Ctx, echo, echo_json, pass_ctx
from bridge_tui.cli.options import json_option

#: the largest --limit accepted; a number past SQLite's 64-bit LIMIT used to crash
MAX_LIMIT = 1_000_000_000


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    for cmd in (history, share, merge):
        cli.add_command(cmd)


def _stamp(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


@click.command()
@click.argument("ref", required=False)
@click.option("--author", default=None, help="Only changes by this person (any case).")
@click.option(
    "--limit",
    type=click.IntRange(min=1, max=MAX_LIMIT),
    default=None,
    help="At most N entries.",
)
@json_option()
@pass_ctx
def history(
    ctx: Ctx, ref: str | None, author: str | None, limit: int | None, as_json: bool
) -> None:
    """Who changed what, when, from what to what: newest first.

    REF narrows it to one initiative (id, id prefix or name) and everything on it.
    """
    svc = ctx.service()
    initiative = svc.resolve(ref) if ref else None
    entries = svc.history(initiative, author, limit=limit)
    if as_json:
        echo_json([e.to_json() for e in entries])
        return
    if not entries:
        who = f" by {author}" if author else ""
        where = f" on {initiative.name}" if initiative else ""
        known = svc.history_authors()
        hint = ""
        if author and known:
            hint = f" (people in this file: {', '.join(known)})"
        echo(f"No changes{who}{where}{hint}.")
        return
    for e in entries:
        echo(f"{_stamp(e.at)}  {e.author:<12} {e.description}")


@click.command()
@click.argument("out")
@pass_ctx
def share(ctx: Ctx, out: str) -> None:
    """Write a checked copy of the file to OUT.db for a teammate (never overwrites, never the
    open file)."""
    path = ctx.service().share(out)
    echo(f"Wrote a checked copy to {path}; merge it back later with 'bridge merge {path}'.")


@click.command()
@click.argument("other", type=click.Path(dir_okay=True))
@click.option("--dry-run", is_flag=True, help="Only show what would change; write nothing.")
@json_option("Print the report as JSON.")
@pass_ctx
def merge(ctx: Ctx, other: str, dry_run: bool, as_json: bool) -> None:
    """Fold a teammate's copy OTHER.db into this file (OTHER.db is never changed).

    The newest change of each field wins; fields both of you changed are listed as conflicts,
    and the value that lost stays in the history.
    """
    svc = ctx.service()
    report = svc.merge(other, dry_run=dry_run)
    if as_json:
        echo_json(report.to_json())
        return
    if report.nothing_new:
        echo(report.summary())
        return
    if report.added:
        echo("Added:" if not dry_run else "Would add:")
        for a in report.added:
            where = f"{a.initiative}: " if a.initiative and a.entity != "initiative" else ""
            echo(f"  + {where}{a.what}: {a.new}")
    if report.changed:
        echo("Changed:" if not dry_run else "Would change:")
        for c in report.changed:
            echo(
                f"  ~ {c.initiative}: {c.what}: {c.old} -> {c.new}  ({c.author}, "
                f"{_stamp(c.at) if c.at else '?'})"
            )
    major = [c for c in report.conflicts if not c.minor]
    if major:
        echo("Conflicts (both of you changed these; the newer change is kept):")
        now = svc.now().astimezone()
        for k in major:
            echo(f"  ! {k.sentence(now)}")
    minor = len(report.conflicts) - len(major)
    if minor:
        echo(f"  ({minor} who/when stamps also differed; the newer ones are kept.)")
    echo(report.summary())
