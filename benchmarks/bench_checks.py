"""What each check on a bridge file costs, by portfolio size (the README's sharing section).

For N initiatives (the benchmarks' portfolios: about 20 answers each, every row with its
change-log entry), the median of 3 runs of:

- header: the plain-file checks before SQLite opens the path (regular file, header and
  application id, WAL, size against page count x page size);
- schema: the schema objects against what the migrations create;
- stamps: the newest and oldest change-log stamps (two index lookups);
- quick_check and integrity_check: SQLite's own;
- content: every row read and validated, ids, references, stamps and every row against its
  change log (`bridge_tui.store.verify`);
- open: `Store.open` + the service, what every command pays (the full check included when
  the file is at most `checks.FULL_CHECK_BYTES`);
- merge checks: the checks a merge runs on an incoming copy before it writes anything (here
  the copy is the file itself, so for a big copy nothing is new: what remains is comparing
  every log entry with ours).

Figures are CPU time (see `CLOCK`), median of 3 (1 for the slowest at 10,000).

Run from the repository root: `python benchmarks/bench_checks.py [N ...]`.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from _common import ROOT, median, ms, portfolio  # noqa: F401  (ROOT puts bridge_tui on the path)

from bridge_tui.clock import Clock
from bridge_tui.service import Service
from bridge_tui.store import Store, checks, incoming, verify
from bridge_tui.store import db as dbmod
from bridge_tui.store.migrations import APPLICATION_ID, SCHEMA_VERSION, migrations

NOW = datetime(2026, 12, 31, tzinfo=UTC)  # later than any stamp a cached portfolio holds


#: CPU time of this process (not wall time): on a machine shared with other work it measures
#: the check itself rather than the wait for a core (the file is in the page cache after the
#: first run, so the two agree on an idle machine)
CLOCK = time.process_time


def timed(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = CLOCK()
        fn()
        times.append(CLOCK() - started)
    return median(times)


def measure(path: Path) -> dict[str, float]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    out: dict[str, float] = {}
    try:
        out["header"] = timed(lambda: checks.preflight(path, APPLICATION_ID, SCHEMA_VERSION))
        out["schema"] = timed(lambda: checks.foreign_objects(conn, migrations))
        out["stamps"] = timed(lambda: checks.stamp_problem(conn, NOW))
        out["quick_check"] = timed(lambda: conn.execute("PRAGMA quick_check").fetchall())
        out["integrity_check"] = timed(lambda: conn.execute("PRAGMA integrity_check").fetchall())
        out["content"] = timed(lambda: verify.problem(verify.read_file(conn), NOW))
    finally:
        conn.close()

    def open_file() -> None:
        svc = Service(Store.open(path, read_only=True), "bench", Clock.fixed(NOW))
        svc.close()

    out["open"] = timed(open_file)

    def merge_checks() -> None:
        store = Store.open(path, read_only=True)
        other = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dbmod.check_header(path)
            dbmod._inspect(other, path)
            incoming.check_structure(other, path)
            rows = other.execute(
                "SELECT change_id, tx, entity, entity_id, field, old, new, author, hlc FROM changes"
            ).fetchall()
            mine = incoming.our_log(store.conn)
            content = incoming.check_content(other, path, NOW, store.conn, rows, mine)
            incoming.check_ids(store.conn, path, rows, content, mine)
        finally:
            other.close()
            store.close()

    out["merge checks"] = timed(merge_checks, runs=1 if path.stat().st_size > 50e6 else 3)
    return out


def main(sizes: list[int]) -> None:
    cols = ["header", "schema", "stamps", "quick_check", "integrity_check", "content", "open"]
    cols.append("merge checks")
    print(f"{'initiatives':>11} | {'file':>8} | " + " | ".join(f"{c:>15}" for c in cols))
    for n in sizes:
        path = portfolio(n)
        figures = measure(path)
        size = f"{path.stat().st_size / 1e6:.1f} MB"
        cells = " | ".join(f"{ms(figures[c]):>15}" for c in cols)
        print(f"{n:>11,} | {size:>8} | {cells}", flush=True)
    print(f"(full check on open for files up to {checks.FULL_CHECK_BYTES / 1e6:.1f} MB)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [50, 250, 1000, 10_000])
