"""Outputs never overwrite: every command that writes a file (report md/json/csv, export, share)
refuses the open bridge file, an existing file and a symlink, with exit 2 and one line, leaving
the target's bytes as they were; `--force` replaces an existing file (never the bridge file)
atomically, with the permissions the user's umask gives; the helper behind them all
(`store.outputs`) is tested on its own for the cases a command line cannot set up."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bridge_tui.errors import BadFile, OutputExists
from bridge_tui.store import outputs
from tests.cli_run import Run, cli_db, cli_run, cli_umask, one_line  # noqa: F401  (fixtures)


def leftovers(folder: Path) -> list[str]:
    """Temporary files an output left behind (there must be none)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


#: every command that writes a file: its arguments with the target as {}
WRITERS = {
    "report-md": ["report", "-o", "{}"],
    "report-json": ["report", "--format", "json", "-o", "{}"],
    "report-csv": ["report", "--format", "csv", "-o", "{}"],
    "export": ["export", "-o", "{}"],
    "share": ["share", "{}"],
}
FORCEABLE = [k for k in WRITERS if k != "share"]


def args_for(cmd: str, target: str, *extra: str) -> list[str]:
    return [target if a == "{}" else a for a in WRITERS[cmd]] + list(extra)


def _open_db(tmp_path: Path, db: Path) -> str:
    return "bridge.db"


def _db_absolute(tmp_path: Path, db: Path) -> str:
    return str(db.resolve())


def _db_dotted(tmp_path: Path, db: Path) -> str:
    (tmp_path / "sub").mkdir()
    return "sub/../bridge.db"


def _db_symlink(tmp_path: Path, db: Path) -> str:
    (tmp_path / "alias.db").symlink_to("bridge.db")
    return "alias.db"


def _db_hardlink(tmp_path: Path, db: Path) -> str:
    os.link(db, tmp_path / "hard.db")
    return "hard.db"


def _db_journal(tmp_path: Path, db: Path) -> str:
    return "bridge.db-journal"


ONTO_THE_DB = {
    "the open db": _open_db,
    "its absolute path": _db_absolute,
    "a dotted path to it": _db_dotted,
    "a symlink to it": _db_symlink,
    "a hard link to it": _db_hardlink,
    "its journal": _db_journal,
}


@pytest.mark.parametrize("where", ONTO_THE_DB)
@pytest.mark.parametrize("cmd", WRITERS)
@pytest.mark.parametrize("force", [False, True], ids=["", "force"])
def test_never_onto_the_open_database(
    run: Run, db: Path, tmp_path: Path, cmd: str, where: str, force: bool
) -> None:
    if force and cmd == "share":
        pytest.skip("share has no --force")
    target = ONTO_THE_DB[where](tmp_path, db)
    before = db.read_bytes()
    listing = sorted(p.name for p in tmp_path.iterdir())
    r = run(*args_for(cmd, target, *(["--force"] if force else [])))
    assert r.code == 2
    message = one_line(r)
    assert "open bridge file" in message and "nothing was written" in message
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no journal, no temp file


@pytest.mark.parametrize("cmd", WRITERS)
def test_an_existing_file_is_refused(run: Run, db: Path, tmp_path: Path, cmd: str) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"keep me\n")
    r = run(*args_for(cmd, "out.txt"))
    assert r.code == 2
    message = one_line(r)
    assert message.startswith("out.txt already exists")
    assert ("--force" in message) == (cmd != "share")
    assert target.read_bytes() == b"keep me\n"
    assert leftovers(tmp_path) == []


def linked_file(folder: Path) -> tuple[Path, Path]:
    """real.txt ("keep me") and link.txt, a link to it."""
    real = folder / "real.txt"
    real.write_bytes(b"keep me\n")
    link = folder / "link.txt"
    link.symlink_to("real.txt")
    return real, link


