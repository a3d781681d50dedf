"""A writer killed with SIGKILL at random moments never leaves a half-written change.

Each round starts a process that saves as fast as it can (every save is one transaction that
writes several rows and their change-log entries together), kills it at a random moment, then
checks the file: it opens (the crashed writer's hot journal is rolled back), passes
`integrity_check`, and every transaction is wholly present or wholly absent: the rows and the
change log agree entry for entry.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bridge_tui.store import ENTITIES, Store
from bridge_tui.store.merge import read_log
from bridge_tui.store.merge_rules import fold

ROUNDS = 50
MAX_ROUNDS = 400
TASKS_PER_PLAN = 15  # the 90-day plan template (checked below)


def _ctx() -> Any:
    return mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def writer(path: str, started: Any, saves: Any, seed: int) -> None:
    """Save forever: new initiatives straight into Productionize (initiative + plan + tasks in
    one transaction) alternating with edits and answers. `saves` counts the committed saves."""
    from bridge_tui.service import Service

    svc = Service(Store.open(path), f"writer{seed}", date(2026, 11, 22))
    rng = random.Random(seed)
    started.set()
    n = 0
    while True:
        n += 1
        created = svc.create_initiative(
            f"crash {seed}-{n}", stage="productionize", force=True, reason="crash test"
        )
        saves.value += 1
        svc.edit_initiative(created, owner=f"owner {n}", summary="x" * rng.randint(1, 3000))
        saves.value += 1
        svc.answer(created, "D1", rng.choice(["yes", "no"]))
        saves.value += 1


def check_file(path: Path) -> tuple[int, int]:
    """The file opens, is intact, and its rows and change log agree. Returns (txs, rows)."""
    store = Store.open(path)
    try:
        assert store.integrity() == "ok"
        conn = store.conn
        log = read_log(conn)
        # every transaction is whole: an initiative created in Productionize comes with its plan
        # and all its tasks, in the same transaction
        by_tx: dict[str, list[Any]] = {}
        for r in log:
            by_tx.setdefault(r.tx, []).append(r)
        for tx, rows in by_tx.items():
            created = [r for r in rows if r.field == "*" and r.entity == "initiative"]
            if created:
                kinds = sorted(r.entity for r in rows)
                assert kinds.count("plan") == 1, tx
                assert kinds.count("task") == TASKS_PER_PLAN, tx
        # every row has its log, every logged field matches its row
        state = fold(log)
        total_rows = 0
        for entity, (table, model) in ENTITIES.items():
            stamps = getattr(model, "STAMP_FIELDS", frozenset())
            for row in store.all(model, include_deleted=True):
                total_rows += 1
                dumped = row.model_dump(mode="json")
                fields = [f for f in dumped if f not in ("id", "revision") and f not in stamps]
                for f in fields:
                    key = (entity, dumped["id"], f)
                    assert key in state, f"{table} row {dumped['id']} has no log for {f}"
                    assert state[key].value == dumped[f], f"{table}.{f} disagrees with its log"
        logged_entities = {(k[0], k[1]) for k in state}
        assert len(logged_entities) == total_rows, "a logged row is missing"
        return len(by_tx), total_rows
    finally:
        store.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_half_written_change(tmp_path: Path) -> None:
    from bridge_tui import method

    assert sum(len(m.tasks) for m in method.PLAN_TEMPLATE) == TASKS_PER_PLAN
    path = tmp_path / "crash.db"
    Store.create(path).close()
    ctx = _ctx()
    rng = random.Random(1234)
    journals_left = 0
    last_txs = 0
    round_no = 0
    # At least ROUNDS kills; on a loaded machine the writer may commit little in a round, so
    # the rounds go on (up to MAX_ROUNDS) until the kills have really landed mid-save (a hot
    # journal left behind) and saves have committed: the test waits for those events rather
    # than counting on what random sleeps reach.
    # Each round waits for events, not for what a random sleep happens to reach: the writer
    # has committed at least one more save (a busy machine only makes a round longer), then it
    # is killed a random moment later, mostly in the middle of its next save. Rounds go on
    # (up to MAX_ROUNDS) until some kill has really landed mid-save (a hot journal left).
    while round_no < ROUNDS or journals_left == 0:
        assert round_no < MAX_ROUNDS, f"after {round_no} kills no save was caught half-written"
        started = ctx.Event()
        saves = ctx.Value("i", 0)
        proc = ctx.Process(target=writer, args=(str(path), started, saves, round_no), daemon=True)
        proc.start()
        assert started.wait(30), "the writer did not start"
        target = rng.randint(1, 3)
        deadline = time.monotonic() + 60
        while saves.value < target:
            assert time.monotonic() < deadline, f"the writer committed {saves.value} saves"
            assert proc.is_alive(), f"the writer stopped (exit code {proc.exitcode})"
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.02))
        proc.kill()
        proc.join(10)
        assert proc.exitcode == -9
        if path.with_name(path.name + "-journal").exists():
            journals_left += 1
        txs, _ = check_file(path)
        assert txs >= last_txs + target, "a committed transaction disappeared"
        last_txs = txs
        round_no += 1
    print(json.dumps({"rounds": round_no, "hot_journals": journals_left, "txs": last_txs}))
