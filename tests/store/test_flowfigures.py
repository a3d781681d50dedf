"""The flow's figures counted in SQL (`store/flowfigures.py`) equal the pure `flow.compute` on
random portfolios with their history: forward, forced and backward moves, several moves on one
day, kills, revivals, deleted initiatives, and windows (`since`) across the history; also on a
file a merge slipped older changes into."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bridge_tui import flow, method
from bridge_tui.models import Initiative
from bridge_tui.service import Service
from bridge_tui.store import Store

TODAY = date(2026, 11, 22)


def build(path: Path, seed: int, n: int) -> None:
    """`n` initiatives over two years, each with up to 9 random moves written the way the app
    writes them (one transaction per move), a few deleted."""
    rng = random.Random(seed)
    store = Store.create(path)
    store.reseed(seed)
    start = TODAY - timedelta(days=700)
    for k in range(n):
        born = start + timedelta(days=rng.randrange(0, 650))
        store.clock = lambda d=born: datetime.combine(d, datetime.min.time(), tzinfo=UTC)  # type: ignore[misc]
        with store.transaction("gen") as tx:
            ini = tx.insert(
                Initiative(
                    id=store.new_id(),
                    name=f"I{k:03d}",
                    stage=rng.choice(method.FLOW[:3]),
                    stage_entered_at=born,
                    created_at=store.clock(),
                    updated_at=store.clock(),
                )
            )
        day = born
        for _ in range(rng.randrange(0, 10)):
            day += timedelta(days=rng.choice((0, 0, 3, 20, 90)))
            if day > TODAY:
                break
            stage = rng.choice(method.STAGE_IDS)
            forced = "pushed through" if rng.random() < 0.3 else ""
            reason = forced if forced and rng.random() < 0.8 else rng.choice(("", "because"))
            store.clock = lambda d=day: datetime.combine(d, datetime.min.time(), tzinfo=UTC)  # type: ignore[misc]
            with store.transaction("gen") as tx:
                ini = tx.update(
                    ini,
                    None,
                    stage=stage,
                    stage_entered_at=day,
                    forced_reason=forced,
                    move_reason=reason,
                )
        if rng.random() < 0.08:
            with store.transaction("gen") as tx:
                tx.update(ini, None, deleted=True)
    store.close()


def summary(f: flow.Flow) -> dict[str, Any]:
    return {
        "json": flow.to_json(f),
        "apart": {s: (sf.forced_in, sf.back_in, sf.revived_in) for s, sf in f.stages.items()},
        "quarters": [(q.label, q.start, q.end, q.crossed_ids) for q in f.quarters],
        "conversion": {k: (c.cohort, c.reached) for k, c in f.conversion.items()},
    }


def both(path: Path, since: date | None) -> tuple[dict[str, Any], dict[str, Any]]:
    svc = Service(Store.open(path, read_only=True), "t", TODAY)
    try:
        counted = svc.store.flow_figures(TODAY, since)
        assert counted is not None
        return summary(counted), summary(flow.compute(svc.flow_inputs(), TODAY, since))
    finally:
        svc.close()


SINCE = (None, date(2025, 3, 1), date(2026, 1, 1), date(2026, 7, 15), TODAY)


@pytest.mark.parametrize("seed", range(12))
def test_sql_figures_equal_the_pure_ones(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "p.db"
    build(path, seed, 40)
    for since in SINCE:
        sql, pure = both(path, since)
        assert sql == pure, since


def test_sql_figures_equal_the_pure_ones_after_a_merge(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    build(ours, 99, 30)
    shutil.copyfile(ours, theirs)
    day = [date(2026, 11, 1)]
    them = Service(Store.open(theirs), "sam", lambda: day[0])
    alive = [i for i in them.initiatives() if i.stage not in ("killed", "infrastructure")]
    for ini in alive[:10]:
        them.move(ini, "killed", force=True, reason="theirs")
    them.close()
    day[0] = date(2026, 11, 20)
    us = Service(Store.open(ours), "maya", lambda: day[0])
    alive = [i for i in us.initiatives() if i.stage not in ("killed", "infrastructure")]
    for ini in alive[5:15]:
        us.move(ini, "infrastructure", force=True, reason="ours")
    us.merge(theirs)
    us.close()
    for since in SINCE:
        sql, pure = both(ours, since)
        assert sql == pure, since


def test_an_empty_portfolio_counts_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    Store.create(path).close()
    sql, pure = both(path, None)
    assert sql == pure
    assert sql["quarters"] == []
