"""Flow benchmark (issue 16): the flow figures of a portfolio with its full stage history, and
opening the Flow screen (key 5) beside a bare Textual app pushing a bare screen.

    python benchmarks/bench_flow.py            # 50, 1000, 10000
    python benchmarks/bench_flow.py 10000      # one size
    BRIDGE_BENCH_RUNS=5 python benchmarks/bench_flow.py

Every initiative gets a history of 1 to 8 moves over two years, written through the store's
change log one transaction per move: forward moves (some forced past their gate), moves back,
kills and revivals. "flow" is `service.flow()` (two queries and the pure computation);
"compute" the pure `flow.compute` alone. "open" is key 5 to the settled repaint of the screen
(the figures are read after its first paint); "drawn" is key 5 until plotext's thread has
drawn the chart. The bare app pushes a screen with a header, a label and a footer.

A script, not a test: numbers depend on the machine; the ratios are what to compare.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BARE_APP, SEED, TODAY, cache_dir, median, ms, run_on_copy

from bridge_tui import flow, method
from bridge_tui.models import Initiative
from bridge_tui.service import Service
from bridge_tui.store import SCHEMA_VERSION, Store

SIZES = (50, 1_000, 10_000)
RUNS = int(os.environ.get("BRIDGE_BENCH_RUNS", "3"))
ROUNDS = 3
#: seconds the app sits on the board before the key (a person reading it)
WAIT_S = 2.0
VERSION = 3


def _path(rng: random.Random) -> list[tuple[int, str, str, str]]:
    """(days after the start, stage, forced reason, move reason) of one initiative's moves."""
    flow_stages = method.FLOW
    moves: list[tuple[int, str, str, str]] = []
    day, here = 0, 0
    for _ in range(rng.randrange(0, 8)):
        day += rng.randrange(5, 120)
        roll = rng.random()
        if here >= 0 and roll < 0.08:
            moves.append((day, method.KILLED, "", "stopped"))
            here = -1
        elif here < 0:
            moves.append((day, flow_stages[0], "", "revived"))
            here = 0
        elif roll < 0.2 and here > 0:
            here -= 1
            moves.append((day, flow_stages[here], "", "moved back"))
        elif here < len(flow_stages) - 1:
            here += 1
            forced = "forced by the sponsor" if rng.random() < 0.1 else ""
            moves.append((day, flow_stages[here], forced, forced))
    return moves


def build_history(path: Path, n: int) -> None:
    """`n` initiatives created over two years, each moved through `_path`, one logged
    transaction per move (as the app writes them)."""
    if path.exists():
        path.unlink()
    store = Store.create(path)
    store.conn.execute("PRAGMA synchronous = OFF")  # a throwaway file: build it fast
    store.reseed(SEED + n)
    rng = random.Random(SEED + n)
    start = TODAY - timedelta(days=2 * 365)
    with store.transaction("bench") as tx:
        for k in range(n):
            born = start + timedelta(days=rng.randrange(0, 600))
            at = datetime.combine(born, datetime.min.time(), tzinfo=UTC)
            store.clock = lambda at=at: at  # type: ignore[misc]
            tx.id = store.new_id()
            ini = tx.insert(
                Initiative(
                    id=store.new_id(),
                    name=f"Initiative {k + 1:05d}",
                    stage=method.FLOW[0],
                    stage_entered_at=born,
                    created_at=at,
                    updated_at=at,
                )
            )
            for days, stage, forced, reason in _path(rng):
                day = born + timedelta(days=days)
                if day > TODAY:
                    break
                tx.id = store.new_id()  # one transaction id per move, as the app's moves
                ini = tx.update(
                    ini,
                    None,
                    stage=stage,
                    stage_entered_at=day,
                    forced_reason=forced,
                    move_reason=reason,
                    kill_reason=reason if stage == method.KILLED else "",
                )
    store.close()


def history_portfolio(n: int) -> Path:
    path = cache_dir() / f"flow-{n}-v{VERSION}-schema{SCHEMA_VERSION}.db"
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        build_history(tmp, n)
        tmp.replace(path)
        print(f"  built {n:,} initiatives with history in {time.perf_counter() - started:.1f} s")
    return path


def time_flow(db: Path) -> tuple[float, float, int]:
    """(service.flow(), flow.compute alone, change-log rows read): medians over RUNS."""
    service = Service(Store.open(db, read_only=True), "bench", TODAY)
    whole, pure = [], []
    rows = len(service.store.flow_rows())
    for _ in range(RUNS):
        t = time.perf_counter()
        f = service.flow()
        whole.append(time.perf_counter() - t)
        inputs = service.flow_inputs()
        t = time.perf_counter()
        flow.compute(inputs, TODAY)
        pure.append(time.perf_counter() - t)
        assert sum(s.entered for s in f.stages.values()) >= len(inputs)
    service.close()
    return median(whole), median(pure), rows


