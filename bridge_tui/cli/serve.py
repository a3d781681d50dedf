"""`bridge serve`: the board in a browser, for people who do not use a terminal.

textual-serve runs this same bridge (same Python, same file, same author) once per browser tab
and streams it to the page. On loopback only this computer can connect; on any other address
every request and websocket must carry the access token printed with the link. textual-serve and
aiohttp are imported only here, when the command runs.
"""

from __future__ import annotations

import errno
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import click

from bridge_tui.cli.common import Ctx, echo, pass_ctx
from bridge_tui.errors import BadInput
from bridge_tui.text import one_line

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WILDCARDS = ("0.0.0.0", "::", "")


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
    cli.add_command(serve)


def page_title(path: Path) -> str:
    """The browser page's title: the file's name as plain text on one line (no control
    character, no line break). It goes only into the page's `<title>`, which Jinja escapes as
    HTML text, and never to Rich, so a file named `[/]<b>.db` shows as named."""
    return "bridge · " + one_line(path.name)


def served_command(ctx: Ctx) -> str:
    """The shell command textual-serve starts for each browser tab: this interpreter (so a venv
    install works) running bridge on the same file, as the same author."""
    argv = [sys.executable, "-m", "bridge_tui", "--db", str(ctx.path.resolve()), "--as", ctx.author]
    if ctx.read_only:
        argv.append("--read-only")
    return subprocess.list2cmdline(argv) if sys.platform == "win32" else shlex.join(argv)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or one sentence saying why not."""
    if not 1 <= port <= 65535:
        raise BadInput(f"--port must be a number from 1 to 65535, not {port}.")
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError):
        raise BadInput(f"cannot listen on '{host}': no such address or host name.") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":
            # restart at once after a stop; on Linux and macOS this still refuses a port that
            # another server is listening on
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            why = f"port {port} is already in use; choose another with --port"
        elif exc.errno == errno.EACCES:
            why = f"port {port} needs administrator rights; choose one above 1023 with --port"
        elif exc.errno == errno.EADDRNOTAVAIL:
            why = f"'{host}' is not an address of this computer"
        else:
            why = exc.strerror or type(exc).__name__
        raise BadInput(f"cannot listen on {host}:{port}: {why}.") from None
    return sock


def _this_computer() -> str:
    """The address a colleague would type for a server listening on every address: the one
    this computer's outgoing traffic uses (no packet is sent), else its name."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        address = str(probe.getsockname()[0])
        if not address.startswith("0."):
            return address
    except OSError:
        pass
    finally:
        probe.close()
    return socket.gethostname()


def board_url(host: str, port: int, token: str | None) -> str:
    shown = _this_computer() if host in WILDCARDS else host
    if ":" in shown:  # an IPv6 address
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


@click.command()
@click.option(
    "--host",
    default=None,
    help=f"The address to listen on (default {DEFAULT_HOST}: this computer only). Any other "
    "address asks for the access token printed with the link.",
)
@click.option(
    "--port", type=int, default=DEFAULT_PORT, show_default=True, help="The port to listen on."
)
@pass_ctx
def serve(ctx: Ctx, host: str | None, port: int) -> None:
    """Open the board in a web browser (one app per browser tab) until Ctrl+C.

    Without --host only this computer's browser can connect. With --host (for example
    0.0.0.0 for every network of this computer) colleagues can too, but only with the
    printed link: it carries an access token made for this run.
    """
    ctx.service()  # a missing or broken file is refused here, not in every browser tab
    ctx.close()
    from bridge_tui import memory

    memory.settle()  # it runs until Ctrl+C: the collector runs again (paused while starting)
    try:
        from bridge_tui.web.access import is_loopback, new_token
        from bridge_tui.web.server import BoardServer
    except ImportError as exc:  # pragma: no cover - a broken install
        raise BadInput(f"bridge serve needs {exc.name}; reinstall bridge.") from None
    where = DEFAULT_HOST if host is None else host.strip()
    sock = bind(where, port)
    bound, port = sock.getsockname()[:2]
    # judged by the address actually bound, not by the name given
    token = None if is_loopback(bound) else new_token()
    url = board_url(where, port, token)
    server = BoardServer(served_command(ctx), sock, title=page_title(ctx.path), token=token)
    echo(f"Serving {ctx.path} in a web browser at:\n\n    {url}\n")
    if token:
        echo(
            "Anyone on the network with this link can open the board and change it: share it "
            "only with the people you mean to."
        )
    else:
        echo("Only this computer can open it (serve with --host to share it).")
    echo(f"Changes made there are saved as {ctx.author}. Press Ctrl+C to stop.")
    try:
        server.serve()
    finally:
        sock.close()
    echo("Stopped serving the board.")
