"""`bridge dump` and git's text conversion: one fact per line, sorted, stable, plain text."""

from __future__ import annotations

import difflib
import sqlite3
from pathlib import Path

from bridge_tui.service import Service
from bridge_tui.service.dump import clean, dump_file, dump_lines
from bridge_tui.store import Store
from tests.cli_run import Run, cli_db, cli_run  # noqa: F401 (fixtures)


def _changed(before: list[str], after: list[str]) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_the_dump_is_stable_sorted_and_names_each_fact(service: Service) -> None:
    first = dump_lines(service.store)
    assert first == dump_lines(service.store)
    assert first[0].startswith("bridge portfolio (schema ")
    names = sorted(service.initiatives(), key=lambda i: (i.name.casefold(), i.name, i.id))
    order = [f"{i.name} [{i.id[:8]}]" for i in names]
    seen: list[str] = []
    for line in first[1:]:
        prefix = next(p for p in order if line.startswith(p + "  "))
        if not seen or seen[-1] != prefix:
            seen.append(prefix)
    assert seen == order  # each initiative once, in name order
    killed = next(i for i in service.initiatives() if i.stage == "killed")
    assert f"{killed.name} [{killed.id[:8]}]  stage = killed" in first
    assert any("  answer D1  value = " in line for line in first)
    assert any('  task "' in line and "  done = " in line for line in first)
    assert any('  metric "' in line and "  value = " in line for line in first)


def test_one_edit_is_one_line_out_and_one_in(service: Service) -> None:
    target = service.ordered()[0]
    before = dump_lines(service.store)
    service.edit_initiative(target, owner="Someone New")
    after = dump_lines(service.store)
    changed = [line for line in _changed(before, after) if "bridge portfolio" not in line]
    prefix = f"{target.name} [{target.id[:8]}]"
    assert changed == [
        f"-{prefix}  owner = {target.owner or '(empty)'}",
        f"+{prefix}  owner = Someone New",
    ]


def test_text_from_the_file_is_one_plain_line() -> None:
    assert clean("a\x1b[31mred\x1b[0m\nnext\tline\u202eevil\x07") == "a[31mred[0m\\nnext lineevil"
    assert clean("Ünïcode — fine") == "Ünïcode — fine"


def test_a_multi_line_summary_stays_on_its_line(service: Service) -> None:
    target = service.ordered()[0]
    service.edit_initiative(target, summary="First line\nsecond line")
    lines = dump_lines(service.store)
    assert f"{target.name} [{target.id[:8]}]  summary = First line\\nsecond line" in lines


def test_an_older_version_is_read_from_an_upgraded_copy_and_left_alone(
    sample_db: Path, tmp_path: Path
) -> None:
    expected = dump_file(sample_db)
    folder = tmp_path / "versions"
    folder.mkdir()
    old = folder / "old.db"
    old.write_bytes(sample_db.read_bytes())
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA user_version = 0")  # what a file of an older bridge says
    conn.close()
    before = old.read_bytes()
    assert dump_file(old)[1:] == expected[1:]
    assert old.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["old.db"]  # no backup, no journal


def test_bridge_dump_prints_the_file(run: Run, db: Path) -> None:
    result = run("dump")
    assert result.code == 0
    store = Store.open(db, read_only=True)
    try:
        assert result.out.splitlines() == dump_lines(store)
    finally:
        store.close()
