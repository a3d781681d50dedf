"""Git as the sharing engine: a bare repository, two clones, edits on both sides, a pull.

Git runs for real (as a subprocess), with no system or user config (HOME is the test's
folder), and calls the driver registered by `bridge git setup`: this interpreter's bridge.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bridge_tui.models import Initiative
from bridge_tui.service import Service, git_sync
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BRIDGE = [sys.executable, "-m", "bridge_tui"]
NAME = "portfolio.db"


@pytest.fixture(autouse=True)
def private_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No system or user git config is read or written: HOME is a folder of the test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "BRIDGE_DB", "BRIDGE_MERGE_REPORT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("BRIDGE_TODAY", FROZEN_TODAY.isoformat())


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Tester",
            "-c",
            "user.email=tester@example.com",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


def bridge(cwd: Path, *args: str, author: str = "tester") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIDGE_AUTHOR": author}
    return subprocess.run(
        [*BRIDGE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=120,
    )


def open_service(path: Path, author: str) -> Service:
    return Service(Store.open(path), author, FROZEN_TODAY)


def two_clones(tmp_path: Path, sample_db: Path) -> tuple[Path, Path]:
    """A bare repository holding the sample portfolio, cloned by alice and bob (both set up)."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(remote))
    alice = tmp_path / "alice"
    git(tmp_path, "clone", "-q", str(remote), str(alice))
    git(alice, "checkout", "-q", "-b", "main")
    shutil.copyfile(sample_db, alice / NAME)
    setup = bridge(alice, "git", "setup", NAME)
    assert setup.returncode == 0, setup.stderr
    assert "git add .gitattributes" in setup.stdout
    assert f"bridge git setup {NAME}" in setup.stdout
    git(alice, "add", ".gitattributes", NAME)
    git(alice, "commit", "-q", "-m", "portfolio")
    git(alice, "push", "-q", "-u", "origin", "main")
    bob = tmp_path / "bob"
    git(tmp_path, "clone", "-q", str(remote), str(bob))
    teammate = bridge(bob, "git", "setup", NAME)
    assert teammate.returncode == 0, teammate.stderr
    assert ".gitattributes: added" not in teammate.stdout  # it came with the clone
    assert "registered bridge's merge driver" in teammate.stdout
    return alice, bob


def by_name(svc: Service, name: str) -> Initiative:
    return next(i for i in svc.initiatives() if i.name == name)


@pytest.mark.parametrize("pull", ["--no-rebase", "--rebase"])
def test_both_sides_edit_offline_and_a_pull_merges_every_edit(
    tmp_path: Path, sample_db: Path, pull: str
) -> None:
    alice, bob = two_clones(tmp_path, sample_db)
    a = open_service(alice / NAME, "alice")
    b = open_service(bob / NAME, "bob")
    names = [i.name for i in a.ordered() if i.stage not in ("killed",)]
    both, same, doomed = names[0], names[1], names[2]
    # alice: one field of `both`, the team of `same`, a new initiative, kills `doomed`
    a.edit_initiative(by_name(a, both), owner="Alice Owner")
    a.edit_initiative(by_name(a, same), team="Team Alice")
    a.create_initiative(name="Alice idea")
    a.kill(by_name(a, doomed), "Alice stops it")
    # bob, offline: another field of `both`, the same field of `same`, his own new one, and
    # an edit of the initiative alice kills
    b.edit_initiative(by_name(b, both), summary="Bob's summary")
    b.edit_initiative(by_name(b, same), team="Team Bob")
    b.create_initiative(name="Bob idea")
    b.edit_initiative(by_name(b, doomed), owner="Bob keeps it")
    a.close()
    b.close()
    git(alice, "commit", "-q", "-am", "alice's edits")
    git(alice, "push", "-q")
    git(bob, "commit", "-q", "-am", "bob's edits")

    pulled = git(bob, "pull", pull, "--no-edit")
    said = pulled.stdout + pulled.stderr
    assert "bridge: merged portfolio.db" in said
    assert "Team Alice" in said and "Team Bob" in said  # the conflict, with both values
    assert git(bob, "status", "--porcelain").stdout.strip() == ""

    merged = open_service(bob / NAME, "bob")
    try:
        assert merged.store.integrity() == "ok"
        assert by_name(merged, both).owner == "Alice Owner"
        assert by_name(merged, both).summary == "Bob's summary"
        assert {"Alice idea", "Bob idea"} <= {i.name for i in merged.initiatives()}
        killed = by_name(merged, doomed)
        assert killed.stage == "killed" and killed.kill_reason == "Alice stops it"
        assert killed.owner == "Bob keeps it"
        team = by_name(merged, same).team
        assert team in ("Team Alice", "Team Bob")
        loser = "Team Bob" if team == "Team Alice" else "Team Alice"
        history = merged.history(by_name(merged, same))
        assert any(e.field == "team" and e.new == loser for e in history)
    finally:
        merged.close()

    # git shows the changes as text, not "Binary files differ"
    log = git(bob, "log", "-p", "--", NAME).stdout
    assert "Binary files" not in log
    assert "+" in log and "owner = Alice Owner" in log and "summary = Bob's summary" in log
    diff = git(bob, "diff", "HEAD~1", "HEAD", "--", NAME).stdout
    assert "team = " in diff

    # and the merge travels back: alice pulls bob's result as a fast-forward
    git(bob, "push", "-q")
    git(alice, "pull", "-q", "--no-rebase", "--no-edit")
    back = open_service(alice / NAME, "alice")
    try:
        assert by_name(back, both).summary == "Bob's summary"
        assert by_name(back, same).team == team
    finally:
        back.close()


