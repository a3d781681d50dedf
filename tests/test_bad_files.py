"""Every command against the corpus of bad files (`tests/badfiles.py`): a damaged, doctored or
foreign file is refused with one line on stderr and exit 2, and neither it nor anything beside
it changes (bytes, modification time, no side files). A file that is readable but cannot be
trusted (schema objects bridge did not create, a forged stamp, rows that disagree with their
log) opens read-only: reading works, every write is refused with what was found. A teammate's
copy with any of these faults is refused whole by a merge, and a doctored export by import.

Each kind is built once per module and copied per test, so the whole corpus runs in seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from bridge_tui.errors import BadFile
from bridge_tui.store import Store
from bridge_tui.tui.app import build_app
from tests import badfiles as bf
from tests.cli_run import Run, runner
from tests.conftest import FROZEN_TODAY

OLD = 1_600_000_000_000_000_000  # an mtime no command could leave behind by accident

#: command name -> its arguments (OUT names a path in the test's folder)
COMMANDS: dict[str, tuple[str, ...]] = {
    "list": ("list",),
    "show": ("show", bf.NAME),
    "add": ("add", "A new one"),
    "edit": ("edit", bf.NAME, "--owner", "Bob"),
    "answer": ("answer", bf.NAME, "D1", "yes"),
    "report": ("report",),
    "export": ("export",),
    "history": ("history",),
    "share": ("share", "OUT"),
    "check": ("check",),
}
#: refused on a file bridge will not write to (`check` reports what it found, exit 2)
WRITES = {"add", "edit", "answer", "share", "check"}


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    return runner(monkeypatch, capsys)


# the corpus, built once ----------------------------------------------------------------------

ALL = {**bf.REFUSED, **bf.READ_ONLY, **bf.COLLIDING}


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """kind -> a folder holding that kind of bad file (as bad.db, with anything beside it)."""
    root = tmp_path_factory.mktemp("corpus")
    good = bf.good_file(root / "good.db")
    out = {"good": root}
    for n, (kind, (build, _)) in enumerate(ALL.items()):
        folder = root / f"kind{n}"
        folder.mkdir()
        build(good, folder)
        out[kind] = folder
    return out


def _copy_folder(source: Path, target: Path) -> None:
    for entry in source.iterdir():
        mode = os.lstat(entry).st_mode
        if stat.S_ISFIFO(mode):
            os.mkfifo(target / entry.name)
        elif stat.S_ISDIR(mode):
            shutil.copytree(entry, target / entry.name)
        else:
            shutil.copyfile(entry, target / entry.name)


@pytest.fixture
def corpus(templates: dict[str, Path], tmp_path: Path) -> Callable[[str], Path]:
    """`corpus(kind)`: a private copy of that bad file (mtime set far in the past)."""

    def make(kind: str) -> Path:
        folder = tmp_path / "bad"
        folder.mkdir()
        _copy_folder(templates[kind], folder)
        for entry in folder.iterdir():
            if entry.is_file():
                os.utime(entry, ns=(OLD, OLD))
        return folder / "bad.db"

    return make


@pytest.fixture
def good(templates: dict[str, Path], tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    path = folder / "mine.db"
    shutil.copyfile(templates["good"] / "good.db", path)
    os.utime(path, ns=(OLD, OLD))
    return path


def state(folder: Path) -> dict[str, object]:
    """What a folder holds: each entry's kind, bytes and mtime (no side file may appear)."""
    out: dict[str, object] = {}
    for entry in sorted(folder.iterdir()):
        st = os.lstat(entry)
        if stat.S_ISREG(st.st_mode):
            out[entry.name] = ("file", entry.read_bytes(), st.st_mtime_ns)
        elif stat.S_ISDIR(st.st_mode):
            out[entry.name] = ("dir", state(entry))
        else:
            out[entry.name] = ("other", stat.S_IFMT(st.st_mode))
    return out


def one_line(err: str) -> str:
    assert err.startswith("bridge: "), err
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err and "unexpected error" not in err, err
    return err


