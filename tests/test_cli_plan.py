"""`bridge plan`, `bridge timeline` and `bridge task ...`: output, JSON, exit codes, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bridge_tui.models import PlanTask
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.cli_run import run_on as run
from tests.conftest import FROZEN_TODAY


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIDGE_TODAY", FROZEN_TODAY.isoformat())
    monkeypatch.setenv("BRIDGE_AUTHOR", "cli-tester")


def tasks_of(db: Path, name: str) -> list:  # type: ignore[type-arg]
    store = Store.open(db)
    try:
        svc = Service(store, "t", FROZEN_TODAY)
        return svc.plan_tasks(svc.resolve(name).id)
    finally:
        store.close()


def test_plan_text(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, err = run(capsys, sample_db, "plan", "Dispatch routing")
    assert code == 0, err
    assert "day 38 of 90" in out
    assert "Behind: 1 task of ended months not done (1 of month 1)." in out
    assert "Month 2 Integrate" in out
    assert "Surface disagreements now" in out and "OVERDUE" in out


def test_plan_json(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, _ = run(capsys, sample_db, "plan", "dispatch routing", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["day"] == 38 and data["phase"] == "running" and data["verdict"] == "behind"
    assert [m["total"] for m in data["months"]] == [6, 4, 5]
    assert data["months"][0]["state"] == "behind"
    late = [t for t in data["months"][0]["tasks"] if t["overdue"]]
    assert [t["title"] for t in late] == ["Surface disagreements now"]
    assert data["next_review"] is None


def test_plan_missing_and_create(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, _, err = run(capsys, sample_db, "plan", "Route optimisation")
    assert code == 2 and "has no 90-day plan" in err and "Traceback" not in err
    code, out, _ = run(capsys, sample_db, "plan", "Route optimisation", "--create")
    assert code == 0 and "Created the 90-day plan" in out and "day 1 of 90" in out
    code, out, _ = run(capsys, sample_db, "plan", "Route optimisation", "--create", "--json")
    assert code == 0 and json.loads(out)["day"] == 1  # already there: just shown


def test_plan_unknown_initiative(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, _, err = run(capsys, sample_db, "plan", "No such thing")
    assert code == 2 and err.startswith("bridge: no initiative matches")


def test_sustain_phase_shows_next_review(
    capsys: pytest.CaptureFixture[str], sample_db: Path
) -> None:
    code, out, _ = run(capsys, sample_db, "plan", "Contract review", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["phase"] == "sustain" and data["next_review"]
    code, out, _ = run(capsys, sample_db, "plan", "Contract review")
    assert "Next quarterly review" in out


def test_timeline(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, _ = run(capsys, sample_db, "timeline")
    assert code == 0 and "Dispatch routing" in out
    code, out, _ = run(capsys, sample_db, "timeline", "--json")
    rows = json.loads(out)
    assert [r["late"] for r in rows] == sorted((r["late"] for r in rows), reverse=True)


def test_timeline_empty(capsys: pytest.CaptureFixture[str], empty_db: Path) -> None:
    code, out, _ = run(capsys, empty_db, "timeline")
    assert code == 0 and "No initiative has a 90-day plan" in out


def test_task_add(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, err = run(
        capsys,
        sample_db,
        "task",
        "add",
        "Dispatch routing",
        "3",
        "Hand over to the night shift",
        "--owner",
        "Lena Park",
        "--due",
        "2027-01-05",
    )
    assert code == 0, err
    new_id = out.strip()
    added = [t for t in tasks_of(sample_db, "Dispatch routing") if t.id == new_id]
    assert len(added) == 1
    t = added[0]
    assert (t.month, t.owner, t.due.isoformat()) == (3, "Lena Park", "2027-01-05")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("4", "X"), "month must be 1, 2 or 3, not '4'."),
        (("zero", "X"), "month must be 1, 2 or 3"),
        (("1", "X", "--due", "next week"), "due date must be a date like 2026-11-22"),
        (("1", "X", "--due", "2026-02-30"), "due date must be a date"),
        (("1", "   "), "title"),
    ],
)
def test_task_add_bad_input(
    capsys: pytest.CaptureFixture[str], sample_db: Path, args: tuple[str, ...], message: str
) -> None:
    before = len(tasks_of(sample_db, "Dispatch routing"))
    code, _, err = run(capsys, sample_db, "task", "add", "Dispatch routing", *args)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert len(tasks_of(sample_db, "Dispatch routing")) == before


def test_task_add_without_plan(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, _, err = run(capsys, sample_db, "task", "add", "Route optimisation", "1", "X")
    assert code == 2 and "no 90-day plan" in err


def test_task_done_and_undo(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, _ = run(
        capsys, sample_db, "task", "done", "Dispatch routing", "surface DISAGREEMENTS now"
    )
    assert code == 0 and out.startswith("Done: Surface disagreements now")
    t = next(t for t in tasks_of(sample_db, "Dispatch routing") if t.title.startswith("Surface"))
    assert t.done and t.done_by == "cli-tester" and t.done_at is not None
    code, out, _ = run(capsys, sample_db, "task", "done", "Dispatch routing", t.id[:8])
    assert code == 0 and "already done" in out
    code, out, _ = run(capsys, sample_db, "task", "done", "Dispatch routing", t.id, "--undo")
    assert code == 0 and out.startswith("Not done:")
    t = next(x for x in tasks_of(sample_db, "Dispatch routing") if x.id == t.id)
    assert not t.done and t.done_by == ""
    code, out, _ = run(capsys, sample_db, "task", "done", "Dispatch routing", t.id)
    code, out, _ = run(capsys, sample_db, "task", "undone", "Dispatch routing", t.id)
    assert code == 0 and out.startswith("Not done:")


def test_unknown_task(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, _, err = run(capsys, sample_db, "task", "done", "Dispatch routing", "Feed the cat")
    assert code == 2
    assert err == "bridge: no task of Dispatch routing matches 'Feed the cat'.\n"


def test_ambiguous_task(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    run(capsys, sample_db, "task", "add", "Dispatch routing", "2", "Lock the scope")
    code, _, err = run(capsys, sample_db, "task", "done", "Dispatch routing", "Lock the scope")
    assert code == 2 and "matches several tasks" in err


def test_ambiguous_id_prefix(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    """Two task ids sharing a prefix: the prefix is refused, the longer one works."""
    store = Store.open(sample_db)
    svc = Service(store, "t", FROZEN_TODAY)
    i = svc.resolve("Dispatch routing")
    with svc._tx() as tx:
        for n, ident in enumerate(
            ["abcd1111-0000-4000-8000-000000000001", "abcd2222-0000-4000-8000-000000000002"]
        ):
            title = ("First twin", "Second twin")[n]
            tx.insert(PlanTask(id=ident, initiative_id=i.id, month=2, title=title, position=9 + n))
    store.close()
    code, _, err = run(capsys, sample_db, "task", "done", "Dispatch routing", "abcd")
    assert code == 2 and "'abcd' matches several tasks" in err
    code, out, _ = run(capsys, sample_db, "task", "done", "Dispatch routing", "abcd2")
    assert code == 0 and "Second twin" in out


def test_task_edit(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, err = run(
        capsys,
        sample_db,
        "task",
        "edit",
        "Dispatch routing",
        "Surface disagreements now",
        "--title",
        "Surface disagreements in the steering group",
        "--owner",
        "Maya",
        "--month",
        "2",
        "--notes",
        "Two open points",
    )
    assert code == 0, err
    assert "month 2, Integrate" in out
    t = next(t for t in tasks_of(sample_db, "Dispatch routing") if t.title.startswith("Surface"))
    assert (t.title, t.owner, t.month, t.notes) == (
        "Surface disagreements in the steering group",
        "Maya",
        2,
        "Two open points",
    )
    code, _, _ = run(
        capsys, sample_db, "task", "edit", "Dispatch routing", t.id, "--due", "2026-12-01"
    )
    assert code == 0
    t = next(x for x in tasks_of(sample_db, "Dispatch routing") if x.id == t.id)
    assert t.due is not None and t.due.isoformat() == "2026-12-01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "4"), "month must be 1, 2 or 3, not '4'."),
        (("--due", "12/01/2026"), "due date must be a date like 2026-11-22"),
        (("--title", ""), "title"),
        ((), "nothing to change"),
    ],
)
def test_task_edit_bad_input(
    capsys: pytest.CaptureFixture[str], sample_db: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(
        capsys, sample_db, "task", "edit", "Dispatch routing", "Lock the scope", *args
    )
    assert code == 2 and message in err and "Traceback" not in err
    t = next(t for t in tasks_of(sample_db, "Dispatch routing") if t.title == "Lock the scope")
    assert t.revision == 1 or t.month == 1  # unchanged


def test_task_delete(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, _ = run(
        capsys, sample_db, "task", "delete", "Dispatch routing", "Lock the scope", "--yes"
    )
    assert code == 0 and out.startswith("Deleted: Lock the scope")
    assert all(t.title != "Lock the scope" for t in tasks_of(sample_db, "Dispatch routing"))
    code, _, err = run(
        capsys, sample_db, "task", "delete", "Dispatch routing", "Lock the scope", "--yes"
    )
    assert code == 2 and "no task" in err


def test_task_delete_asks(
    capsys: pytest.CaptureFixture[str], sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, _, err = run(capsys, sample_db, "task", "delete", "Dispatch routing", "Lock the scope")
    assert code == 2 and "nothing was changed" in err
    assert any(t.title == "Lock the scope" for t in tasks_of(sample_db, "Dispatch routing"))
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    code, out, _ = run(capsys, sample_db, "task", "delete", "Dispatch routing", "Lock the scope")
    assert code == 0 and "Deleted: Lock the scope" in out


def test_read_only_file_refuses(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, _, err = run(
        capsys,
        sample_db,
        "--read-only",
        "task",
        "done",
        "Dispatch routing",
        "Surface disagreements now",
    )
    assert code == 2 and "read-only" in err


def test_stale_is_exit_1(
    capsys: pytest.CaptureFixture[str], sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A teammate saved the task between our read and our write: refused with exit 1."""
    from bridge_tui.service import plan as plan_service

    original = plan_service.PlanOps.resolve_task

    def stale_resolve(self: Service, initiative, ref):  # type: ignore[no-untyped-def]
        t = original(self, initiative, ref)
        other = Service(self.store, "someone", FROZEN_TODAY)
        other.edit_task(t, notes="changed meanwhile")
        return t

    monkeypatch.setattr(plan_service.PlanOps, "resolve_task", stale_resolve)
    code, _, err = run(
        capsys, sample_db, "task", "done", "Dispatch routing", "Surface disagreements now"
    )
    assert code == 1 and "someone changed this task" in err


def test_move_into_productionize_creates_plan(
    capsys: pytest.CaptureFixture[str], sample_db: Path
) -> None:
    code, out, err = run(
        capsys,
        sample_db,
        "move",
        "Route optimisation",
        "productionize",
        "--force",
        "--reason",
        "Board said so",
    )
    assert code == 0, err
    assert "Created its 90-day plan" in out
    code, out, _ = run(capsys, sample_db, "plan", "Route optimisation", "--json")
    assert code == 0 and json.loads(out)["start_date"] == FROZEN_TODAY.isoformat()


def test_plan_start(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, err = run(capsys, sample_db, "plan", "Dispatch routing", "--start", "2026-10-24")
    assert code == 0, err
    assert "Day 1 of the plan of Dispatch routing is now 2026-10-24." in out
    assert "day 30 of 90" in out and "On track" in out
    code, _, err = run(capsys, sample_db, "plan", "Dispatch routing", "--start", "soon")
    assert code == 2 and err == "bridge: start date must be a date like 2026-11-22, not 'soon'.\n"
    code, out, _ = run(
        capsys, sample_db, "plan", "Route optimisation", "--create", "--start", "2026-12-01"
    )
    assert code == 0 and "starts in 9 days" in out
