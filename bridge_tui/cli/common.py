"""What every command shares: where the file is, who is writing, how to print."""

from __future__ import annotations

import getpass
import io
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bridge_tui.clock import Clock, check_day
from bridge_tui.errors import BadFile, BadInput, BridgeError
from bridge_tui.text import json_safe, one_line, plain

if TYPE_CHECKING:
    from textual.app import App

    from bridge_tui.service import Service
    from bridge_tui.service.quick import QuickReads
    from bridge_tui.service.start import Start

# The service and the store (pydantic models, scoring) load when a command first opens a file,
# so `--help`, `--version` and usage errors stay as fast as click itself.


def commits() -> int:
    """Transactions committed so far in this process (see `Store.commits`); 0 while the store
    is not even loaded."""
    repo = sys.modules.get("bridge_tui.store.repo")
    return int(repo.Store.commits) if repo is not None else 0


def default_db() -> str:
    return os.environ.get("BRIDGE_DB") or "bridge.db"


def default_author() -> str:
    env = os.environ.get("BRIDGE_AUTHOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def parse_date(raw: str, what: str) -> date:
    """A YYYY-MM-DD date typed by a person, within the years bridge accepts
    (`clock.check_day`); `what` names it in the one-sentence error."""
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise BadInput(f"{what} must be a date like 2026-11-22, not '{raw}'.") from None
    return check_day(day, what)


def clock_from_env() -> Clock:
    """`BRIDGE_TODAY=YYYY-MM-DD` freezes the date (tests, demos, replaying a meeting); the time
    of day keeps running. Without it, the machine's clock."""
    raw = os.environ.get("BRIDGE_TODAY")
    return Clock.on_day(parse_date(raw, "BRIDGE_TODAY")) if raw else Clock.system()


class Ctx:
    """Opens the file lazily, so `init` and `--help` never touch an existing file."""

    def __init__(self, db_path: str, author: str, read_only: bool = False) -> None:
        self.path = Path(db_path)
        self.author = author
        self.read_only = read_only
        self._service: Service | None = None
        self._quick: QuickReads | None = None
        self._start: Start | None = None

    def _existing(self) -> Path:
        if not self.path.exists():
            raise BadFile(
                f"{self.path} does not exist; create it with 'bridge init' "
                "(or 'bridge init --sample')."
            )
        return self.path

    def quick(self) -> QuickReads:
        """The file for a one-shot read that needs no models (`service.quick`)."""
        if self._quick is None:
            from bridge_tui.service.quick import QuickReads

            self._quick = QuickReads.open(
                self._existing(), self.author, clock_from_env(), read_only=self.read_only
            )
        return self._quick

    def service(self) -> Service:
        if self._service is None:
            self._existing()
            from bridge_tui.service import Service

            self._service = Service.open(
                self.path, self.author, clock_from_env(), read_only=self.read_only
            )
        return self._service

    def start(self) -> Start:
        """The file for the app (`service.start`): its board paints before the models load."""
        if self._start is None:
            from bridge_tui.service.start import Start

            self._start = Start.open(
                self._existing(), self.author, clock_from_env(), read_only=self.read_only
            )
        return self._start

    def close(self) -> None:
        if self._start is not None:  # the app's service, if built, shares its connection
            self._start.close()
            self._start = None
        if self._quick is not None:
            self._quick.close()
            self._quick = None
        if self._service is not None:
            self._service.close()
            self._service = None


pass_ctx = click.make_pass_decorator(Ctx)


def create_portfolio(path: Path, *, sample: bool = False) -> None:
    """`bridge init`: a new file (never over an existing one), optionally filled with the
    sample; if filling it fails, the half-made file is removed."""
    from bridge_tui.service import Service

    Service.create_file(path, sample_on=clock_from_env().today() if sample else None)


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print text that may hold a file's text (names, notes, reasons, authors): control
    characters are stripped, since an old or foreign file may still hold them and a terminal
    obeys them (`ESC]0;...` retitles it, `ESC[2J` clears it). Line breaks and tabs are kept.
    Every command prints through here (a test checks), never through `click.echo` directly."""
    click.echo(plain(message), err=err, nl=nl)


def echo_error(message: str) -> None:
    """The one line on stderr that says why a command stopped."""
    click.echo(f"bridge: {one_line(message)}", err=True)


def echo_json(data: Any) -> None:
    echo_document(json.dumps(data, indent=2, ensure_ascii=False, default=str), "json")


def echo_document(text: str, fmt: str, *, nl: bool = True) -> None:
    """A whole document (JSON, Markdown, CSV) on stdout. JSON keeps every value exact: the
    control characters JSON leaves raw (DEL and C1, such as the terminal's CSI 0x9b) are written
    as \\u escapes instead, which a JSON reader turns back into the same text."""
    click.echo(json_safe(text) if fmt == "json" else plain(text), nl=nl)


def open_app(ctx: Ctx, *, demo: bool = False) -> None:
    """Open the TUI; on a missing path, ask before creating a new, empty portfolio. `demo`:
    the file is `bridge demo`'s private copy, and the header says so."""
    if not ctx.path.exists():
        if not sys.stdin.isatty():
            raise BadFile(
                f"{ctx.path} does not exist; create it with 'bridge init' or run bridge in a "
                "terminal to be asked."
            )
        click.confirm(
            f"{one_line(str(ctx.path))} does not exist. Create a new, empty portfolio there?",
            default=False,
            abort=True,
        )
        from bridge_tui.service import Service

        Service.create_file(ctx.path)
    start = ctx.start()
    from bridge_tui.tui.app import BridgeApp

    run_app(BridgeApp(start, demo=demo))


def run_app(app: App[Any], *, headless: bool = False) -> None:
    """Run the app; if it stops on an unexpected error, say so in one line and exit non-zero.

    Textual would print a long traceback (its local variables may hold a person's text) and the
    shell would see exit 0. Each change was saved in its own transaction, so what was saved
    before the error is in the file. BRIDGE_DEBUG=1 keeps Textual's traceback."""
    if not os.environ.get("BRIDGE_DEBUG"):
        from rich.console import Console

        app.error_console = Console(file=io.StringIO(), markup=False, highlight=False)
    app.run(headless=headless)
    if app.return_code:
        exc = getattr(app, "_exception", None)
        what = f"{type(exc).__name__}: {exc}" if exc is not None else f"exit {app.return_code}"
        raise BridgeError(
            f"the app stopped on an unexpected error ({what}); every change saved before it is "
            "in the file. Run again with BRIDGE_DEBUG=1 for details."
        )