def args_for(command: str, folder: Path) -> tuple[str, ...]:
    return tuple(str(folder / "copy.db") if a == "OUT" else a for a in COMMANDS[command])


# a bad file, every command -------------------------------------------------------------------


@pytest.mark.parametrize("command", [*COMMANDS, "import"])
@pytest.mark.parametrize("kind", list(bf.REFUSED))
def test_a_bad_file_is_refused_by_every_command(
    kind: str, command: str, corpus: Callable[[str], Path], run: Run, tmp_path: Path
) -> None:
    path = corpus(kind)
    before = state(path.parent)
    if command == "import":  # the bad file as an export to import into a new file
        target = tmp_path / "new.db"
        result = run("--db", str(target), "import", str(path))
        assert not target.exists()
    else:
        result = run("--db", str(path), *args_for(command, tmp_path))
        assert bf.REFUSED[kind][1] in result.err
    assert result.code == 2
    one_line(result.err)
    assert state(path.parent) == before
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("kind", list(bf.READ_ONLY))
def test_an_untrusted_file_is_read_but_never_written(
    kind: str, command: str, corpus: Callable[[str], Path], run: Run, tmp_path: Path
) -> None:
    path = corpus(kind)
    before = state(path.parent)
    result = run("--db", str(path), *args_for(command, tmp_path))
    if command in WRITES:
        assert result.code == 2, result
        assert bf.READ_ONLY[kind][1] in one_line(result.err)
        assert not (tmp_path / "copy.db").exists()
    else:
        assert (result.code, result.err) == (0, ""), result
        assert result.out
    assert state(path.parent) == before


@pytest.mark.parametrize("kind", list(ALL))
def test_a_bad_copy_is_refused_whole_by_a_merge(
    kind: str, corpus: Callable[[str], Path], good: Path, run: Run
) -> None:
    other = corpus(kind)
    theirs, mine = state(other.parent), state(good.parent)
    for dry in ((), ("--dry-run",)):
        result = run("--db", str(good), "merge", str(other), *dry)
        assert result.code == 2, result
        message = one_line(result.err)
        assert "nothing was merged" in message
        if kind in bf.READ_ONLY or kind in bf.COLLIDING:
            assert ALL[kind][1] in message
    assert state(other.parent) == theirs
    assert state(good.parent) == mine


@pytest.mark.parametrize("kind", list(bf.REFUSED) + list(bf.READ_ONLY))
def test_the_app_refuses_or_opens_read_only(kind: str, corpus: Callable[[str], Path]) -> None:
    path = corpus(kind)
    before = state(path.parent)
    if kind in bf.REFUSED:
        with pytest.raises(BadFile) as info:
            build_app(path, author="tester", today=FROZEN_TODAY)
        assert bf.REFUSED[kind][1] in info.value.message
        assert "\n" not in info.value.message
    else:
        app = build_app(path, author="tester", today=FROZEN_TODAY)
        try:
            assert app.service.read_only
            reason = app.service.read_only_reason
            assert reason and bf.READ_ONLY[kind][1] in reason
            assert "READ-ONLY" in app.sub_title
        finally:
            app.service.close()
    assert state(path.parent) == before


