"""Merge laws on generated histories: commutative, associative, idempotent, nothing lost silently.

Three copies of one file each take a generated run of edits, answers, new initiatives, deletes
and merges from one another, on clocks that drift apart (and sometimes tie). Then:

- merging B into A gives the same rows as merging A into B (commutative);
- (A + B) + C gives the same rows as A + (B + C) (associative);
- merging a copy again, or a copy into its own copy, changes nothing (idempotent);
- every field whose value one side set since they diverged and which the merge replaced is
  listed as a conflict (nothing is lost without being reported).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge_tui.clock import Clock as OneClock
from bridge_tui.models import Answer, answer_id
from bridge_tui.service import Service
from bridge_tui.store import ENTITIES, Store
from bridge_tui.store.merge import read_log
from bridge_tui.store.merge_rules import LogRow, fold, plan_merge

TODAY = date(2026, 11, 22)
BASE = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
COPIES = 3

#: few initiatives, fields and values, so that copies often touch the same field
edit = st.tuples(
    st.just("edit"),
    st.integers(0, 2),
    st.sampled_from(["owner", "owner", "summary", "pilot_budget"]),
    st.integers(0, 3),
)
answer = st.tuples(
    st.just("answer"),
    st.integers(0, 2),
    st.sampled_from(["D1", "D1", "D2"]),
    st.integers(0, 2),
)
create = st.tuples(st.just("create"), st.integers(0, 3), st.just(""), st.integers(0, 3))
delete = st.tuples(st.just("delete"), st.integers(0, 2), st.sampled_from(["D1", "D2"]), st.just(0))
pull = st.tuples(st.just("pull"), st.integers(0, COPIES - 1), st.just(""), st.just(0))
op = st.tuples(
    st.integers(0, COPIES - 1), st.one_of(edit, edit, answer, answer, create, delete, pull)
)
history = st.lists(op, min_size=3, max_size=16)
#: per copy: how far its wall clock is off (ms), and how fast it ticks; ties happen at 0
skews = st.lists(st.sampled_from([0, 0, 1, 250, -250, 60_000]), min_size=COPIES, max_size=COPIES)


class Clock:
    def __init__(self, skew_ms: int) -> None:
        self.now = BASE + timedelta(milliseconds=skew_ms)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


def _open(path: Path, n: int, skew: int, seed: int) -> Service:
    return Service(Store.open(path, seed=seed), f"p{n}", OneClock(lambda: TODAY, Clock(skew)))


def apply(svc: Service, step: tuple[str, int, str, int], paths: list[Path]) -> None:
    kind, target, name, value = step
    live = sorted(svc.store.initiatives(include_deleted=True), key=lambda i: i.id)
    if kind == "create":
        svc.create_initiative(f"New {value}")
        return
    if kind == "pull":
        if paths[target] != svc.store.path:
            svc.merge(paths[target])
        return
    if not live:
        return
    initiative = live[target % len(live)]
    if kind == "edit":
        values: dict[str, Any] = {
            "owner": ["", "Ana", "Ben", "Cy"],
            "team": ["", "Ops", "Data", "Yard"],
            "summary": ["", "short", "longer text", "x"],
            "pilot_budget": [0.0, 100.0, 2500.0, 7.5],
        }
        svc.edit_initiative(initiative, **{name: values[name][value]})
    elif kind == "answer":
        svc.answer(initiative, name, ["yes", "no", "unknown"][value % 3])
    elif kind == "delete":
        existing = svc.store.get(Answer, answer_id(initiative.id, name))
        if existing is not None:
            with svc._tx() as tx:
                tx.delete(existing)


def state(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Every row of every table (revision aside: it counts saves per file)."""
    store = Store.open(path, read_only=True)
    try:
        # every copy and every merge passes the full check on open: its rows agree with its log
        assert store.refusal is None, store.refusal
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for entity, (_, model) in ENTITIES.items():
            rows = {}
            for m in store.all(model, include_deleted=True):
                data = m.model_dump(mode="json")
                data.pop("revision")
                rows[data["id"]] = data
            out[entity] = rows
        return out
    finally:
        store.close()


def change_ids(path: Path) -> set[str]:
    store = Store.open(path, read_only=True)
    try:
        return {r.change_id for r in read_log(store.conn)}
    finally:
        store.close()


