"""Slow actions at scale (issue 12, item 10): does the keyboard stay live while they run?

    python benchmarks/bench_slow_actions.py            # 1000 and 10000
    python benchmarks/bench_slow_actions.py 10000      # one size
    BRIDGE_BENCH_RUNS=3 python benchmarks/bench_slow_actions.py
    BRIDGE_BENCH_ACTIONS=preview,import python benchmarks/bench_slow_actions.py

Each action runs in a fresh interpreter on a fresh copy of a cached portfolio, after the app
has sat on the board for two seconds and has every card. A 20 ms timer ticks on the app's
thread meanwhile: "longest wait" is the longest gap between two ticks, the longest a key
pressed then would have waited to be handled. "done" is the key until the result is on
screen. The bare Textual app pushes a screen under the same timer, for the gap a bare app
shows.

  overview  key 4 until the heat map is filled
  review    key r until the agenda is scored and shown
  kill      key x until the kill dialog is up
  merge     Merge pressed (after its preview) until the merged copy is on screen; the
            teammate's copy changes 20 initiatives
  report    key w on the overview until the report is written
  preview   enter on a team's sheet of 1,000 new initiatives (the palette's "Import a
            spreadsheet") until its preview is shown
  import    Import pressed on that preview until the import's toast is up
  undo      ctrl+z after an edit of one initiative's team, until the board says it is undone

A script, not a test: numbers depend on the machine; the ratios are what to compare.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BARE_APP, TODAY, median, ms, portfolio, run_on_copy

SIZES = (1_000, 10_000)
RUNS = int(os.environ.get("BRIDGE_BENCH_RUNS", "1"))
ACTIONS = tuple(
    os.environ.get("BRIDGE_BENCH_ACTIONS", "overview,review,kill,merge,report,preview,import,undo")
    .replace(" ", "")
    .split(",")
)
#: rows of the team's sheet the preview and the import read
SHEET_ROWS = 1_000

#: shared by both children: the ticking timer and the wait for a condition
TICKS = """
import asyncio, json, sys, time

class Ticks:
    def __init__(self, app):
        self.gaps = []
        self.last = time.perf_counter()
        app.set_interval(0.02, self.tick)
    def tick(self):
        now = time.perf_counter()
        self.gaps.append(now - self.last)
        self.last = now
    def start(self):
        self.gaps.clear()
        self.last = time.perf_counter()
    def longest(self):
        return max(self.gaps, default=0.0)

async def until(pilot, test, limit=120.0):
    started = time.perf_counter()
    while not test():
        if time.perf_counter() - started > limit:
            raise SystemExit("gave up waiting")
        await asyncio.sleep(0.01)
    await pilot.pause()
"""

BRIDGE_CHILD = (
    TICKS
    + """
import datetime
from pathlib import Path
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import build_app
from bridge_tui.tui.busy import BusyNote

path, action = Path(sys.argv[2]), sys.argv[3]
today = datetime.date.fromisoformat(sys.argv[4])
rows = int(sys.argv[5])

def team_sheet():
    import csv
    sheet = path.with_name("team sheet.csv")
    statuses = ("idea", "POC", "pilot", "validate", "live")
    with sheet.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Use case", "Status", "Owner"])
        for n in range(rows):
            out.writerow([f"Team use case {n:04d}", statuses[n % 5], f"Owner {n % 40}"])
    return sheet

def teammate_copy():
    copy = path.with_name("sam-copy.db")
    store = Store.open(path)
    try:
        Service(store, "ana", today).share(copy)
    finally:
        store.close()
    store = Store.open(copy)
    try:
        sam = Service(store, "sam", today)
        for initiative in sam.initiatives()[:20]:
            sam.edit_initiative(initiative, team="Night desk")
    finally:
        store.close()
    return copy

