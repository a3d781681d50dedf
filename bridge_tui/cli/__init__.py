"""The `bridge` command line: click commands over the service layer.

Exit codes: 0 success, 1 the method refused (a gate, a stale revision), 2 bad usage, bad input
or a bad file. Errors are one sentence on stderr, never a traceback. The TUI is imported only
when the app is opened, so scripted commands start fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from bridge_tui.cli.common import Ctx, commits, default_author, default_db, echo_error, open_app
from bridge_tui.errors import BridgeError

#: which module registers each command: a command's module (and what it imports) loads only
#: when that command runs, or for `--help` (`tests/unit/test_lazy_imports.py` checks the map)
COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(
        ("init", "add", "show", "edit", "answer", "move", "kill", "revive"),
        "initiatives",
    ),
    **dict.fromkeys(("plan", "timeline", "task"), "plan"),
    **dict.fromkeys(("history", "share", "merge"), "sharing"),
    **dict.fromkeys(("metric", "report", "export", "import"), "portfolio"),
    **dict.fromkeys(("score", "list"), "reads"),
    "link": "sustain",
    "demo": "demo",
    "check": "integrity",
    "flow": "flow",
    "serve": "serve",
    **dict.fromkeys(("git", "dump"), "git"),
}


class LazyGroup(click.Group):
    """A click group whose commands are registered by their module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"bridge_tui.cli.{COMMAND_MODULES[cmd_name]}")
            module.register(self)
        return self.commands.get(cmd_name)


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=True),
    default=None,
    help="The bridge file (default: $BRIDGE_DB, else ./bridge.db).",
)
@click.option(
    "--as",
    "author",
    default=None,
    help="Your name in the change log (default: $BRIDGE_AUTHOR, else your login name).",
)
@click.option("--read-only", is_flag=True, help="Open the file without allowing changes.")
@click.version_option(package_name="bridge-tui", prog_name="bridge")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, author: str | None, read_only: bool) -> None:
    """bridge: move AI initiatives from pilot purgatory into production infrastructure.

    With no command, opens the app on the file.
    """
    ctx.obj = Ctx(db_path or default_db(), author or default_author(), read_only)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        open_app(ctx.obj)


def _usage_sentence(exc: click.ClickException) -> str:
    """Click's usage errors as one line: the problem, then where to read more."""
    text = " ".join(exc.format_message().split())
    if not text.endswith((".", "?", "!")):
        text += "."
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        text += f" See '{ctx.command_path} --help'."
    return text


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns every `BridgeError` into one sentence and its exit code.

    Set BRIDGE_DEBUG=1 to see the traceback of an unexpected error.
    """
    from bridge_tui import memory

    # bridge runs no pydantic plugin: without this, pydantic's first model looks for them in
    # every installed package's metadata (about 10 ms of every command's start)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # the collector paused while everything loads: the app lets it run at its first paint,
    # a command puts it back as it ends (`memory.quiet_start`)
    was_collecting = memory.quiet_start()
    try:
        _main(argv)
    finally:
        memory.resume(was_collecting)


def _main(argv: list[str] | None) -> None:
    saved_before = commits()
    try:
        rv: Any = cli.main(args=argv, prog_name="bridge", standalone_mode=False)
    except SystemExit:
        # Click turns a closed pipe (`bridge history | head`) into exit 1 and wraps stdout
        # so nothing more is written: the reader simply left, which is not a failure.
        if type(sys.stdout).__name__.lstrip("_") == "PacifyFlushWrapper":
            sys.exit(0)
        raise
    except BridgeError as exc:
        echo_error(exc.message)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        echo_error("cancelled; nothing was changed.")
        sys.exit(2)
    except click.ClickException as exc:
        echo_error(_usage_sentence(exc))
        sys.exit(1 if exc.exit_code == 1 else 2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        kept = "the last change was saved" if commits() > saved_before else "nothing was saved"
        echo_error(f"interrupted; {kept}, nothing half-written was kept.")
        sys.exit(2)
    except BrokenPipeError:
        # `bridge history | head`: the reader left. Point stdout at /dev/null so the final
        # flush at exit cannot fail a second time and turn a clean stop into an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:
        if os.environ.get("BRIDGE_DEBUG"):
            raise
        # Never claim a rollback here: the error may come after a commit (or between two
        # transactions of one command), so nothing can be promised about the file.
        what = " ".join(str(exc).split()) or type(exc).__name__
        # every save is one transaction, so nothing is ever half-written; but say whether one
        # was saved whole before the error, never claim a rollback that did not happen
        kept = (
            "a change was saved before it happened"
            if commits() > saved_before
            else "nothing was saved"
        )
        echo_error(
            f"unexpected error ({type(exc).__name__}: {what}), a bug in bridge; {kept}. "
            "Run again with BRIDGE_DEBUG=1 for details."
        )
        sys.exit(2)
    sys.exit(rv if isinstance(rv, int) else 0)
