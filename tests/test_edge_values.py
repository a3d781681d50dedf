"""Edge values on the command line: each is one plain line and exit 2, the file untouched.

Dates so late that day 90 (or a quarterly review) would run off the calendar, dates before any
AI initiative, a --limit past SQLite's integers, an import nested thousands deep or too big,
and a bug's catch-all message that never claims a rollback it cannot know about.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bridge_tui import clock
from bridge_tui.clock import add_days, check_day
from bridge_tui.errors import BadInput
from bridge_tui.service import Service
from bridge_tui.service.quick import QuickReads
from bridge_tui.store import Store
from tests.cli_run import Run, cli_db, cli_run, one_line  # noqa: F401  (fixtures)

PLANNED = "Dispatch routing"  # in Productionize, with a plan
UNPLANNED = "Route optimisation"  # in Validate, no plan


def test_the_accepted_range() -> None:
    assert check_day(clock.EARLIEST, "x") == clock.EARLIEST
    assert check_day(clock.LATEST, "x") == clock.LATEST
    for bad in (date(1899, 12, 31), date(9001, 1, 1), date(9999, 12, 31), date(1, 1, 1)):
        with pytest.raises(BadInput, match="x must lie between 1900-01-01 and 9000-12-31"):
            check_day(bad, "x")
    # the latest day still has room for a plan's day 90 and a quarterly review after it
    assert add_days(clock.LATEST, 90 + 90) > clock.LATEST


def test_date_arithmetic_never_overflows() -> None:
    with pytest.raises(BadInput, match="falls outside the calendar"):
        add_days(date(9999, 12, 1), 89)
    with pytest.raises(BadInput, match="falls outside the calendar"):
        add_days(date(1, 1, 5), -10)


EDGE_COMMANDS = {
    "plan-create-start": (["plan", UNPLANNED, "--create", "--start", "9999-12-31"], {}),
    "plan-start": (["plan", PLANNED, "--start", "9999-12-31"], {}),
    "plan-start-early": (["plan", PLANNED, "--start", "0001-01-01"], {}),
    "today-move": (
        ["move", UNPLANNED, "productionize", "--force", "--reason", "demo"],
        {"BRIDGE_TODAY": "9999-12-31"},
    ),
    "today-early": (["list"], {"BRIDGE_TODAY": "0001-01-01"}),
    "today-garbage": (["list"], {"BRIDGE_TODAY": "someday"}),
    "task-due": (["task", "add", PLANNED, "1", "Late", "--due", "9999-12-31"], {}),
    "metric-at": (["metric", "add", PLANNED, "Latency", "3", "--at", "0001-01-01"], {}),
    "last-review": (["edit", PLANNED, "--last-review", "9999-12-31"], {}),
    "limit-huge": (["history", "--limit", "99999999999999999999999"], {}),
    "limit-zero": (["history", "--limit", "0"], {}),
    "limit-negative": (["history", "--limit", "-3"], {}),
}


@pytest.mark.parametrize("case", EDGE_COMMANDS)
def test_edge_values_are_one_line_and_change_nothing(
    run: Run, db: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    args, env = EDGE_COMMANDS[case]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    before = db.read_bytes()
    r = run(*args)
    assert r.code == 2
    message = one_line(r)
    assert "unexpected error" not in message
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["bridge.db"]


def test_the_last_accepted_day_still_works(run: Run, db: Path) -> None:
    r = run("plan", UNPLANNED, "--create", "--start", "9000-12-31", "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["start_date"] == "9000-12-31"


def test_a_plan_created_near_the_end_of_the_calendar_is_refused_whole(
    sample_db: Path,
) -> None:
    """A clock set past the accepted range (only code can do that) still cannot crash the
    plan's arithmetic: the move is refused in a sentence and nothing is written."""
    before = sample_db.read_bytes()
    store = Store.open(sample_db)
    svc = Service(store, "tester", date(9999, 12, 20))
    ini = svc.resolve(UNPLANNED)
    with pytest.raises(BadInput, match="falls outside the calendar"):
        svc.move(ini, "productionize", force=True, reason="demo")
    store.close()
    assert sample_db.read_bytes() == before


def test_moving_day_1_refuses_a_due_date_off_the_calendar(service: Service) -> None:
    ini = service.resolve(PLANNED)
    view = service.plan_view(ini)
    assert view is not None
    service.add_task(ini, 3, "Far future", due=clock.LATEST)
    history = len(service.history(None, None))
    with pytest.raises(BadInput, match="falls outside the calendar"):
        service.set_plan_start(ini, clock.LATEST)
    assert service.plan_view(ini).plan.start_date == view.plan.start_date  # type: ignore[union-attr]
    assert len(service.history(None, None)) == history


def test_import_of_deeply_nested_json_is_one_line(run: Run, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    r = run("--db", "new.db", "import", "deep.json")
    assert r.code == 2
    assert one_line(r) == "deep.json nests its JSON too deeply to be a bridge export."
    assert not (tmp_path / "new.db").exists()


def test_import_of_deep_json_inside_an_export_is_one_line(run: Run, tmp_path: Path) -> None:
    nested = "[" * 200_000 + "]" * 200_000
    doc = '{"format": "bridge.export", "version": 1, "tables": ' + nested + "}"
    (tmp_path / "deep.json").write_text(doc)
    r = run("--db", "new.db", "import", "deep.json")
    assert r.code == 2 and "too deeply" in one_line(r)
    assert not (tmp_path / "new.db").exists()


def test_import_of_a_huge_file_is_refused_before_reading_it(run: Run, tmp_path: Path) -> None:
    from bridge_tui.service.transfer import MAX_IMPORT_BYTES

    huge = tmp_path / "huge.json"
    with huge.open("wb") as fh:  # sparse: no disk is used
        fh.truncate(MAX_IMPORT_BYTES + 1)
    r = run("--db", "new.db", "import", "huge.json")
    assert r.code == 2
    assert one_line(r) == "huge.json is 512 MiB; bridge imports exports of up to 512 MiB."
    assert not (tmp_path / "new.db").exists()


def test_an_unexpected_error_never_claims_a_rollback(
    run: Run, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: QuickReads, stage: str | None = None) -> None:
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(QuickReads, "listing", broken)  # what `list` reads through
    r = run("list")
    assert r.code == 2
    message = one_line(r)
    assert message.startswith("unexpected error (ZeroDivisionError: simulated bug)")
    assert "half-written" not in message and "kept" not in message
    assert "BRIDGE_DEBUG=1" in message
