"""Is the file on a network or FUSE drive? SQLite's locks are only as good as the drive's.

On such drives two people writing at once can wait on slow or unreliable locks, so the app says
so once, in its header. The answer is best-effort and never raises: when it cannot tell, it says
nothing.

- Linux: the file's mount in `/proc/self/mountinfo` (longest matching mount point) and its file
  system type: nfs, nfs4, cifs, smb3, smbfs, 9p, sshfs, any `fuse.*` (rclone, gcsfuse...), ceph,
  glusterfs, lustre, afs, davfs and similar.
- Windows: a UNC path (``\\\\server\\share``) or a drive letter that `GetDriveTypeW` reports as
  remote (a mapped network drive).
- macOS and the BSDs: `statfs()` and its `MNT_LOCAL` flag (clear on nfs, smbfs, afpfs, webdav
  and osxfuse/macFUSE mounts); the file system name is reported alongside.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

#: file system types (the third column after " - " in mountinfo) that live across a network
NETWORK_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "gpfs",
        "beegfs",
        "davfs",
        "fuse",
        "sshfs",
        "ocfs2",
        "gfs2",
        "virtiofs",
    }
)


def _unescape(field: str) -> str:
    r"""mountinfo writes space, tab, newline and backslash as \040, \011, \012, \134."""
    out, i = [], 0
    while i < len(field):
        code = field[i + 1 : i + 4]
        if field[i] == "\\" and len(code) == 3 and code.isdigit():
            out.append(chr(int(code, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def is_network_type(fstype: str) -> bool:
    fstype = fstype.lower()
    if fstype == "fuseblk":  # a local disk through FUSE (ntfs-3g, exfat)
        return False
    return fstype in NETWORK_TYPES or fstype.startswith("fuse.") or fstype.startswith("nfs")


def mount_type(path: str, mountinfo: str) -> str | None:
    """The file system type of the mount holding `path` (an absolute, resolved path)."""
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        parts = left.split()
        rest = right.split()
        if len(parts) < 5 or not rest:
            continue
        mount_point = _unescape(parts[4])
        inside = path == mount_point or path.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) >= best[0]):
            best = (len(mount_point), rest[0])
    return best[1] if best else None


def _linux(path: Path) -> str | None:
    try:
        info = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fstype = mount_type(str(path), info)
    if fstype is not None and is_network_type(fstype):
        return fstype
    return None


def _windows(path: Path) -> str | None:  # pragma: no cover - exercised on Windows only
    text = str(path)
    if text.startswith("\\\\"):
        return "network share"
    import ctypes

    drive = os.path.splitdrive(text)[0]
    if not drive:
        return None
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    drive_remote = 4
    if kernel32.GetDriveTypeW(drive + "\\") == drive_remote:
        return "network drive"
    return None


def _bsd(path: Path) -> str | None:  # pragma: no cover - exercised on macOS/BSD only
    import ctypes
    import ctypes.util

    class StatFs(ctypes.Structure):
        # macOS 64-bit-inode `struct statfs`
        _fields_ = [
            ("f_bsize", ctypes.c_uint32),
            ("f_iosize", ctypes.c_int32),
            ("f_blocks", ctypes.c_uint64),
            ("f_bfree", ctypes.c_uint64),
            ("f_bavail", ctypes.c_uint64),
            ("f_files", ctypes.c_uint64),
            ("f_ffree", ctypes.c_uint64),
            ("f_fsid", ctypes.c_int32 * 2),
            ("f_owner", ctypes.c_uint32),
            ("f_type", ctypes.c_uint32),
            ("f_flags", ctypes.c_uint32),
            ("f_fssubtype", ctypes.c_uint32),
            ("f_fstypename", ctypes.c_char * 16),
            ("f_mntonname", ctypes.c_char * 1024),
            ("f_mntfromname", ctypes.c_char * 1024),
            ("f_reserved", ctypes.c_uint32 * 8),
        ]

    if sys.platform != "darwin":
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    statfs = libc.statfs64 if hasattr(libc, "statfs64") else libc.statfs
    buf = StatFs()
    if statfs(os.fsencode(str(path)), ctypes.byref(buf)) != 0:
        return None
    mnt_local = 0x00001000
    if buf.f_flags & mnt_local:
        return None
    return buf.f_fstypename.decode(errors="replace") or "network drive"


def network_fs(path: Path | str) -> str | None:
    """The kind of network or FUSE file system holding `path`, or None (local, or unknown)."""
    with contextlib.suppress(Exception):
        resolved = Path(path).resolve()
        if sys.platform.startswith("linux"):
            return _linux(resolved)
        if sys.platform == "win32":
            return _windows(resolved)
        if sys.platform == "darwin":
            return _bsd(resolved)
    return None
