"""Drive the installed `bridge` command in a real terminal (tmux), as a person would."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

BRIDGE = Path(sys.executable).with_name("bridge")


def require_tmux() -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if not BRIDGE.exists():
        pytest.skip(f"the bridge command is not installed next to {sys.executable}")


def _tmux(session: str, *args: str) -> list[str]:
    """Each session gets its own tmux server (-L), so parallel tests never share a window
    size or a key queue."""
    return ["tmux", "-L", session, "-f", "/dev/null", *args]


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def _send(self, *args: str) -> None:
        subprocess.run(_tmux(self.session, "send-keys", "-t", self.session, *args), check=True)

    def keys(self, *keys: str) -> None:
        """Press `keys` in order, as fast as a person types (the app queues them); the caller
        then waits for what it expects to see (`wait_for`), never for a fixed time.

        The one exception is an Escape with more keys behind it in the same call: a key that
        follows Escape at once reaches the app as alt+key, so it waits for Escape's repaint."""
        for n, key in enumerate(keys):
            more = n < len(keys) - 1
            before = self.screen() if key == "Escape" and more else None
            self._send(key)
            if before is not None:
                self.settled(before)

    def type(self, text: str) -> None:
        """Type `text` literally (the field it is meant for must be on screen first)."""
        self._send("-l", text)

    def screen(self) -> str:
        out = subprocess.run(
            _tmux(self.session, "capture-pane", "-p", "-t", self.session),
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout

    def wait_for(self, text: str, *more: str, timeout: float = 15.0) -> str:
        """The screen once `text` (and every one of `more`) is on it. A repaint reaches the
        terminal in pieces: a dialog's question can be captured a frame before its buttons, so
        what a check needs from one repaint is waited for together, never read after the first
        part showed."""
        wanted = (text, *more)
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(t in screen for t in wanted):
                return screen
            time.sleep(0.2)
        missing = [t for t in wanted if t not in screen]
        raise AssertionError(f"{missing!r} did not appear on screen:\n{screen}")

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = 15.0) -> str:
        """The screen once `check` holds for it (`what` says what was awaited, for the failure):
        for a check that reads across the screen, such as a row of a list."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{what} did not appear on screen:\n{screen}")

    def settled(self, before: str, timeout: float = 10.0, quiet: float = 0.4) -> str:
        """Wait until the screen differs from `before` (a key's repaint landed) and then stays
        the same for `quiet` seconds (the whole repaint is done), then return it."""
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while screen == before and time.monotonic() < deadline:
            time.sleep(0.1)
            screen = self.screen()
        still = time.monotonic()
        while time.monotonic() - still < quiet and time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.screen()
            if now != screen:
                screen, still = now, time.monotonic()
        return screen

    def press_until(self, key: str, done: Callable[[str], bool], tries: int = 20) -> str:
        """Press `key` until `done(screen)`, waiting for each press to repaint before judging
        it (a loaded machine never makes it press twice for one step)."""
        screen = self.screen()
        for _ in range(tries):
            if done(screen):
                return screen
            subprocess.run(_tmux(self.session, "send-keys", "-t", self.session, key), check=True)
            screen = self.settled(screen)
        if done(screen):
            return screen
        raise AssertionError(f"pressing {key!r} never got there:\n{screen}")

    def alive(self) -> bool:
        return (
            subprocess.run(
                _tmux(self.session, "has-session", "-t", self.session), capture_output=True
            ).returncode
            == 0
        )

    def wait_gone(self, text: str, timeout: float = 15.0) -> str:
        """Wait until `text` is no longer on screen; return the screen."""
        deadline = time.monotonic() + timeout
        screen = self.screen()
        while text in screen:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} stayed on screen:\n{screen}")
            time.sleep(0.1)
            screen = self.screen()
        return screen

    def quit(self, timeout: float = 15.0) -> None:
        """Press q and wait until bridge has exited."""
        self.keys("q")
        self.wait_exit(timeout)

    def wait_exit(self, timeout: float = 15.0) -> None:
        """Wait until bridge has exited (it was asked to quit)."""
        deadline = time.monotonic() + timeout
        while self.alive():
            if time.monotonic() > deadline:
                raise AssertionError(f"bridge did not quit:\n{self.screen()}")
            time.sleep(0.1)

    def open_palette(self) -> None:
        """Open the command palette and wait for its search field."""
        self.keys("C-p")
        self.wait_for("Search for commands")


def bridge_json(db: Path, *args: str) -> dict[str, object]:
    """What `bridge --db DB ARGS... --json` prints, read as JSON; the command must succeed."""
    done = subprocess.run(
        [str(BRIDGE), "--db", str(db), *args, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data


@contextmanager
def bridge_in_tmux(
    db: Path | None,
    *,
    width: int = 160,
    height: int = 45,
    env: dict[str, str] | None = None,
    args: Sequence[str] = (),
    cwd: Path | None = None,
) -> Iterator[Terminal]:
    """Start `bridge --db DB ARGS...` (no --db when DB is None) in a detached tmux session,
    in the folder `cwd` if given; kill it afterwards."""
    require_tmux()
    session = f"bridge-test-{uuid.uuid4().hex[:8]}"
    # COLUMNS/LINES (set by some test runners) would pin Textual's size: drop them.
    full_env = {
        **{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
        "TERM": "xterm-256color",
        **(env or {}),
    }
    exports = " ".join(shlex.quote(f"{k}={v!s}") for k, v in (env or {}).items())
    command = [str(BRIDGE), *(["--db", str(db)] if db is not None else []), "--as", "e2e", *args]
    app = f"{exports} {shlex.join(command)}".strip()
    # A new tmux server may start the command before the window has its final size; wait
    # until the terminal reports it, so the app never starts (and stays) at 80x24.
    script = (
        "for i in $(seq 200); do set -- $(stty size); "
        f'[ "$1 $2" = "{height} {width}" ] && break; sleep 0.05; done; exec env {app}'
    )
    cmd = f"sh -c {shlex.quote(script)}"
    subprocess.run(
        _tmux(
            session,
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            str(width),
            "-y",
            str(height),
            *(["-c", str(cwd)] if cwd is not None else []),
            cmd,
        ),
        check=True,
        env=full_env,
    )
    term = Terminal(session)
    try:
        yield term
    finally:
        subprocess.run(_tmux(session, "kill-server"), capture_output=True)
