"""A file that passed the full check on open is not checked again while its bytes stay the
same (issue 13: a third of a small file's start-up), and nothing else is let through: a byte
changed, the checking code changed, `bridge check`, an unwritable memory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bridge_tui.errors import BadFile
from bridge_tui.store import Store, checked
from bridge_tui.store import db as dbmod
from tests import badfiles


@pytest.fixture
def content_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every file whose rows the full check read, in order."""
    seen: list[str] = []
    real = dbmod._check_content

    def spy(conn: object, path: Path) -> str | None:
        seen.append(path.name)
        return real(conn, path)  # type: ignore[arg-type]

    monkeypatch.setattr(dbmod, "_check_content", spy)
    return seen


def _open_close(path: Path) -> Store:
    store = Store.open(path)
    store.close()
    return store


def test_the_same_bytes_are_checked_once(tmp_path: Path, content_checks: list[str]) -> None:
    good = badfiles.good_file(tmp_path / "good.db")
    first, second = _open_close(good), _open_close(good)
    assert content_checks == ["good.db"]  # the second opening read no row
    assert first.fully_checked and second.fully_checked
    assert first.refusal is None and second.refusal is None
    copy = shutil.copyfile(good, tmp_path / "copy.db")  # another name, the same bytes
    _open_close(copy)
    assert content_checks == ["good.db"]


def test_a_save_makes_it_another_file(tmp_path: Path, content_checks: list[str]) -> None:
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    badfiles.sql(good, "UPDATE initiatives SET summary = summary")  # a write, bytes change
    _open_close(good)
    assert content_checks == ["good.db", "good.db"]


def test_a_file_doctored_after_it_passed_is_refused(
    tmp_path: Path, content_checks: list[str]
) -> None:
    """It passed once; then another program changed a row without its log: checked again."""
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    badfiles.sql(
        good, "UPDATE initiatives SET owner = 'Mallory' WHERE name = ?", params=(badfiles.NAME,)
    )
    store = Store.open(good)
    try:
        assert store.refusal is not None  # opened read-only with the reason, as before
        assert not store.fully_checked
    finally:
        store.close()
    assert len(content_checks) == 2


def test_damage_after_it_passed_is_refused(tmp_path: Path) -> None:
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    flipped = badfiles.flipped_index_key(good, tmp_path)
    with pytest.raises(BadFile, match="damaged"):
        Store.open(flipped)


def test_other_checking_code_checks_again(
    tmp_path: Path, content_checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    monkeypatch.setattr(checked, "_checker", lambda: b"a later bridge")
    _open_close(good)
    _open_close(good)
    assert content_checks == ["good.db", "good.db"]


def test_the_checker_is_the_checking_code() -> None:
    """Every module that decides the verdict is part of the checker's identity."""
    import bridge_tui.store.db
    import bridge_tui.store.verify

    sources = [m.__file__ for m in (bridge_tui.store.db, bridge_tui.store.verify)]
    assert all(s is not None and Path(s).is_file() for s in sources)
    assert "bridge_tui.store.verify" in checked._CHECKING_MODULES
    assert "bridge_tui.models" in checked._CHECKING_MODULES
    assert len(checked._checker()) == 32


def test_bridge_check_always_reads_everything(tmp_path: Path, content_checks: list[str]) -> None:
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    store = Store.open(good)
    try:
        store.full_check()
    finally:
        store.close()
    assert content_checks == ["good.db", "good.db"]


def test_an_unwritable_memory_only_means_checking(
    tmp_path: Path, content_checks: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be")
    monkeypatch.setenv("BRIDGE_CONFIG_DIR", str(blocked))
    good = badfiles.good_file(tmp_path / "good.db")
    _open_close(good)
    _open_close(good)
    assert content_checks == ["good.db", "good.db"]


def test_only_the_newest_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checked, "KEEP", 3)
    for n in range(5):
        checked.remember(f"{n:064x}")
        os.utime(checked._folder() / f"{n:064x}", ns=(n * 10**9, n * 10**9))
    checked.remember(f"{9:064x}")
    kept = sorted(p.name for p in checked._folder().iterdir())
    assert kept == [f"{3:064x}", f"{4:064x}", f"{9:064x}"]
    assert checked.passed(f"{9:064x}") and not checked.passed(f"{0:064x}")
