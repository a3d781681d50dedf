"""Files that passed the full check, remembered by their exact bytes, so opening the same
file again does not check it again.

The full check on open (`db.full_check`: SQLite's integrity check, every row through its
model, the change log and the kept moves and scores) takes a third of the start-up on a small
file, and most openings are of a file exactly as it was at the last one (its user's own copy,
opened again). Its verdict depends only on the file's bytes and on the code that checks them,
so a file whose bytes hash to one that passed, under the same checking code, passes again:
that is all this remembers. A byte changed anywhere (a teammate's save, a merge, damage) is
another file and is checked in full; so is any file after bridge or its checks change.

What is remembered is one empty marker per file that passed, named by the hash, in the user's
settings folder (`settings.config_dir()`); the newest `KEEP` stay. The memory is a
convenience: a folder that cannot be read or written just means the check runs.

A file too large for the full check on open gets SQLite's quick check instead, which reads
every page (a third of a second at 10,000 initiatives); hashing it would cost as much, so
that verdict is remembered by the file's identity and change times (`stat_mark`)."""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

#: how many passed files are remembered (the oldest are forgotten first)
KEEP = 64
FOLDER = "checked"

#: the modules whose code decides the full check's verdict: a change to any of them (or to
#: bridge's version) makes every remembered file unknown again
_CHECKING_MODULES = (
    "bridge_tui.models",
    "bridge_tui.method",
    "bridge_tui.hlc",
    "bridge_tui.store.checks",
    "bridge_tui.store.db",
    "bridge_tui.store.flowlog",
    "bridge_tui.store.rows",
    "bridge_tui.store.schema",
    "bridge_tui.store.scorelog",
    "bridge_tui.store.verify",
    "bridge_tui.scoring.stored",
)


def _folder() -> Path:
    from bridge_tui import settings

    return settings.config_dir() / FOLDER


@cache
def _checker() -> bytes:
    """Who checks: bridge's version and the source of every checking module."""
    import importlib.util

    from bridge_tui import __version__

    h = hashlib.sha256(f"bridge {__version__}\n".encode())
    for name in _CHECKING_MODULES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        h.update(name.encode() + b"\n")
        h.update(Path(origin).read_bytes() if origin else b"?")
    return h.digest()


def fingerprint(path: Path) -> str | None:
    """The hash of the file's bytes under this checking code; None when it cannot be read
    (then nothing is remembered or looked up). Call it while holding the file's read lock, so
    the bytes hashed are the bytes checked."""
    try:
        data = path.read_bytes()
        return hashlib.sha256(_checker() + data).hexdigest()
    except OSError:
        return None


def stat_mark(path: Path) -> str | None:
    """What SQLite's quick check on open is remembered by, for a file too large to hash at
    every opening (`checks.FULL_CHECK_BYTES`): the file's identity and its last change as the
    file system keeps them (device, inode, size, modification and status-change times to the
    nanosecond), under this checking code. Any write to the file moves its times, and the
    status-change time cannot be set back by a user, so a file changed since it passed is
    another mark. None when it cannot be read. Call it while holding the file's read lock."""
    try:
        st = os.stat(path)
        where = os.path.realpath(path)
    except OSError:
        return None
    who = f"quick\n{where}\n{st.st_dev}\n{st.st_ino}\n{st.st_size}\n"
    who += f"{st.st_mtime_ns}\n{st.st_ctime_ns}\n"
    return "q" + hashlib.sha256(_checker() + who.encode()).hexdigest()


def passed(mark: str) -> bool:
    """A file with these bytes passed the full check before."""
    try:
        return (_folder() / mark).is_file()
    except OSError:
        return False


def remember(mark: str) -> None:
    """This file passed: its next opening, bytes unchanged, skips the check. The oldest marks
    beyond `KEEP` are dropped. Never fails: a folder that cannot be written is ignored."""
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / mark).touch()
        marks = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns)
        for old in marks[:-KEEP]:
            os.unlink(old)
    except OSError:
        return