def log(path: Path) -> list[LogRow]:
    store = Store.open(path, read_only=True)
    try:
        return read_log(store.conn)
    finally:
        store.close()


def build(tmp: Path, steps: list[Any], skew: list[int]) -> list[Path]:
    base = tmp / "base.db"
    store = Store.create(base, clock=Clock(0), seed=99)
    svc = Service(store, "base", TODAY)
    first = svc.create_initiative("Shared one", owner="Ana")
    svc.answer(first, "D1", "no")
    svc.create_initiative("Shared two")
    store.close()
    paths = [tmp / f"copy{n}.db" for n in range(COPIES)]
    for p in paths:
        shutil.copyfile(base, p)
    services = [_open(p, n, skew[n], seed=n + 1) for n, p in enumerate(paths)]
    try:
        for who, step in steps:
            apply(services[who], step, paths)
    finally:
        for s in services:
            s.store.close()
    return paths


def merged(tmp: Path, name: str, into: Path, *others: Path) -> Path:
    out = tmp / name
    shutil.copyfile(into, out)
    svc = Service(Store.open(out), "merger", TODAY)
    try:
        for other in others:
            svc.merge(other)
    finally:
        svc.store.close()
    return out


def with_tmp(test: Callable[[Path], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="bridge-props-") as tmp:
        test(Path(tmp))


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(history, skews)
def test_merge_is_commutative_and_idempotent(steps: list[Any], skew: list[int]) -> None:
    def check(tmp: Path) -> None:
        a, b, _ = build(tmp, steps, skew)
        ab = merged(tmp, "ab.db", a, b)
        ba = merged(tmp, "ba.db", b, a)
        assert state(ab) == state(ba)
        assert change_ids(ab) == change_ids(ba) == change_ids(a) | change_ids(b)
        before = ab.read_bytes()
        again = merged(tmp, "ab2.db", ab, b, a, ab.with_name("ba.db"))
        assert state(again) == state(ab)
        svc = Service(Store.open(ab), "merger", TODAY)
        assert svc.merge(b).nothing_new and svc.merge(a).nothing_new
        svc.store.close()
        assert ab.read_bytes() == before

    with_tmp(check)


@SETTINGS
@given(history, skews)
def test_merge_is_associative(steps: list[Any], skew: list[int]) -> None:
    def check(tmp: Path) -> None:
        a, b, c = build(tmp, steps, skew)
        left = merged(tmp, "left.db", merged(tmp, "ab.db", a, b), c)
        bc = merged(tmp, "bc.db", b, c)
        right = merged(tmp, "right.db", a, bc)
        assert state(left) == state(right)
        assert change_ids(left) == change_ids(right)

    with_tmp(check)


@SETTINGS
@given(history, skews)
def test_no_change_is_lost_without_appearing_as_a_conflict(
    steps: list[Any], skew: list[int]
) -> None:
    def check(tmp: Path) -> None:
        a, b, _ = build(tmp, steps, skew)
        log_a, log_b = log(a), log(b)
        ids_a = {r.change_id for r in log_a}
        ids_b = {r.change_id for r in log_b}
        plan = plan_merge(log_a, log_b)
        conflicts = {(c.entity, c.entity_id, c.field) for c in plan.conflicts}
        final = fold(log_a + [r for r in log_b if r.change_id not in ids_a])
        for side, side_log, not_in in (("a", log_a, ids_b), ("b", log_b, ids_a)):
            for key, version in fold(side_log).items():
                own = version.change_id not in not_in
                if own and final[key].value != version.value:
                    assert key in conflicts, f"{side}'s {key} = {version.value!r} lost silently"
        # the conflict report is the same whichever side merges
        mirror = {(c.entity, c.entity_id, c.field) for c in plan_merge(log_b, log_a).conflicts}
        assert mirror == conflicts
        # and the file really ends with the folded values
        ab = merged(tmp, "ab.db", a, b)
        rows = state(ab)
        for (entity, eid, field), version in final.items():
            if entity in rows and eid in rows[entity] and field in rows[entity][eid]:
                assert rows[entity][eid][field] == version.value

    with_tmp(check)
