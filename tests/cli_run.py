"""Running `bridge` in-process for the command-line tests: exit code, stdout, stderr.

The fixtures are named `run`, `db` and `umask` for the tests; import `cli_run`, `cli_db` and
`cli_umask` into a test module to use them. A module whose `run` needs another author, day or
folder builds its own fixture with `runner`; a plain function call is `invoke`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bridge_tui.cli import main
from tests.conftest import FROZEN_TODAY, new_file

__all__ = ["new_file"]  # re-exported for the CLI tests


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


def quiet_env(monkeypatch: pytest.MonkeyPatch, author: str = "tester") -> None:
    """No BRIDGE_DB or BRIDGE_DEBUG from the shell, `author` as BRIDGE_AUTHOR, and no terminal
    on stdin: nothing can be asked."""
    for var in ("BRIDGE_DB", "BRIDGE_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("BRIDGE_AUTHOR", author)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """`bridge ARGS` in-process: what it printed since this call, and its exit code."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return Result(code if isinstance(code, int) else (0 if code is None else 2), out, err)


def runner(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    author: str = "tester",
    today_each_call: bool = False,
) -> Run:
    """`run("list", today="2026-07-01")` runs bridge with that day frozen from then on (from
    the start: FROZEN_TODAY). With `today_each_call`, a call without `today=` runs on
    FROZEN_TODAY again."""
    quiet_env(monkeypatch, author)
    monkeypatch.setenv("BRIDGE_TODAY", FROZEN_TODAY.isoformat())

    def _run(*args: str, today: str | None = None) -> Result:
        if today is not None or today_each_call:
            monkeypatch.setenv("BRIDGE_TODAY", today or FROZEN_TODAY.isoformat())
        return invoke(capsys, *args)

    return _run


def run_on(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    """`bridge --db DB ARGS` as (exit code, stdout, stderr)."""
    r = invoke(capsys, "--db", str(db), *args)
    return r.code, r.out, r.err


@pytest.fixture(name="run")
def cli_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Run:
    """`run("report", "-o", "x.md")` runs bridge in tmp_path on ./bridge.db, today frozen."""
    monkeypatch.chdir(tmp_path)
    return runner(monkeypatch, capsys)


@pytest.fixture(name="db")
def cli_db(sample_db: Path, tmp_path: Path) -> Path:
    """The sample portfolio as ./bridge.db."""
    path = tmp_path / "bridge.db"
    shutil.copyfile(sample_db, path)
    sample_db.unlink()
    return path


@pytest.fixture(name="umask", params=[0o022, 0o077], ids=["umask022", "umask077"])
def cli_umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def one_line(r: Result) -> str:
    """The stderr of a failure: one line, prefixed, no traceback; returned without the prefix."""
    assert r.err.startswith("bridge: "), r.err
    assert r.err.count("\n") == 1 and r.err.endswith("\n"), r.err
    assert "Traceback" not in r.err
    return r.err.removeprefix("bridge: ").strip()
