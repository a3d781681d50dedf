"""Run `bridge serve` in a process of its own, as a person would, and read the link it prints."""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BRIDGE = Path(sys.executable).with_name("bridge")
URL = re.compile(r"http://\S+")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bridge_argv() -> list[str]:
    """The installed command when there is one, else the same code through `-m`."""
    return [str(BRIDGE)] if BRIDGE.exists() else [sys.executable, "-m", "bridge_tui"]


@dataclass
class Served:
    url: str
    port: int
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str | None:
        found = re.search(r"[?&]token=([\w-]+)", self.url)
        return found.group(1) if found else None


@contextmanager
def serving(db: Path, *args: str, author: str = "browser") -> Iterator[Served]:
    """`bridge --db DB --as AUTHOR serve ARGS...` until the block ends, then Ctrl+C (SIGINT),
    and the server must stop cleanly."""
    port = free_port()
    process = subprocess.Popen(
        [*bridge_argv(), "--db", str(db), "--as", author, "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    url = None
    try:
        # the whole banner: the link, who may open it, how to stop
        while not seen or "Ctrl+C" not in seen[-1]:
            line = lines.get(timeout=60)
            if line is None:
                raise AssertionError("bridge serve stopped before it started:\n" + "".join(seen))
            seen.append(line)
            found = URL.search(line)
            url = url or (found.group(0) if found else None)
        assert url is not None, "".join(seen)
        served = Served(url, port, process, seen)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError("bridge serve did not stop on Ctrl+C") from None
        while (line := lines.get(timeout=10)) is not None:
            seen.append(line)
    assert process.returncode == 0, "".join(seen)
    assert "Stopped serving the board." in "".join(seen)