async def main():
    copy = teammate_copy() if action == "merge" else None
    sheet = team_sheet() if action in ("preview", "import") else None
    app = build_app(path, author="bench", today=today)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await asyncio.sleep(2.0)
        # a large board reads the rest of its cards in a worker: the actions start from all
        while not getattr(app.screen, "complete", True):
            await asyncio.sleep(0.01)
        ticks = Ticks(app)
        if action == "overview":
            ticks.start(); t = time.perf_counter()
            await pilot.press("4")
            await until(pilot, lambda: type(app.screen).__name__ == "OverviewScreen"
                        and app.screen.query_one("#ov-heat").row_count > 0)
        elif action == "review":
            ticks.start(); t = time.perf_counter()
            await pilot.press("r")
            await until(pilot, lambda: type(app.screen).__name__ == "ReviewScreen"
                        and bool(app.screen.items))
        elif action == "kill":
            ticks.start(); t = time.perf_counter()
            await pilot.press("x")
            await until(pilot, lambda: type(app.screen).__name__ == "ReasonDialog")
        elif action == "merge":
            from bridge_tui.tui.commands import start_merge
            start_merge(app)
            await pilot.pause()
            app.screen.query_one("#merge-path").value = str(copy)
            await pilot.press("enter")
            await until(pilot, lambda: not app.screen.query_one("#confirm").disabled)
            ticks.start(); t = time.perf_counter()
            await pilot.press("enter")
            await until(pilot, lambda: any(n.title == "Merged" for n in app._notifications))
        elif action == "report":
            await pilot.press("4")
            await until(pilot, lambda: type(app.screen).__name__ == "OverviewScreen"
                        and app.screen.query_one("#ov-heat").row_count > 0)
            await asyncio.sleep(1.0)
            ticks.start(); t = time.perf_counter()
            await pilot.press("w")
            await until(pilot, lambda: not app.screen.query(BusyNote)
                        and any(n.title == "Report" or "report" in n.message.lower()
                                for n in app._notifications))
        elif action == "undo":
            first = app.service.initiatives()[0]
            app.service.edit_initiative(first, team="Night desk")
            app.refresh_screens(background=True)
            await asyncio.sleep(2.0)  # the reload after the edit has landed
            ticks.start(); t = time.perf_counter()
            await pilot.press("ctrl+z")
            await until(pilot, lambda: app.service.resolve(first.id).team == first.team
                        and "Undid" in str(app.screen.query_one("#status").render()))
        elif action in ("preview", "import"):
            from bridge_tui.tui.dialogs.sheet_import import start_sheet_import
            start_sheet_import(app)
            await pilot.pause()
            app.screen.query_one("#sheet-path").value = str(sheet)
            if action == "preview":
                ticks.start(); t = time.perf_counter()
            await pilot.press("enter")
            await until(pilot, lambda: not app.screen.query_one("#confirm").disabled)
            if action == "import":
                ticks.start(); t = time.perf_counter()
                await pilot.press("enter")
                await until(pilot, lambda: any(n.title == "Imported" for n in app._notifications))
        done = time.perf_counter() - t
        print(json.dumps({"done": done, "longest": ticks.longest()}))

asyncio.run(main())
"""
)

BARE_CHILD = (
    BARE_APP
    + TICKS
    + """
class App_(Bare):
    BINDINGS = [Binding("p", "push")]

async def main():
    app = App_()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await asyncio.sleep(2.0)
        # a large board reads the rest of its cards in a worker: the actions start from all
        while not getattr(app.screen, "complete", True):
            await asyncio.sleep(0.01)
        ticks = Ticks(app)
        ticks.start(); t = time.perf_counter()
        await pilot.press("p")
        await until(pilot, lambda: len(app.screen_stack) == 2)
        await asyncio.sleep(0.2)
        print(json.dumps({"done": time.perf_counter() - t - 0.2, "longest": ticks.longest()}))

asyncio.run(main())
"""
)


def main() -> None:
    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    bare = [run_on_copy(BARE_CHILD, None) for _ in range(RUNS)]
    bare_longest = median([b["longest"] for b in bare])
    print(f"bare Textual app, push a screen: longest wait {ms(bare_longest)}")
    print(f"{'size':>7}  {'action':<9} {'done':>9} {'longest wait':>13} {'x bare':>7}")
    for n in sizes:
        db = portfolio(n)
        for action in ACTIONS:
            runs = [
                run_on_copy(BRIDGE_CHILD, db, action, TODAY.isoformat(), str(SHEET_ROWS))
                for _ in range(RUNS)
            ]
            done = median([r["done"] for r in runs])
            longest = median([r["longest"] for r in runs])
            ratio = longest / bare_longest if bare_longest else float("nan")
            print(f"{n:>7,}  {action:<9} {ms(done):>9} {ms(longest):>13} {ratio:>6.1f}x")


if __name__ == "__main__":
    main()