PILOT = """
async def drive(pilot):
    import time
    from statistics import median
    await pilot.pause()
    await pilot.pause()
    if WAIT:
        # a person reads the board before pressing a key: the app loads in the background
        await pilot.pause(WAIT)
        await pilot.app.workers.wait_for_complete()
    opens, drawn = [], []
    for _ in range(ROUNDS):
        PAINTED.clear()
        t = time.perf_counter()
        await pilot.press(KEY)
        for _ in range(2000):
            if PAINTED:
                break
            await pilot.pause(0.002)
        opens.append(PAINTED[0] - t)
        assert SHOWN(pilot.app)
        for _ in range(2000):
            if DRAWN(pilot.app):
                break
            await pilot.pause(0.005)
        drawn.append(time.perf_counter() - t)
        await pilot.press(BACK)
        await pilot.pause()
    out["first open"], out["again open"] = opens[0], median(opens[1:])
    out["first drawn"], out["again drawn"] = drawn[0], median(drawn[1:])
    pilot.app.exit()
"""

#: both apps note when a screen has painted after being shown: the first refresh after it was
#: mounted or resumed (what a person sees: the screen, its keys, a loading indicator)
PAINT_HOOK = """
import time
PAINTED = []

def _painted():
    if not PAINTED:
        PAINTED.append(time.perf_counter())

def hook(cls):
    mount, resume = getattr(cls, "_on_mount", None), getattr(cls, "_on_screen_resume", None)

    def on_mount(self, *a):
        self.call_after_refresh(_painted)
        return mount(self, *a) if mount else None

    def on_resume(self, *a):
        self.call_after_refresh(_painted)
        return resume(self, *a) if resume else None

    cls._on_mount, cls._on_screen_resume = on_mount, on_resume
"""

BRIDGE_CHILD = (
    """
import json, sys
ROUNDS = int(sys.argv[3])
WAIT = float(sys.argv[4])
KEY, BACK = "5", "1"
out = {}
from datetime import date
from bridge_tui.tui.app import build_app
"""
    + PAINT_HOOK
    + """
import bridge_tui.tui.screens.base as base
hook(base.BridgeScreen)

def SHOWN(app):
    return type(app.screen).__name__ == "FlowScreen"

def DRAWN(app):
    return app.screen.flow is not None and app.screen.chart.settled
"""
    + PILOT
    + """
app = build_app(sys.argv[2], author="bench-ui", today=date(2026, 11, 22))
app.run(headless=True, size=(160, 45), auto_pilot=drive)
if "first open" not in out:
    raise SystemExit("the pilot did not finish")
print(json.dumps(out))
"""
)

BARE_CHILD = (
    """
import json, sys
ROUNDS = int(sys.argv[3])
WAIT = float(sys.argv[4])
KEY, BACK = "H", "escape"
out = {}
"""
    + BARE_APP
    + PAINT_HOOK
    + """
hook(BareScreen)

class Bench(Bare):
    BINDINGS = [Binding("H", "push"), Binding("escape", "pop")]

def SHOWN(app):
    return len(app.screen_stack) > 1

def DRAWN(app):
    return True
"""
    + PILOT
    + """
Bench().run(headless=True, size=(160, 45), auto_pilot=drive)
print(json.dumps(out))
"""
)


def measure(script: str, db: Path | None, wait: float) -> dict[str, float]:
    runs = [run_on_copy(script, db, str(ROUNDS), str(wait)) for _ in range(RUNS)]
    return {k: median([r[k] for r in runs]) for k in runs[0]}


def ui_figures(script: str, db: Path | None) -> dict[str, float]:
    """The screen opened right after start-up ("cold") and after the app sat for WAIT_S
    seconds, as a person reading the board would ("first open" and the rest)."""
    cold = measure(script, db, 0.0)
    warm = measure(script, db, WAIT_S)
    return {"cold open": cold["first open"], "cold drawn": cold["first drawn"], **warm}


def main(argv: list[str]) -> None:
    sizes = tuple(int(a) for a in argv) or SIZES
    started = time.perf_counter()
    print(
        f"bridge flow benchmark: {RUNS} runs per figure, medians; 160x45 headless; the screen "
        f"opened {ROUNDS} times from the board"
    )
    bare = ui_figures(BARE_CHILD, None)
    rows = []
    for n in sizes:
        db = history_portfolio(n)
        rows.append((n, time_flow(db), ui_figures(BRIDGE_CHILD, db)))
    print(f"\n{'initiatives':>11} | {'log rows':>8} | {'flow':>8} | {'compute':>8}")
    for n, (whole, pure, count), _ in rows:
        print(f"{n:>11,} | {count:>8,} | {ms(whole):>8} | {ms(pure):>8}")
    keys = ("cold open", "first open", "again open", "cold drawn", "first drawn", "again drawn")
    print("\nkey 5 to the Flow screen: bridge, its ratio to a bare screen push")
    print(f"{'initiatives':>11} | " + " | ".join(f"{k:>16}" for k in keys))
    for n, _, ui in rows:
        cells = [f"{ms(ui[k]):>9} {ui[k] / bare[k.replace('drawn', 'open')]:>5.1f}x" for k in keys]
        print(f"{n:>11,} | " + " | ".join(cells))
    print(f"{'bare push':>11} | " + " | ".join(f"{ms(bare[k]):>9}{'':7}" for k in keys))
    print(
        "\nflow: service.flow() (the kept moves, the figures); compute: flow.compute alone"
        "\nopen: key to the screen's first paint (its keys work; a loading indicator until the"
        " chart comes); drawn: key until the chart is drawn (ratio to the bare push's paint)"
        f"\ncold: pressed right after start-up; the others after the app sat {WAIT_S:g} s"
        f"\n({time.perf_counter() - started:.0f} s in all)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
