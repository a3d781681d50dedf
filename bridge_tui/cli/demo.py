"""`bridge demo`: the sample portfolio in a private copy, so a newcomer can try anything.

The copy lives in the user's data folder, never in the current directory or a checkout, and is
built from the code (`bridge_tui.sample`), so it works after a plain `pip install`. It keeps the
newcomer's changes between runs until `bridge demo --reset` builds it afresh.
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from pathlib import Path

import click

from bridge_tui.cli.common import Ctx, create_portfolio, echo, open_app, pass_ctx
from bridge_tui.errors import BadFile, BadInput

#: the demo copy's file name inside the data folder
DEMO_FILE = "demo.db"


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    cli.add_command(demo)


def data_dir() -> Path:
    """Where the demo copy lives: `$BRIDGE_DEMO_DIR`, else the platform's per-user data folder
    (`$XDG_DATA_HOME/bridge` or `~/.local/share/bridge`, `~/Library/Application Support/bridge`,
    `%LOCALAPPDATA%\\bridge`)."""
    override = os.environ.get("BRIDGE_DEMO_DIR")
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "bridge"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "bridge"
    xdg = os.environ.get("XDG_DATA_HOME")
    # the XDG spec says a relative value is invalid and must be ignored
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / "bridge"


def _unwritable(folder: Path, exc: OSError) -> BadFile:
    why = exc.strerror or type(exc).__name__
    return BadFile(
        f"cannot write the demo copy in {folder} ({why}); set BRIDGE_DEMO_DIR to a folder you "
        "can write."
    )


def build_demo(path: Path) -> None:
    """Build a fresh sample into a temporary file beside `path`, then rename it over `path`, so
    an existing demo copy is only replaced by a complete one."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    fresh = folder / f".{path.stem}-{uuid.uuid4().hex[:8]}.db"
    try:
        # a probe first: Store.create's own messages are about portfolios, not data folders
        fresh.touch(exist_ok=False)
        fresh.unlink()
        create_portfolio(fresh, sample=True)
        # a journal the old copy's crashed writer left would be replayed onto the new file
        Path(f"{path}-journal").unlink(missing_ok=True)
        os.replace(fresh, path)
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    finally:
        with contextlib.suppress(OSError):
            fresh.unlink(missing_ok=True)


@click.command()
@click.option("--reset", is_flag=True, help="Throw the demo copy away and start from the sample.")
@pass_ctx
@click.pass_context
def demo(click_ctx: click.Context, ctx: Ctx, reset: bool) -> None:
    """Try bridge on a private copy of the sample portfolio.

    The copy lives in your data folder ($BRIDGE_DEMO_DIR, else ~/.local/share/bridge,
    ~/Library/Application Support/bridge or %LOCALAPPDATA%\\bridge) and keeps your changes
    between runs; --reset starts it over. Nothing in the current folder is touched.
    """
    parent = click_ctx.parent
    if parent is not None and parent.params.get("db_path") is not None:
        raise BadInput("'bridge demo' opens its own copy of the sample; leave out --db.")
    path = data_dir() / DEMO_FILE
    if reset or not path.exists():
        build_demo(path)
        echo(f"Built a fresh demo copy of the sample at {path}")
    demo_ctx = Ctx(str(path), ctx.author, ctx.read_only)
    try:
        try:
            demo_ctx.start()
        except BadFile as exc:
            hint = "Start the demo over with 'bridge demo --reset'."
            raise BadFile(f"{exc.message} {hint}") from None
        open_app(demo_ctx, demo=True)
    finally:
        demo_ctx.close()
