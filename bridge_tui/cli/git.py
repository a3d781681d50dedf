"""`bridge git ...` and `bridge dump`: git as the transport, bridge as the merge and the diff."""

from __future__ import annotations

import os
from pathlib import Path

import click

from bridge_tui.cli.common import Ctx, clock_from_env, echo, pass_ctx
from bridge_tui.errors import BadFile, BridgeError
from bridge_tui.service import dump as dumpmod
from bridge_tui.service import git_sync


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    cli.add_command(git)
    cli.add_command(dump)


@click.group()
def git() -> None:
    """Share the file through a git repository: bridge merges it and shows its changes."""


@git.command()
@click.argument("path", required=False)
@pass_ctx
def setup(ctx: Ctx, path: str | None) -> None:
    """Register bridge's merge driver and diff text for PATH (default: the --db file) in this
    git work tree. Safe to run again; each teammate runs it once after cloning."""
    result = git_sync.setup(Path(path) if path else ctx.path)
    for line in result.lines():
        echo(line)


@git.command(name="merge-driver")
@click.argument("base")
@click.argument("ours")
@click.argument("theirs")
@click.argument("name", required=False, default="")
@pass_ctx
def merge_driver(ctx: Ctx, base: str, ours: str, theirs: str, name: str) -> None:
    """Called by git, not by people: fold THEIRS into OURS (written in place).

    Set up by 'bridge git setup' as: merge-driver %O %A %B %P. Exits 0 when merged; when the
    other version fails bridge's checks, exits 2 and leaves OURS untouched (git reports a
    conflict).
    """
    del base  # both change logs carry their whole history: the common ancestor adds nothing
    shown = name or "the portfolio"
    try:
        report = git_sync.merge_driver(
            ours,
            theirs,
            name or "portfolio.db",
            ctx.author,
            clock_from_env(),
            report_to=os.environ.get(git_sync.REPORT_ENV) or None,
        )
    except BridgeError as exc:
        raise BadFile(
            f"did not merge {shown} ({exc.message.rstrip('.')}); your version is unchanged "
            "and git reports a conflict: 'git merge --abort' (or 'git rebase --abort') undoes "
            "the pull."
        ) from None
    if report.nothing_new:
        echo(f"bridge: {shown}: nothing new from the other side.")
        return
    major = [c for c in report.conflicts if not c.minor]
    echo(
        f"bridge: merged {shown}: {len(report.added)} added, {len(report.changed)} changed, "
        f"{len(major)} {'conflict' if len(major) == 1 else 'conflicts'}"
        + (" (the newer change is kept; the other stays in the history):" if major else ".")
    )
    for c in major:
        kept, lost = (
            ((c.ours, c.ours_author), (c.theirs, c.theirs_author))
            if c.kept == "ours"
            else ((c.theirs, c.theirs_author), (c.ours, c.ours_author))
        )
        where = f"{c.initiative}: " if c.initiative else ""
        echo(f"  ! {where}{c.what}: kept '{kept[0]}' ({kept[1]}) over '{lost[0]}' ({lost[1]})")


@git.command()
@pass_ctx
def sync(ctx: Ctx) -> None:
    """Commit your changes to the --db file, pull (bridge merges), push; then say what came
    in and what conflicted (the app's "Sync with git")."""
    outcome, came_in = ctx.service().sync_with_git()
    if not outcome.ok:
        for step in outcome.steps:
            echo(step)
        raise BadFile(f"not synced: {outcome.message}")
    echo(outcome.text(came_in))


@git.command()
@click.argument("path")
def textconv(path: str) -> None:
    """Called by git, not by people: print PATH (a version of the file) as text, one fact per
    line, for git diff, git log -p and git show."""
    try:
        lines = dumpmod.dump_file(path)
    except BridgeError as exc:
        # a diff must still show: say in one line why this version cannot be read
        echo(f"(bridge cannot read this version: {exc.message})")
        return
    for line in lines:
        echo(line)


@click.command()
@pass_ctx
def dump(ctx: Ctx) -> None:
    """Print the whole portfolio as sorted text, one fact per line (what git diff shows)."""
    if not ctx.path.exists():
        raise BadFile(f"{ctx.path} does not exist.")
    for line in dumpmod.dump_file(ctx.path):
        echo(line)