@pytest.mark.parametrize("cmd", WRITERS)
def test_a_symlink_is_refused_and_its_target_kept(
    run: Run, db: Path, tmp_path: Path, cmd: str
) -> None:
    real, _ = linked_file(tmp_path)
    os.chmod(real, 0o640)
    r = run(*args_for(cmd, "link.txt"))
    assert r.code == 2
    assert "link.txt already exists (a link)" in one_line(r)
    assert real.read_bytes() == b"keep me\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert os.readlink(tmp_path / "link.txt") == "real.txt"


@pytest.mark.parametrize("cmd", WRITERS)
def test_a_dangling_symlink_is_refused(run: Run, db: Path, tmp_path: Path, cmd: str) -> None:
    (tmp_path / "link.txt").symlink_to("nowhere/else.txt")
    r = run(*args_for(cmd, "link.txt"))
    assert r.code == 2 and "already exists (a link)" in one_line(r)
    assert not (tmp_path / "nowhere").exists()


def expected_text(run: Run, cmd: str) -> bytes:
    """What the command prints on stdout: -o must write exactly that."""
    printed = run(*[a for a in WRITERS[cmd] if a not in ("-o", "{}")])
    assert printed.code == 0
    return printed.out.encode("utf-8")


@pytest.mark.parametrize("cmd", FORCEABLE)
def test_force_replaces_an_existing_file_atomically_with_the_umask(
    run: Run, db: Path, tmp_path: Path, cmd: str, umask: int
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o600)
    old_inode = target.stat().st_ino
    keep = tmp_path / "keep.txt"
    os.link(target, keep)  # a second name for the old file: an in-place rewrite would show
    r = run(*args_for(cmd, "out.txt", "--force"))
    assert r.code == 0, r.err
    assert target.read_bytes() == expected_text(run, cmd)
    # renamed into place: a new file under the name, the old one untouched under its other name
    assert target.stat().st_ino != old_inode
    assert keep.read_bytes() == b"old\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("cmd", FORCEABLE)
def test_force_replaces_the_link_not_its_target(
    run: Run, db: Path, tmp_path: Path, cmd: str
) -> None:
    real, link = linked_file(tmp_path)
    r = run(*args_for(cmd, "link.txt", "--force"))
    assert r.code == 0, r.err
    assert not link.is_symlink() and link.read_bytes() == expected_text(run, cmd)
    assert real.read_bytes() == b"keep me\n"


