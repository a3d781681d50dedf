"""Every file bridge writes for a person (reports, exports, minutes, shared copies) goes here.

One rule set, so no command can get it wrong on its own:

- never onto the open bridge file, its journal or its `-wal`/`-shm` side files (compared by
  resolved path and by device and inode, so a symlink or a hard link to it is caught too),
  not even with `force`;
- never onto an existing file unless `force`; an existing symlink counts as an existing file,
  and `force` replaces the link itself, never the file it points to;
- never onto a folder, a pipe, a device or a socket;
- the bytes go to a temporary file in the same folder, are flushed to disk, and only then
  renamed into place: a reader sees the old file or the whole new one, never half of it;
- the new file gets the permissions the user's umask gives any new file (not mkstemp's 0600).

Without `force` the final step is a hard link, which the operating system refuses if the name
appeared in the meantime, so "never overwrites" holds even against a race. Every refusal is one
sentence (`BadFile`, exit 2) saying that nothing was written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from bridge_tui.errors import BadFile, OutputExists

#: the side files SQLite keeps next to a database while it is open or after a crash
SIDE_FILES = ("-journal", "-wal", "-shm")

_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux).

    Elsewhere it is read by setting and restoring it under a lock; a thread creating a file at
    that instant outside this module could see a umask of 0o077, never a looser one.
    """
    with (
        contextlib.suppress(OSError, ValueError, IndexError),
        open("/proc/self/status", encoding="ascii", errors="replace") as fh,
    ):
        for line in fh:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _umask_lock:
        old = os.umask(0o077)
        os.umask(old)
    return old


def new_file_mode() -> int:
    """What `open(path, "w")` would give a new file: 0o666 less the umask."""
    return 0o666 & ~current_umask()


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_target(
    path: Path | str,
    *,
    force: bool = False,
    database: Path | str | None = None,
    exists_hint: str = "add --force to replace it",
) -> Path:
    """Refuse a target the rules above forbid; returns the path to write (user home expanded).

    `database` is the open bridge file: it and its side files are refused even with `force`.

    `exists_hint` finishes the sentence for an existing file ("choose another name" where no
    `--force` is offered)."""
    raw = str(path)
    if not raw.strip():
        raise BadFile("give a file name to write to; nothing was written.")
    target = Path(raw).expanduser()
    if database is not None:
        db = Path(database)
        if _same_file(target, db):
            also = "" if target == db else f" ({db.name}, under another name)"
            raise BadFile(
                f"{target} is the open bridge file{also}; write to another file, nothing was "
                "written."
            )
        real = Path(os.path.realpath(db))
        for suffix in SIDE_FILES:
            sides = (db.with_name(db.name + suffix), real.with_name(real.name + suffix))
            if any(_same_file(target, side) for side in sides):
                raise BadFile(
                    f"{target} is the {suffix[1:]} file of the open bridge file; write to "
                    "another file, nothing was written."
                )
    folder = target.parent
    if not folder.exists():
        raise BadFile(f"the folder {folder} does not exist; nothing was written.")
    if not folder.is_dir():
        raise BadFile(f"{folder} is not a folder; nothing was written.")
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise BadFile(
            f"{target} cannot be checked ({_reason(exc)}); nothing was written."
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise BadFile(f"{target} is a folder; give a file name, nothing was written.")
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
        raise BadFile(
            f"{target} is not a regular file (a pipe, device or socket); nothing was written."
        )
    if not force:
        kind = "a link" if stat.S_ISLNK(st.st_mode) else "a file"
        raise OutputExists(
            f"{target} already exists ({kind}); {exists_hint}, nothing was written.", target
        )
    return target


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the drive is read-only"
    if exc.errno == errno.ENOSPC:
        return "the drive is full"
    if exc.errno == errno.EDQUOT:
        return "over the disk quota"
    return (exc.strerror or type(exc).__name__).lower()


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _place(tmp: Path, target: Path, *, force: bool, exists_hint: str) -> None:
    """Move the finished temporary file to its name: replace with `force`, else only if the
    name is still free (a hard link fails when it is not; no link support: check, then
    rename)."""
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target, follow_symlinks=False)
    except FileExistsError:
        raise OutputExists(
            f"{target} already exists; {exists_hint}, nothing was written.", target
        ) from None
    except (OSError, NotImplementedError) as exc:
        if isinstance(exc, OSError) and exc.errno not in (
            errno.EPERM,
            errno.ENOTSUP,
            errno.EOPNOTSUPP,
            errno.EXDEV,
            errno.EMLINK,
            errno.ENOSYS,
        ):
            raise
        if os.path.lexists(target):
            raise OutputExists(
                f"{target} already exists; {exists_hint}, nothing was written.", target
            ) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def create_output(
    path: Path | str,
    fill: Callable[[Path], None],
    *,
    force: bool = False,
    database: Path | str | None = None,
    exists_hint: str = "add --force to replace it",
) -> Path:
    """Write a file through `fill(tmp)`, which writes the whole content to `tmp` (an empty file
    in the target's folder), then put it in place by the rules above; returns the path.

    `fill` may raise; the temporary file is then removed and the target left as it was.
    """
    target = check_target(path, force=force, database=database, exists_hint=exists_hint)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise BadFile(
            f"cannot write to the folder {target.parent} ({_reason(exc)}); nothing was written."
        ) from None
    os.close(fd)
    tmp = Path(name)
    try:
        fill(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, new_file_mode())
        _place(tmp, target, force=force, exists_hint=exists_hint)
    except OSError as exc:
        _discard(tmp)
        raise BadFile(
            f"{target} could not be written ({_reason(exc)}); nothing was written."
        ) from None
    except BaseException:
        _discard(tmp)
        raise
    _fsync_folder(target.parent)
    return target


def _discard(tmp: Path) -> None:
    for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in SIDE_FILES)):
        with contextlib.suppress(OSError):
            leftover.unlink()


def write_output(
    path: Path | str,
    data: str | bytes,
    *,
    force: bool = False,
    database: Path | str | None = None,
    exists_hint: str = "add --force to replace it",
) -> Path:
    """`create_output` for text (UTF-8, newlines as given) or bytes."""
    payload = data.encode("utf-8") if isinstance(data, str) else data

    def fill(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(payload)

    return create_output(path, fill, force=force, database=database, exists_hint=exists_hint)


def free_name(path: Path | str) -> Path:
    """`path`, or the first of `stem-2.ext`, `stem-3.ext`... that does not exist yet."""
    path = Path(path)
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