def _forge(path: Path, how: str) -> None:
    if how == "forged":  # a row changed outside bridge: it disagrees with its change log
        conn = sqlite3.connect(path)
        conn.execute("UPDATE initiatives SET owner = 'Mallory' WHERE rowid = 1")
        conn.commit()
        conn.close()
    elif how == "newer":
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 99")
        conn.commit()
        conn.close()
    else:  # damaged: cut short, as by a copy taken mid-write
        data = path.read_bytes()
        path.write_bytes(data[: len(data) - 4096])


@pytest.mark.parametrize("how", ["forged", "damaged", "newer"])
def test_a_bad_incoming_copy_stops_the_pull_and_leaves_the_local_file_unchanged(
    tmp_path: Path, sample_db: Path, how: str
) -> None:
    alice, bob = two_clones(tmp_path, sample_db)
    a = open_service(alice / NAME, "alice")
    a.edit_initiative(a.ordered()[0], owner="Alice Owner")
    a.close()
    _forge(alice / NAME, how)
    git(alice, "commit", "-q", "-am", f"a {how} copy")
    git(alice, "push", "-q")
    b = open_service(bob / NAME, "bob")
    b.edit_initiative(b.ordered()[1], owner="Bob Owner")
    b.close()
    git(bob, "commit", "-q", "-am", "bob's edit")
    before = (bob / NAME).read_bytes()

    pulled = git(bob, "pull", "--no-rebase", "--no-edit", check=False)
    assert pulled.returncode != 0
    said = pulled.stdout + pulled.stderr
    assert "bridge: did not merge portfolio.db" in said
    assert "your version is unchanged" in said
    assert "CONFLICT" in said
    assert (bob / NAME).read_bytes() == before
    status = git(bob, "status", "--porcelain").stdout
    assert "UU portfolio.db" in status
    assert not list(bob.glob(".bridge-merge-*"))  # nothing left beside it
    git(bob, "merge", "--abort")
    assert (bob / NAME).read_bytes() == before