@pytest.mark.parametrize("cmd", WRITERS)
def test_a_new_file_gets_the_umask(
    run: Run, db: Path, tmp_path: Path, cmd: str, umask: int
) -> None:
    r = run(*args_for(cmd, "new.out"))
    assert r.code == 0, r.err
    written = tmp_path / "new.out"
    assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~umask
    if cmd != "share":
        assert written.read_bytes() == expected_text(run, cmd)
    else:
        assert written.read_bytes()[:16] == b"SQLite format 3\x00"
        assert run("--db", "new.out", "list").code == 0
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("cmd", WRITERS)
@pytest.mark.parametrize(
    "target, said",
    [
        ("missing/out.txt", "the folder missing does not exist"),
        ("afile/out.txt", "afile is not a folder"),
        ("adir", "adir is a folder"),
        ("fifo", "is not a regular file"),
        ("", "give a file name"),
    ],
    ids=["missing-folder", "file-as-folder", "folder", "fifo", "empty"],
)
def test_impossible_targets_are_one_line(
    run: Run, db: Path, tmp_path: Path, cmd: str, target: str, said: str
) -> None:
    (tmp_path / "afile").write_bytes(b"x")
    (tmp_path / "adir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    for force in ([], ["--force"]) if cmd != "share" else ([],):
        r = run(*args_for(cmd, target, *force))
        assert r.code == 2
        assert said in one_line(r)
    assert (tmp_path / "afile").read_bytes() == b"x"
    assert list((tmp_path / "adir").iterdir()) == []
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("cmd", WRITERS)
def test_an_unwritable_folder_is_one_line(
    run: Run, db: Path, tmp_path: Path, cmd: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder refuses new files (as a read-only share does): the sentence says so. Root
    may write anywhere, so the refusal is simulated where the helper creates its file."""
    locked = tmp_path / "locked"
    locked.mkdir()

    def refuse(*args: object, **kw: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refuse)
    r = run(*args_for(cmd, "locked/out.txt"))
    assert r.code == 2
    assert one_line(r) == (
        "cannot write to the folder locked (permission denied); nothing was written."
    )
    assert list(locked.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
@pytest.mark.parametrize("cmd", WRITERS)
def test_a_read_only_folder_is_one_line(run: Run, db: Path, tmp_path: Path, cmd: str) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        r = run(*args_for(cmd, "locked/out.txt"))
    finally:
        locked.chmod(0o755)
    assert r.code == 2 and "permission denied" in one_line(r)
    assert list(locked.iterdir()) == []


# the helper on its own ------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_bytes(b"old")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError):
        outputs.create_output(target, broken, force=True)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_a_full_disk_is_one_sentence(tmp_path: Path) -> None:
    def full(tmp: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(BadFile, match=r"out.md could not be written \(the drive is full\)"):
        outputs.create_output(tmp_path / "out.md", full)
    assert list(tmp_path.iterdir()) == []


def test_a_name_taken_during_the_write_is_never_overwritten(tmp_path: Path) -> None:
    """Someone creates the file while the output is being written: without force the final
    step fails rather than replace theirs."""
    target = tmp_path / "out.md"

    def racing(tmp: Path) -> None:
        tmp.write_bytes(b"ours")
        target.write_bytes(b"theirs")

    with pytest.raises(OutputExists) as info:
        outputs.create_output(target, racing)
    assert info.value.path == target
    assert target.read_bytes() == b"theirs"
    assert list(tmp_path.iterdir()) == [target]


def test_without_hard_links_it_still_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some drives (FAT, some network shares) have no hard links: check, then rename."""

    def no_links(*args: object, **kw: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(outputs.os, "link", no_links)
    target = tmp_path / "out.md"
    assert outputs.write_output(target, "new") == target
    assert target.read_text() == "new"
    with pytest.raises(OutputExists):
        outputs.write_output(target, "newer")
    assert target.read_text() == "new"
    assert outputs.write_output(target, "newer", force=True) == target
    assert target.read_text() == "newer"
    assert list(tmp_path.iterdir()) == [target]


def test_the_database_side_files_are_protected_even_before_they_exist(tmp_path: Path) -> None:
    database = tmp_path / "ops.db"
    database.write_bytes(b"db")
    for suffix in ("-journal", "-wal", "-shm"):
        with pytest.raises(BadFile, match="of the open bridge file"):
            outputs.write_output(tmp_path / f"ops.db{suffix}", "x", force=True, database=database)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ops.db"]


def test_the_umask_is_read_without_changing_it(umask: int) -> None:
    assert outputs.current_umask() == umask
    assert outputs.new_file_mode() == 0o666 & ~umask
    assert os.umask(umask) == umask  # still what the test set


def test_free_name_counts_up(tmp_path: Path) -> None:
    first = tmp_path / "r.md"
    assert outputs.free_name(first) == first
    first.write_text("1")
    (tmp_path / "r-2.md").symlink_to("nowhere")  # a dangling link takes the name too
    assert outputs.free_name(first) == tmp_path / "r-3.md"


@pytest.mark.parametrize("cmd", [["init"], ["init", "--sample"], ["import", "export.json"]])
def test_a_new_bridge_file_never_follows_a_dangling_link(
    run: Run, db: Path, tmp_path: Path, cmd: list[str]
) -> None:
    """`init` and `import` create the --db file; a link there is an existing file, so SQLite
    never gets to create the file it points to."""
    assert run("export", "-o", "export.json").code == 0
    (tmp_path / "new.db").symlink_to("elsewhere.db")
    r = run("--db", "new.db", *cmd)
    assert r.code == 2 and "already exists" in one_line(r)
    assert not (tmp_path / "elsewhere.db").exists()
    assert os.readlink(tmp_path / "new.db") == "elsewhere.db"
