"""Running `bridge` in-process for the output and edge-value tests: exit code, stdout, stderr.

The fixtures are named `run`, `db` and `umask` for the tests; import `cli_run`, `cli_db` and
`cli_umask` into a test module to use them.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bridge_tui.cli import main
from tests.conftest import FROZEN_TODAY


@dataclass
class Result:
    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture(name="run")
def cli_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Run:
    """`run("report", "-o", "x.md")` runs bridge in tmp_path on ./bridge.db, today frozen."""
    monkeypatch.chdir(tmp_path)
    for var in ("BRIDGE_DB", "BRIDGE_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("BRIDGE_TODAY", FROZEN_TODAY.isoformat())
    monkeypatch.setenv("BRIDGE_AUTHOR", "tester")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    def _run(*args: str) -> Result:
        capsys.readouterr()
        with pytest.raises(SystemExit) as info:
            main(list(args))
        out, err = capsys.readouterr()
        code = info.value.code
        return Result(code if isinstance(code, int) else (0 if code is None else 2), out, err)

    return _run


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
    assert r.err.startswith("bridge: "), r.err
    assert r.err.count("\n") == 1 and r.err.endswith("\n"), r.err
    assert "Traceback" not in r.err
    return r.err.removeprefix("bridge: ").strip()