def test_setup_is_idempotent(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", str(repo))
    (repo / ".gitattributes").write_text("*.txt text", encoding="utf-8")  # no final newline
    first = git_sync.setup(repo / NAME)
    assert first.added_line == f"/{NAME} -text merge=bridge diff=bridge"
    assert set(first.configured) == set(git_sync.driver_config())
    second = git_sync.setup(repo / NAME)
    assert second.unchanged
    assert "Already set up" in second.lines()[0]
    attributes = (repo / ".gitattributes").read_text(encoding="utf-8")
    assert attributes == f"*.txt text\n/{NAME} -text merge=bridge diff=bridge\n"
    driver = git(repo, "config", "--local", "--get", "merge.bridge.driver").stdout.strip()
    assert driver.endswith("-m bridge_tui git merge-driver %O %A %B %P")
    assert driver.startswith(sys.executable) or sys.executable in driver
    textconv = git(repo, "config", "--local", "--get", "diff.bridge.textconv").stdout.strip()
    assert textconv.endswith("-m bridge_tui git textconv")
    # a stale driver path (another environment) is corrected, the attributes left alone
    git(repo, "config", "--local", "merge.bridge.driver", "old-bridge git merge-driver")
    third = git_sync.setup(repo / NAME)
    assert third.added_line is None and third.configured == ["merge.bridge.driver"]


def test_setup_in_a_subfolder_with_a_space_names_exactly_that_file(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", str(repo))
    (repo / "ops team").mkdir()
    result = git_sync.setup(repo / "ops team" / "my portfolio.db")
    assert result.rel == "ops team/my portfolio.db"
    assert git_sync.attributes(repo, "ops team/my portfolio.db") == {
        "merge": "bridge",
        "diff": "bridge",
    }
    assert git_sync.attributes(repo, "my portfolio.db")["merge"] == "unspecified"


def test_setup_refuses_outside_a_work_tree_in_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    result = bridge(folder, "git", "setup", NAME)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("bridge: ") and result.stderr.count("\n") == 1
    assert "not inside a git work tree" in result.stderr and "git init" in result.stderr
    assert not (folder / ".gitattributes").exists()
    with pytest.raises(Exception, match="not inside a git work tree"):
        git_sync.setup(folder / NAME)


def test_textconv_of_a_file_that_is_not_a_bridge_file_says_so_and_exits_0(
    tmp_path: Path,
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 10)
    result = bridge(tmp_path, "git", "textconv", str(junk))
    assert result.returncode == 0
    assert result.stdout.startswith("(bridge cannot read this version:")
    assert result.stdout.count("\n") == 1


def test_bridge_git_sync_pulls_and_pushes_and_says_what_came_in(
    tmp_path: Path, sample_db: Path
) -> None:
    alice, bob = two_clones(tmp_path, sample_db)
    for clone in (alice, bob):  # the clone's own identity (git commits as someone)
        git(clone, "config", "user.name", clone.name)
        git(clone, "config", "user.email", f"{clone.name}@example.com")
    a = open_service(alice / NAME, "alice")
    target = a.ordered()[0].name
    a.edit_initiative(by_name(a, target), owner="Alice Owner")
    a.close()
    first = bridge(alice, "--db", NAME, "git", "sync", author="alice")
    assert first.returncode == 0, first.stderr
    assert "Committed your changes" in first.stdout and "Pushed to origin/main" in first.stdout

    b = open_service(bob / NAME, "bob")
    b.create_initiative(name="Bob idea")
    b.close()
    second = bridge(bob, "--db", NAME, "git", "sync", author="bob")
    assert second.returncode == 0, second.stderr
    assert f"alice: Changed owner of {target}" in second.stdout
    assert "Pushed to origin/main" in second.stdout
    merged = open_service(bob / NAME, "bob")
    try:
        assert by_name(merged, target).owner == "Alice Owner"
    finally:
        merged.close()
    git(alice, "fetch", "-q")
    assert "name = Bob idea" in git(alice, "log", "-p", "origin/main", "--", NAME).stdout


def test_bridge_git_sync_outside_a_work_tree_says_what_to_do(
    tmp_path: Path, sample_db: Path
) -> None:
    result = bridge(sample_db.parent, "--db", sample_db.name, "git", "sync")
    assert result.returncode == 2
    assert result.stderr.startswith("bridge: not synced:")
    assert "not in a git work tree" in result.stderr and "bridge git setup" in result.stderr
    assert result.stderr.count("\n") == 1
