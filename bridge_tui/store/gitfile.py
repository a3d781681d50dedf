"""The file as git handles it: replaced under an open store, merged in git's temporary files,
read from old versions for a diff.

Git never edits a file in place: a checkout, a pull or a merge writes a new file and puts it
under the old name. A connection opened before still reads and writes the old, unlinked file,
so a save would vanish. `identity` tells the two apart (device and inode), the store refuses a
write once the path names another file, and the app reopens the path.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bridge_tui.errors import BadFile
from bridge_tui.store.repo import Store

#: (device, inode) of a file, or None when the path names nothing
Identity = tuple[int, int] | None


def identity(path: Path) -> Identity:
    """Which file the path names now (symlinks followed); None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def working_copy(target: Path, name: str) -> Iterator[Path]:
    """A copy of `target` (git's temporary file for our side of a merge) to change, named
    `name` so messages speak of the portfolio file rather than git's temporary name.

    On a clean exit the copy replaces `target` in one rename (flushed first, with `target`'s
    permissions); on an error `target` keeps every byte. The copy lives in a temporary folder
    beside `target` (a rename cannot cross drives), removed in every case, with anything an
    upgrade left beside it (the schema backup).
    """
    target = Path(target)
    folder = Path(tempfile.mkdtemp(prefix=".bridge-merge-", dir=target.resolve().parent))
    try:
        copy = folder / name
        try:
            shutil.copyfile(target, copy)
        except OSError as exc:
            raise BadFile(f"{target} cannot be read: {exc.strerror}.") from None
        yield copy
        mode = stat.S_IMODE(os.stat(target).st_mode)
        fd = os.open(copy, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(copy, mode)
        os.replace(copy, target)
        _fsync_dir(target.resolve().parent)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def incoming_copy(source: Path, folder: Path, name: str) -> Path:
    """A copy of git's temporary file for the other side, under a name a person recognises
    in a refusal ("incoming-portfolio.db is damaged...")."""
    copy = folder / f"incoming-{name}"
    try:
        shutil.copyfile(source, copy)
    except OSError as exc:
        raise BadFile(f"the incoming version of {name} cannot be read: {exc.strerror}.") from None
    return copy


@contextlib.contextmanager
def snapshot(path: Path, name: str | None = None) -> Iterator[Store]:
    """An old version of the file, opened only to read it (git's text conversion).

    Read-only on the path itself when it can be; a version of an older schema (or one a
    crashed writer left half-saved) is read from an upgraded temporary copy, so `git log -p`
    reads every version the repository holds. Nothing is ever written beside `path`.
    """
    path = Path(path)
    try:
        store = Store.open(path, read_only=True)
    except BadFile as first:
        folder = Path(tempfile.mkdtemp(prefix="bridge-dump-"))
        try:
            copy = folder / (name or path.name)
            shutil.copyfile(path, copy)
            with contextlib.suppress(OSError):
                os.chmod(copy, 0o600)
            try:
                store = Store.open(copy)
            except BadFile:
                raise first from None
            try:
                yield store
            finally:
                store.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        yield store
    finally:
        store.close()


def change_ids(store: Store) -> set[str]:
    """Every change-log id of the file (what a sync brought in is what is new after it)."""
    return {r[0] for r in store.conn.execute("SELECT change_id FROM changes")}