async def test_the_app_shows_why_it_is_read_only(corpus: Callable[[str], Path]) -> None:
    path = corpus("foreign trigger")
    before = state(path.parent)
    app = build_app(path, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#readonly-banner")
        shown = str(banner.render())
        assert "READ-ONLY" in shown and "a trigger 'evil'" in shown
        await pilot.press("n")  # a new initiative: refused with the same reason
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any("a trigger 'evil'" in n for n in notes)
    app.service.close()
    assert state(path.parent) == before


# read-only opens never leave anything behind --------------------------------------------------


def hot_bridge_journal(folder: Path, good: Path) -> Path:
    """A bridge file whose writer stopped mid-save, its journal beside it."""
    path = folder / "p.db"
    shutil.copyfile(good, path)
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE initiatives SET summary = ?", ("z" * 3000,))
    conn.execute("UPDATE changes SET author = author || 'x'")
    snap = folder / "snap"
    snap.mkdir()
    shutil.copyfile(path, snap / "p.db")
    shutil.copyfile(folder / "p.db-journal", snap / "p.db-journal")
    conn.execute("ROLLBACK")
    conn.close()
    shutil.move(snap / "p.db", path)
    shutil.move(snap / "p.db-journal", folder / "p.db-journal")
    snap.rmdir()
    return path


@pytest.mark.parametrize("case", ["WAL mode", "hot journal, bridge file"])
def test_read_only_never_creates_or_changes_a_file(
    case: str, corpus: Callable[[str], Path], good: Path, run: Run, tmp_path: Path
) -> None:
    if case == "WAL mode":
        path = corpus("WAL mode")
    else:
        folder = tmp_path / "hot"
        folder.mkdir()
        path = hot_bridge_journal(folder, good)
    before = state(path.parent)
    result = run("--db", str(path), "--read-only", "list")
    assert result.code == 2
    one_line(result.err)
    assert state(path.parent) == before


def test_a_hot_journal_on_a_bridge_file_is_rolled_back_when_writable(
    good: Path, run: Run, tmp_path: Path
) -> None:
    """The one case where opening changes a file: bridge's own unfinished save is undone."""
    folder = tmp_path / "hot"
    folder.mkdir()
    path = hot_bridge_journal(folder, good)
    result = run("--db", str(path), "list")
    assert result.code == 0 and bf.NAME in result.out
    assert not (folder / "p.db-journal").exists()
    store = Store.open(path, read_only=True)
    try:
        assert store.refusal is None and store.integrity() == "ok"
        assert all("z" * 10 not in i.summary for i in store.initiatives())
    finally:
        store.close()


# import --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_export(templates: dict[str, Path]) -> dict[str, object]:
    return bf.export_doc(templates["good"] / "good.db")


def test_the_good_export_imports(good_export: dict[str, object], run: Run, tmp_path: Path) -> None:
    """The baseline the doctored exports below start from is accepted as it is."""
    source = tmp_path / "good.json"
    source.write_text(json.dumps(good_export))
    result = run("--db", str(tmp_path / "new.db"), "import", str(source))
    assert result.code == 0, result


@pytest.mark.parametrize("kind", list(bf.BAD_EXPORTS))
def test_a_doctored_export_is_not_imported(
    kind: str, good_export: dict[str, object], run: Run, tmp_path: Path
) -> None:
    doctor, words = bf.BAD_EXPORTS[kind]
    doc = json.loads(json.dumps(good_export))
    doctor(doc)
    folder = tmp_path / "in"
    folder.mkdir()
    source = folder / "doctored.json"
    source.write_text(json.dumps(doc))
    before = state(folder)
    target = tmp_path / "new.db"
    result = run("--db", str(target), "import", str(source))
    assert result.code == 2, result
    assert words in one_line(result.err)
    assert not target.exists() and not (tmp_path / "new.db-journal").exists()
    assert state(folder) == before


# a copy too big for the full check ------------------------------------------------------------

#: what a merge of a big copy still refuses: anything in what it would take, and anything that
#: is structurally foreign; a doctored row nothing new touches is left where it is
TAKEN = [
    "foreign trigger",
    "foreign table",
    "stamp far future",
    "stamp garbage",
    "dangling reference",
    "same change, other content",
    "same id created twice",
]


@pytest.mark.parametrize("kind", TAKEN)
def test_a_big_copy_is_checked_for_what_the_merge_takes(
    kind: str,
    corpus: Callable[[str], Path],
    good: Path,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bridge_tui.store import checks

    monkeypatch.setattr(checks, "FULL_CHECK_BYTES", 0)
    other = corpus(kind)
    theirs, mine = state(other.parent), state(good.parent)
    result = run("--db", str(good), "merge", str(other))
    assert result.code == 2, result
    assert ALL[kind][1] in one_line(result.err)
    assert state(other.parent) == theirs and state(good.parent) == mine


def test_a_big_copy_with_a_doctored_row_nothing_new_touches_adds_nothing(
    corpus: Callable[[str], Path], good: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bridge_tui.store import checks

    monkeypatch.setattr(checks, "FULL_CHECK_BYTES", 0)
    other = corpus("row against log")
    mine = state(good.parent)
    result = run("--db", str(good), "merge", str(other))
    assert result.code == 0 and "nothing this file does not already have" in result.out
    assert state(good.parent) == mine


# error messages never claim a rollback that did not happen -----------------------------------


@pytest.mark.parametrize("after", [False, True], ids=["before saving", "after saving"])
def test_an_unexpected_error_says_whether_a_change_was_saved(
    after: bool, good: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bridge_tui.service import Service

    real = Service.add_initiative

    def failing(self: Service, *args: object, **kwargs: object) -> object:
        if after:
            real(self, *args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("boom")

    monkeypatch.setattr(Service, "add_initiative", failing)
    result = run("--db", str(good), "add", "Something")
    assert result.code == 2
    message = result.err
    assert message.startswith("bridge: unexpected error (RuntimeError: boom)")
    assert message.count("\n") == 1 and "Traceback" not in message
    assert ("a change was saved before it happened" in message) is after
    assert ("nothing was saved" in message) is not after
    store = Store.open(good, read_only=True)
    try:
        assert ("Something" in [i.name for i in store.initiatives()]) is after
    finally:
        store.close()


def test_check_gives_a_big_file_the_full_check(
    corpus: Callable[[str], Path], good: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the size the full check runs on open, a doctored row opens writable; `bridge check`
    finds it (and the good file passes)."""
    from bridge_tui.store import checks

    monkeypatch.setattr(checks, "FULL_CHECK_BYTES", 0)
    result = run("--db", str(good), "check")
    assert result.code == 0 and "passed every check" in result.out, result
    path = corpus("row against log")
    before = state(path.parent)
    assert run("--db", str(path), "list").code == 0
    result = run("--db", str(path), "check")
    assert result.code == 2
    assert "is not what its change log says" in one_line(result.err)
    assert state(path.parent) == before


def test_a_copy_torn_at_any_page_is_never_merged(
    templates: dict[str, Path], tmp_path: Path
) -> None:
    """`cp` while a save runs reads some pages from before the save and some from after: at
    every page where the tear can fall, either way round, the merge refuses the copy."""
    from bridge_tui.clock import Clock
    from bridge_tui.errors import BridgeError
    from bridge_tui.service import Service

    good_path = templates["good"] / "good.db"
    before = good_path.read_bytes()
    later = tmp_path / "later.db"
    shutil.copyfile(good_path, later)
    store = Store.open(later, seed=8)
    svc = Service(store, "maya", Clock.fixed(bf.NOW))
    for n in range(12):
        svc.answer(svc.create_initiative(f"Later {n}", summary="x" * 300), "D2", "no", "y" * 200)
    store.close()
    after = later.read_bytes()
    page = 4096
    torn: list[bytes] = []
    for cut_at in range(page, len(after), page):
        torn.append(after[:cut_at] + before[cut_at:] + after[len(before) :])
        torn.append(before[:cut_at] + after[cut_at:])
    torn = [t for t in torn if t not in (before, after)]
    assert len(torn) > 20
    mine = tmp_path / "mine.db"
    shutil.copyfile(good_path, mine)
    original = mine.read_bytes()
    svc = Service(Store.open(mine), "me", Clock.fixed(bf.NOW))
    copy = tmp_path / "torn.db"
    try:
        for data in torn:
            copy.write_bytes(data)
            with pytest.raises(BridgeError, match="nothing was merged"):
                svc.merge(copy)
    finally:
        svc.close()
    assert mine.read_bytes() == original
