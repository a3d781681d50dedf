"""Board benchmark: cold start to the settled first paint (`bench_start.py` times the first
frame), and key to repaint for a move, a filter keystroke and a page of scrolling, on portfolios
of 50, 1,000 and 10,000 initiatives, each beside a bare Textual app (header, one label, footer)
measured the same way on the same machine.

    python benchmarks/bench_board.py            # 50, 1000, 10000
    python benchmarks/bench_board.py 50 2000    # other sizes
    BRIDGE_BENCH_RUNS=5 python benchmarks/bench_board.py

A script, not a test: numbers depend on the machine; the ratios are what to compare.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import median, ms, portfolio, run_on_copy

SIZES = (50, 1_000, 10_000)
RUNS = int(os.environ.get("BRIDGE_BENCH_RUNS", "3"))
MOVES = 8

#: The same auto-pilot for both apps: first paint, then timed keys (h between moves is untimed:
#: the selection follows a moved card into Pilot, h brings it back to Experiment).
PILOT = """
async def drive(pilot):
    import time
    await pilot.pause()
    out["cold"] = time.time() - T0
    # a large board reads the rest of its cards in a worker: the keys are timed on all of them
    while not getattr(pilot.app.screen, "complete", True):
        await pilot.pause(0.01)
    moves = []
    for _ in range(MOVES):
        await pilot.press("h")
        await pilot.pause()
        t = time.perf_counter()
        await pilot.press("shift+right")
        await pilot.pause()
        moves.append(time.perf_counter() - t)
    out["move"] = sorted(moves)[len(moves) // 2]
    await pilot.press("slash")
    await pilot.pause()
    t = time.perf_counter()
    await pilot.press("r")
    await pilot.pause()
    out["filter"] = time.perf_counter() - t
    await pilot.press("escape")
    await pilot.pause()
    pages = []
    for _ in range(5):
        t = time.perf_counter()
        await pilot.press("pagedown")
        await pilot.pause()
        pages.append(time.perf_counter() - t)
    out["page"] = sorted(pages)[len(pages) // 2]
    pilot.app.exit()
"""

BRIDGE_CHILD = (
    """
import json, sys, time
T0 = float(sys.argv[1])
MOVES = int(sys.argv[3])
out = {}
from datetime import date
from bridge_tui.tui.app import build_app
"""
    + PILOT
    + """
app = build_app(sys.argv[2], author="bench", today=date(2026, 11, 22))
app.run(headless=True, size=(160, 45), auto_pilot=drive)
print(json.dumps(out))
"""
)

BARE_CHILD = (
    """
import json, sys, time
T0 = float(sys.argv[1])
MOVES = int(sys.argv[3])
out = {}
from textual.app import App
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

class Bare(App):
    BINDINGS = [Binding("shift+right", "bump", "Bump"), Binding("pagedown", "bump", "Page"),
                Binding("r", "bump", "R"), Binding("h", "noop", "H")]
    n = 0
    def compose(self):
        yield Header()
        yield Static("0", id="n")
        yield Footer()
    def action_bump(self):
        self.n += 1
        self.query_one("#n", Static).update(str(self.n))
    def action_noop(self):
        pass
"""
    + PILOT
    + """
Bare().run(headless=True, size=(160, 45), auto_pilot=drive)
print(json.dumps(out))
"""
)


def measure(script: str, db: Path | None) -> dict[str, float]:
    """Medians over RUNS fresh processes, each on its own copy of the portfolio: the moves
    would otherwise pile up in the cached file and empty its Experiment column."""
    runs = [run_on_copy(script, db, str(MOVES)) for _ in range(RUNS)]
    return {k: median([r[k] for r in runs]) for k in runs[0]}


def main(argv: list[str]) -> None:
    sizes = tuple(int(a) for a in argv) or SIZES
    print(f"bridge board benchmark: {RUNS} fresh processes per figure, medians; 160x45 headless")
    bare = measure(BARE_CHILD, None)
    rows = []
    for n in sizes:
        db = portfolio(n)
        rows.append((n, measure(BRIDGE_CHILD, db)))
    head = (
        f"{'initiatives':>11} | {'cold start, settled':^30} | {'move: key to repaint':^26}"
        f" | {'filter key':^10} | {'page down':^10}"
    )
    print()
    print(head)
    print(
        f"{'':>11} | {'bridge':>9} {'bare':>9} {'ratio':>8} | {'bridge':>8} {'bare':>8} "
        f"{'ratio':>6} | {'bridge':>10} | {'bridge':>10}"
    )
    print("-" * len(head))
    for n, r in rows:
        print(
            f"{n:>11,} | {ms(r['cold']):>9} {ms(bare['cold']):>9} {r['cold'] / bare['cold']:>7.1f}x"
            f" | {ms(r['move']):>8} {ms(bare['move']):>8} {r['move'] / bare['move']:>5.1f}x"
            f" | {ms(r['filter']):>10} | {ms(r['page']):>10}"
        )
    print(
        f"\nbare Textual app: filter key {ms(bare['filter'])}, page down {ms(bare['page'])} "
        "(one label updated per key)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
