"""A file too large for the full check on open gets SQLite's quick check, which reads every page
(a third of a second at 10,000 initiatives). Its verdict is remembered by the file's identity
and change times (`checked.stat_mark`), so opening the same unchanged file again does not read
it all again (issue 13), and any change to the file, damage included, is checked again."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from bridge_tui.errors import BadFile
from bridge_tui.store import Store, checked, checks
from tests import badfiles


@pytest.fixture
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file the quick check read, in order; every file counts as large."""
    monkeypatch.setattr(checks, "FULL_CHECK_BYTES", 0)
    seen: list[str] = []
    real = sqlite3.connect

    def connect(*args: object, **kw: object) -> sqlite3.Connection:
        conn = real(*args, **kw)  # type: ignore[arg-type]
        name = Path(str(args[0]).split("?")[0]).name

        def trace(statement: str) -> None:
            if "quick_check" in statement:
                seen.append(name)

        conn.set_trace_callback(trace)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return seen


def _open_close(path: Path) -> None:
    Store.open(path).close()


def test_an_unchanged_file_is_quick_checked_once(tmp_path: Path, quick_checks: list[str]) -> None:
    good = badfiles.good_file(tmp_path / "good.db")
    quick_checks.clear()  # building it opened it
    _open_close(good)
    _open_close(good)
    _open_close(good)
    assert quick_checks == ["good.db"]


def test_a_save_is_checked_again(tmp_path: Path, quick_checks: list[str]) -> None:
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    quick_checks.clear()
    badfiles.sql(good, "UPDATE initiatives SET summary = summary || '.'")
    _open_close(good)
    _open_close(good)
    assert quick_checks == ["good.db"]


def test_a_copy_is_another_file(tmp_path: Path, quick_checks: list[str]) -> None:
    """Same bytes, even the same times (`cp -p`): another file, checked."""
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    quick_checks.clear()
    copy = tmp_path / "copy.db"
    shutil.copy2(good, copy)
    _open_close(copy)
    assert quick_checks == ["copy.db"]


def test_damage_after_it_passed_is_found(tmp_path: Path, quick_checks: list[str]) -> None:
    """A page garbled in place, its times put back as they were: the status-change time
    still moved, so the file is read again and refused."""
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    before = os.stat(good)
    garbled = badfiles.garbled_page(good, tmp_path)
    os.replace(garbled, good)  # another inode now, as an editor's save would make
    os.utime(good, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(BadFile, match="damaged"):
        Store.open(good)


def test_damage_written_in_place_is_found(tmp_path: Path, quick_checks: list[str]) -> None:
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    before = os.stat(good)
    data = bytearray(good.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = bytes((n * 131 + 7) % 256 for n in range(page))
    with open(good, "r+b") as f:  # the same inode, written over
        f.write(bytes(data))
    os.utime(good, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(good).st_ino == before.st_ino
    with pytest.raises(BadFile, match="damaged"):
        Store.open(good)


def test_other_checking_code_checks_again(
    tmp_path: Path, quick_checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    quick_checks.clear()
    monkeypatch.setattr(checked, "_checker", lambda: b"a later bridge")
    _open_close(good)
    _open_close(good)
    assert quick_checks == ["good.db"]


def test_the_mark_is_not_a_content_mark(tmp_path: Path) -> None:
    """Stat marks and content hashes never collide: a stat mark starts with "q"."""
    good = badfiles.good_file(tmp_path / "good.db")
    mark = checked.stat_mark(good)
    assert mark is not None and mark.startswith("q") and len(mark) == 65
    assert checked.stat_mark(tmp_path / "missing.db") is None
