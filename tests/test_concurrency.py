"""Several processes on one file: no lost update, no half-written change, a busy file reported.

Two processes make 200 edits each to the same initiatives, some fields only one of them edits and
one field both edit. Every edit either lands (and the change log has exactly it) or is refused as
a stale revision naming who saved first; nothing is silently overwritten.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bridge_tui.errors import Busy, StaleRevision
from bridge_tui.models import Initiative
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.store import db as dbmod

EDITS = 200
FIELDS = {0: "owner", 1: "team"}  # each writer's own field; both also edit "summary"


def _ctx() -> Any:
    return mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def editor(path: str, worker: int, ids: list[str], out: str, go: Any) -> None:
    svc = Service(Store.open(path), f"w{worker}", date(2026, 11, 22))
    rng = random.Random(worker)
    results: list[dict[str, Any]] = []
    go.wait(30)
    for n in range(EDITS):
        iid = rng.choice(ids)
        field = FIELDS[worker] if n % 2 == 0 else "summary"
        value = f"w{worker}-{n}"
        seen = svc.initiative(iid)  # what the person saw on screen
        time.sleep(rng.uniform(0, 0.004))  # typing...
        try:
            svc.edit_initiative(seen, **{field: value})
            results.append({"id": iid, "field": field, "value": value, "outcome": "landed"})
        except StaleRevision as exc:
            assert exc.author in ("w0", "w1"), exc.message
            assert " at " in exc.message
            results.append({"id": iid, "field": field, "value": value, "outcome": "stale"})
        except Busy as exc:  # would fail the test below: the busy timeout is generous
            results.append({"id": iid, "field": field, "value": value, "outcome": str(exc)})
    Path(out).write_text(json.dumps(results))
    svc.store.close()


@pytest.mark.slow
def test_two_processes_200_edits_each_every_edit_landed_or_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    store = Store.create(path)
    svc = Service(store, "setup", date(2026, 11, 22))
    ids = [svc.create_initiative(f"Shared {n}").id for n in range(3)]
    store.close()

    ctx = _ctx()
    go = ctx.Event()
    outs = [tmp_path / f"w{n}.json" for n in range(2)]
    procs = [
        ctx.Process(target=editor, args=(str(path), n, ids, str(outs[n]), go)) for n in range(2)
    ]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0

    results = {n: json.loads(outs[n].read_text()) for n in range(2)}
    outcomes = [r["outcome"] for rs in results.values() for r in rs]
    assert len(outcomes) == 2 * EDITS
    assert set(outcomes) <= {"landed", "stale"}, "an edit was neither saved nor refused"
    assert outcomes.count("stale") > 0, "the writers never overlapped: the test proves nothing"

    store = Store.open(path)
    try:
        assert store.integrity() == "ok"
        log = {
            (c.author, c.entity_id, c.field, c.new)
            for c in store.changes(expand=False)
            if c.author in ("w0", "w1")
        }
        for n, rs in results.items():
            landed = {
                (f"w{n}", r["id"], r["field"], r["value"]) for r in rs if r["outcome"] == "landed"
            }
            refused = {
                (f"w{n}", r["id"], r["field"], r["value"]) for r in rs if r["outcome"] == "stale"
            }
            assert landed <= log, "a saved edit is missing from the change log"
            assert not (refused & log), "a refused edit was written anyway"
        landed_count = outcomes.count("landed")
        assert len(log) == landed_count, "the change log holds edits nobody made"
        # the file shows, for every field, the last edit that landed on it
        for iid in ids:
            current = store.get(Initiative, iid)
            assert current is not None
            for field in ("owner", "team", "summary"):
                newest = store.conn.execute(
                    "SELECT new FROM changes WHERE entity_id = ? AND field = ? "
                    "ORDER BY hlc DESC, change_id DESC LIMIT 1",
                    (iid, field),
                ).fetchone()
                if newest is not None:
                    assert getattr(current, field) == json.loads(newest[0])
    finally:
        store.close()


def test_a_busy_file_is_retried_then_reported_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "busy.db"
    Store.create(path).close()
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 0.3)
    store = Store.open(path)
    svc = Service(store, "me", date(2026, 11, 22))
    blocker = sqlite3.connect(str(path), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(Busy) as err:
            svc.create_initiative("Never half-written")
        waited = time.monotonic() - started
        assert waited >= 0.25, "it gave up without waiting for the busy timeout"
        message = err.value.message
        assert message.endswith(".") and "\n" not in message and "busy" in message
        assert err.value.exit_code == 2
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert svc.initiatives() == []  # nothing half-written
    assert svc.create_initiative("Now it saves").name == "Now it saves"
    store.close()


def test_a_lock_released_within_the_busy_timeout_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "wait.db"
    Store.create(path).close()
    store = Store.open(path)
    svc = Service(store, "me", date(2026, 11, 22))
    blocker = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN EXCLUSIVE")
    import threading

    threading.Timer(0.3, lambda: blocker.execute("ROLLBACK")).start()
    created = svc.create_initiative("Waited for the lock")
    assert svc.initiative(created.id).name == "Waited for the lock"
    blocker.close()
    store.close()
