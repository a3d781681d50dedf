"""Hostile text through every text field of the command line: refused with exit 2 and one line
(control characters, too long), or stored and shown exactly; and no terminal control ever
printed, even from an old file that already holds some.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings

from bridge_tui.store import Store
from tests.cli_run import Result, Run, new_file, runner
from tests.conftest import FROZEN_TODAY
from tests.hostile import (
    BIG,
    EVIL,
    EVIL_LINES,
    control_chars,
    forge_old_file,
    hostile_text,
    refused,
)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    monkeypatch.chdir(tmp_path)
    new_file(tmp_path / "bridge.db")
    return runner(monkeypatch, capsys)


def ok(r: Result) -> Result:
    assert r.code == 0, r.err
    return r


def check(r: Result, value: str, *, multiline: bool, max_length: int | None) -> bool:
    """The command either refused the value (exit 2, one line, nothing printed) or took it.
    Returns True when it was stored."""
    assert not control_chars(r.out) and not control_chars(r.err)
    if refused(value, multiline=multiline, max_length=max_length):
        assert r.code == 2, (r.code, r.out, r.err[:200])
        assert r.out == ""
        assert r.err.startswith("bridge: ") and r.err.count("\n") == 1, r.err[:300]
        assert len(r.err) < 400  # the sentence names the field, it does not echo the value
        return False
    assert r.code == 0, r.err[:300]
    return True


def show(run: Run, ref: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run("show", ref, "--json")).out)
    return data


_counter = itertools.count()

EXAMPLES = [
    "[/]",
    "[@click=app.quit]x",
    "<\x1b]0;pwned\x07>",
    "<\x1b[2J>",
    "<a\nb>",
    "<a\tb>",
    "<\u202eevil>",
    "<e\u0301\u0301>",
    f"<{BIG}>",
]


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=hostile_text)
@example(value=EXAMPLES[0])
@example(value=EXAMPLES[1])
@example(value=EXAMPLES[2])
@example(value=EXAMPLES[3])
@example(value=EXAMPLES[4])
@example(value=EXAMPLES[5])
@example(value=EXAMPLES[6])
@example(value=EXAMPLES[7])
@example(value=EXAMPLES[8])
def test_every_text_field_refuses_or_keeps_hostile_text_exactly(run: Run, value: str) -> None:
    n = next(_counter)
    # the name, through add and edit
    r = run("add", value)
    if check(r, value, multiline=False, max_length=120):
        assert show(run, r.out.strip())["name"] == value
    iid = ok(run("add", f"base {n}")).out.strip()
    for option, multiline, limit in (
        ("--summary", True, 4000),
        ("--owner", False, 120),
        ("--team", False, 120),
        ("--name", False, 120),
    ):
        r = run("edit", iid, option, value)
        if check(r, value, multiline=multiline, max_length=limit):
            assert show(run, iid)[option[2:]] == value
    # an evidence note
    r = run("answer", iid, "D1", "yes", "--note", value)
    if check(r, value, multiline=True, max_length=4000):
        assert show(run, iid)["answers"]["D1"]["note"] == value
    # a task's title and notes, a metric's name
    ok(run("plan", iid, "--create"))
    r = run("task", "add", iid, "1", value)
    if check(r, value, multiline=False, max_length=200):
        tasks = json.loads(ok(run("plan", iid, "--json")).out)["months"][0]["tasks"]
        assert value in [t["title"] for t in tasks]
    r = run("task", "add", iid, "2", f"task {n}", "--notes", value)
    if check(r, value, multiline=True, max_length=4000):
        tasks = json.loads(ok(run("plan", iid, "--json")).out)["months"][1]["tasks"]
        assert [t["notes"] for t in tasks if t["title"] == f"task {n}"] == [value]
    r = run("metric", "add", iid, value, "1.5")
    if check(r, value, multiline=False, max_length=120):
        series = json.loads(ok(run("metric", "list", iid, "--json")).out)["metrics"]
        assert value in [s["name"] for s in series]
    # a kill reason (no length limit)
    r = run("kill", iid, "--reason", value)
    if check(r, value, multiline=True, max_length=None):
        assert show(run, iid)["kill_reason"] == value
    # the author, from --as
    r = run("--as", value, "add", f"by author {n}")
    if check(r, value, multiline=False, max_length=120):
        newest = json.loads(ok(run("history", "--limit", "1", "--json")).out)[0]
        assert newest["author"] == value
    # whatever was stored, the text outputs hold no terminal control
    for args in (("list",), ("history", "--limit", "30"), ("show", iid), ("timeline",)):
        out = ok(run(*args)).out
        assert not control_chars(out, allowed="\n\t"), args


def test_an_old_file_with_escapes_prints_none_of_them(run: Run, tmp_path: Path) -> None:
    """Text an old bridge let in is shown without its control characters everywhere the CLI
    prints text, and exactly in JSON (escaped, never raw)."""
    db = tmp_path / "old.db"
    ids = forge_old_file(db, FROZEN_TODAY)
    live, killed = ids["live"], ids["killed"]
    text_commands = [
        ("list",),
        ("show", live),
        ("show", killed),
        ("history",),
        ("history", live),
        ("score", live),
        ("plan", live),
        ("timeline",),
        ("metric", "list", live),
        ("report",),
        ("report", "--format", "csv"),
        ("answer", live, "D2", "yes"),
        ("task", "done", live, EVIL),
    ]
    for args in text_commands:
        r = run("--db", str(db), *args)
        assert r.code == 0, (args, r.err)
        assert not control_chars(r.out, allowed="\n\t"), args
        assert not control_chars(r.err), args
    shown = run("--db", str(db), "show", live)
    assert "Evil]0;pwned [2J31m[/]end" in shown.out  # the text itself is kept, plainly
    for args in (
        ("show", live, "--json"),
        ("history", "--json"),
        ("report", "--format", "json"),
        ("export",),
        ("plan", live, "--json"),
    ):
        r = run("--db", str(db), *args)
        assert r.code == 0, (args, r.err)
        assert not control_chars(r.out, allowed="\n"), args
    data = json.loads(run("--db", str(db), "show", live, "--json").out)
    assert (data["name"], data["owner"], data["summary"]) == (f"{EVIL} live", EVIL, EVIL_LINES)
    assert data["answers"]["D1"]["note"] == EVIL_LINES and data["answers"]["D1"]["by"] == EVIL
    # a merge of that old file into another prints what it adds, without the escapes
    fresh = tmp_path / "fresh.db"
    Store.create(fresh).close()
    for args in (("merge", str(db), "--dry-run"), ("merge", str(db))):
        r = run("--db", str(fresh), *args)
        assert r.code == 0, (args, r.err)
        assert "Evil]0;pwned" in r.out and not control_chars(r.out, allowed="\n\t"), args
    # an error sentence quoting the file's text is one clean line too
    r = run("--db", str(db), "move", live, "experiment")
    assert r.code == 2 and r.err.count("\n") == 1 and not control_chars(r.err)


def test_an_old_file_still_takes_edits_of_other_fields(run: Run, tmp_path: Path) -> None:
    """What a file already holds is not refused again: editing the owner of an initiative whose
    summary holds an escape works, and new text is still checked."""
    db = tmp_path / "old.db"
    live = forge_old_file(db, FROZEN_TODAY)["live"]
    ok(run("--db", str(db), "edit", live, "--owner", "Mei Chen"))
    data = json.loads(run("--db", str(db), "show", live, "--json").out)
    assert data["owner"] == "Mei Chen" and data["summary"] == EVIL_LINES
    r = run("--db", str(db), "edit", live, "--summary", "new\x1b[2J")
    assert r.code == 2 and r.err == (
        "bridge: summary: must not hold control characters (such as terminal escape codes); "
        "line breaks and tabs are fine.\n"
    )


@pytest.mark.parametrize(
    ("how", "name"),
    [("--as", "bob\x1b]0;pwned\x07"), ("--as", "two\nlines"), ("env", "bob\x1b[2J")],
)
def test_an_author_name_with_control_characters_is_refused(
    run: Run, monkeypatch: pytest.MonkeyPatch, how: str, name: str
) -> None:
    if how == "env":
        monkeypatch.setenv("BRIDGE_AUTHOR", name)
        r = run("add", "x")
    else:
        r = run(how, name, "add", "x")
    assert r.code == 2 and r.out == ""
    assert r.err == (
        "bridge: your name (--as or BRIDGE_AUTHOR) must be on one line, without tabs or "
        "control characters.\n"
    )
    assert ok(run("--as", "tester", "list")).out == "No initiatives.\n"
