"""Shared by the benchmark scripts: realistic portfolios of N initiatives, built fast and cached,
and a way to time a fresh process against a bare Textual app on the same machine.

Run the scripts from the repository root, e.g. `python benchmarks/bench_board.py`.
"""

from __future__ import annotations

import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bridge_tui import method  # noqa: E402
from bridge_tui.models import Answer, Initiative, Plan, PlanTask, answer_id  # noqa: E402
from bridge_tui.store import SCHEMA_VERSION, Store  # noqa: E402

TODAY = date(2026, 11, 22)
SEED = 20261122
#: bump when the generator changes, so cached portfolios are rebuilt (3: bench_board used to
#: move cards in the cached v2 files themselves)
VERSION = 4

#: how a large firm's portfolio spreads over the stages
STAGE_WEIGHTS = {
    "experiment": 30,
    "pilot": 25,
    "validate": 18,
    "productionize": 8,
    "infrastructure": 9,
    "killed": 10,
}
#: share of "yes" answers on the readiness items, by stage
YES_SHARE = {
    "experiment": 0.05,
    "pilot": 0.2,
    "validate": 0.45,
    "productionize": 0.7,
    "infrastructure": 0.85,
    "killed": 0.1,
}
VERBS = (
    "Invoice",
    "Dispatch",
    "Route",
    "Contract",
    "Demand",
    "Fleet",
    "Warehouse",
    "Customer",
    "Claims",
    "Supplier",
    "Driver",
    "Customs",
    "Yard",
    "Tender",
    "Freight",
    "Returns",
)
NOUNS = (
    "routing",
    "triage",
    "extraction",
    "forecasting",
    "review",
    "matching",
    "coaching",
    "slotting",
    "assistant",
    "classification",
    "summaries",
    "anomaly alerts",
    "pricing",
    "scheduling",
)
PEOPLE = (
    "Priya Natarajan",
    "Mei Chen",
    "Jonas Weber",
    "Sam O'Brien",
    "Aisha Rahman",
    "Lars Eriksen",
    "Tomás Herrera",
    "Grace Okafor",
    "Ines Duarte",
    "Kai Lindqvist",
)
TEAMS = (
    "Dispatch operations",
    "Finance operations",
    "Legal operations",
    "Customer service",
    "Fleet",
    "Document desk",
    "Network planning",
)


def cache_dir() -> Path:
    folder = Path(
        os.environ.get("BRIDGE_BENCH_DIR") or Path(tempfile.gettempdir()) / "bridge-bench"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _answers_for(rng: random.Random, stage: str) -> dict[str, str]:
    share = YES_SHARE[stage]
    out: dict[str, str] = {}
    for item in method.ITEMS:
        r = rng.random()
        if r < share:
            out[item.id] = "yes"
        elif r < share + 0.25:
            out[item.id] = "no"
    flow = list(method.FLOW)
    reached = flow.index(stage) if stage in flow else 1
    for exit_condition in method.EXIT_CONDITIONS:
        passed = flow.index(exit_condition.stage) < reached
        if passed or rng.random() < 0.3:
            out[exit_condition.id] = "yes"
    # every experiment has met its gate, so the benchmark's forward moves never open a dialog
    if stage == "experiment":
        out["scoped"] = out["team_assigned"] = "yes"
    for signal in method.SIGNALS:
        if rng.random() < (share if signal.real else 0.3):
            out[signal.id] = "yes"
    for test in method.TESTS:
        if rng.random() < share:
            out[test.id] = "yes"
    return out


def build_portfolio(path: Path, n: int, seed: int = SEED) -> None:
    """Write `n` initiatives with realistic answers through one store transaction."""
    if path.exists():
        path.unlink()
    store = Store.create(path)
    store.reseed(seed + n)
    rng = random.Random(seed + n)
    stages = list(STAGE_WEIGHTS)
    weights = list(STAGE_WEIGHTS.values())
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    # the change log is stamped on the benchmarks' day too: the apps run on TODAY, and a file
    # stamped days ahead of the clock would open read-only
    store.clock = lambda: now  # type: ignore[method-assign]
    with store.transaction("bench") as tx:
        for k in range(n):
            stage = rng.choices(stages, weights)[0]
            name = f"{rng.choice(VERBS)} {rng.choice(NOUNS)} {k + 1:05d}"
            blockers = tuple(b for b in method.BLOCKER_IDS if rng.random() < 0.12)
            pilot = float(rng.randrange(10, 120) * 1000)
            initiative = Initiative(
                id=store.new_id(),
                name=name,
                summary=f"{name}: a use case somebody cared about enough to try.",
                stage=stage,
                owner=rng.choice(PEOPLE) if rng.random() < 0.8 else "",
                owner_is_operational=rng.random() < 0.4,
                team=rng.choice(TEAMS),
                pilot_budget=pilot,
                integration_budget=pilot * rng.choice((0, 1, 2, 3, 4)),
                maintenance_budget=float(rng.randrange(0, 80) * 1000),
                blockers=blockers,
                stage_entered_at=TODAY - timedelta(days=rng.randrange(0, 400)),
                created_at=now - timedelta(days=rng.randrange(400, 800)),
                updated_at=now,
                last_review_at=(
                    TODAY - timedelta(days=rng.randrange(0, 200))
                    if stage == "infrastructure"
                    else None
                ),
                kill_reason="stopped to focus elsewhere" if stage == "killed" else "",
            )
            tx.insert(initiative)
            for key, value in _answers_for(rng, stage).items():
                tx.insert(
                    Answer(
                        id=answer_id(initiative.id, key),
                        initiative_id=initiative.id,
                        key=key,
                        value=value,
                        by="bench",
                        at=now,
                    )
                )
    store.close()


def portfolio(n: int) -> Path:
    """A cached portfolio of `n` initiatives (built on first use; delete the folder to redo)."""
    path = cache_dir() / f"portfolio-{n}-v{VERSION}-schema{SCHEMA_VERSION}.db"
    if not path.exists():
        started = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        build_portfolio(tmp, n)
        tmp.replace(path)
        print(f"  built {n:,} initiatives in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def add_plans(path: Path, seed: int = SEED) -> int:
    """Give every initiative in Productionize (started 0-100 days ago) and Infrastructure
    (ended months ago) the method's 90-day plan, tasks of past months mostly done, of the
    current month some; returns how many plans."""
    store = Store.open(path)
    store.reseed(seed + 1)
    rng = random.Random(seed + 1)
    now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    store.clock = lambda: now  # type: ignore[method-assign]  # stamped on TODAY, as above
    stages = ("productionize", "infrastructure")
    chosen = [i for i in store.initiatives() if i.stage in stages]
    with store.transaction("bench") as tx:
        for i in chosen:
            ago = rng.randrange(0, 100) if i.stage == "productionize" else rng.randrange(95, 400)
            start = TODAY - timedelta(days=ago)
            tx.insert(Plan(id=i.id, initiative_id=i.id, start_date=start))
            for month in method.PLAN_TEMPLATE:
                due = start + timedelta(days=method.MONTH_DAYS * month.month - 1)
                begun = start + timedelta(days=method.MONTH_DAYS * (month.month - 1))
                share = 0.9 if due < TODAY else 0.4 if begun <= TODAY else 0.0
                for n, title in enumerate(month.tasks):
                    done = rng.random() < share
                    tx.insert(
                        PlanTask(
                            id=store.new_id(),
                            initiative_id=i.id,
                            month=month.month,
                            title=title,
                            owner=i.owner,
                            due=due,
                            done=done,
                            done_by="bench" if done else "",
                            done_at=now if done else None,
                            position=float(n + 1),
                        )
                    )
    store.close()
    return len(chosen)


def portfolio_with_plans(n: int) -> Path:
    """`portfolio(n)` plus 90-day plans (`add_plans`), cached beside it, so the plan screen and
    the timeline have something to show."""
    path = cache_dir() / f"portfolio-{n}-v{VERSION}-schema{SCHEMA_VERSION}-plans.db"
    if not path.exists():
        base = portfolio(n)
        started = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        store = Store.open(base, read_only=True)
        store.copy_to(tmp)
        store.close()
        plans = add_plans(tmp)
        tmp.replace(path)
        took = time.perf_counter() - started
        print(f"  added {plans:,} plans to {n:,} initiatives in {took:.1f} s", flush=True)
    return path


#: A bare Textual app for the ratios, as source for a child: `Bare` shows a header, one label and
#: a footer; `bump` updates the label, and every mode (and a pushed screen) is the same three
#: widgets. A child subclasses it with the keys its pilot presses.
BARE_APP = """
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

class BareScreen(Screen):
    def compose(self):
        yield Header()
        yield Static("0", id="n")
        yield Footer()

class Bare(App):
    MODES = {"board": BareScreen, "checklist": BareScreen, "plan": BareScreen,
             "overview": BareScreen}
    DEFAULT_MODE = "board"
    n = 0
    def action_bump(self):
        self.n += 1
        self.screen.query_one("#n", Static).update(str(self.n))
    def action_push(self):
        self.push_screen(BareScreen())
    def action_pop(self):
        self.pop_screen()
    def action_noop(self):
        pass
"""


def run_child(script: str, *args: str, timeout: float = 300) -> dict[str, float]:
    """Run `script` in a fresh interpreter; it prints one JSON line of timings.

    The child gets `T0`, the wall-clock time just before it was started, so it can report the
    cold start (interpreter, imports, opening the file, first paint) itself.
    """
    code = textwrap.dedent(script)
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, str(started), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=child_env(),
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed:\n{done.stderr[-3000:]}")
    last = [line for line in done.stdout.splitlines() if line.startswith("{")][-1]
    result: dict[str, float] = json.loads(last)
    return result


def run_on_copy(script: str, db: Path | None, *args: str) -> dict[str, float]:
    """`run_child` on a fresh copy of `db` (None: no file, the child gets "-"), so the cached
    portfolio is never changed by the keys a benchmark presses."""
    with tempfile.TemporaryDirectory(prefix="bridge-bench-") as folder:
        path = "-"
        if db is not None:
            path = str(Path(folder) / db.name)
            shutil.copyfile(db, path)
        return run_child(script, path, *args)


def median(values: list[float]) -> float:
    return statistics.median(values)


Timings = dict[str, float]


def medians(rows: list[Timings]) -> Timings:
    """Each measure's median over `rows` (one row per run)."""
    return {k: median([r[k] for r in rows]) for k in rows[0]}


def turn_about(
    ours: Callable[[], Timings], bare: Callable[[], Timings], runs: int
) -> tuple[list[Timings], list[Timings]]:
    """bridge's run and the bare app's, `runs` times each, the order swapping every turn
    (bridge first, then the bare app first), so neither app always runs on what the other left
    warm or busy. Each app's rows, in turn order."""
    mine: list[Timings] = []
    theirs: list[Timings] = []
    for turn in range(runs):
        if turn % 2:
            theirs.append(bare())
            mine.append(ours())
        else:
            mine.append(ours())
            theirs.append(bare())
    return mine, theirs


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


# cold start, interleaved: bridge and the bare app, one after the other, in the same run -------

#: a start-up child's app (`DB` "-": the bare app; else bridge on `DB`, as `bridge` starts)
MAKE_APP = """
if DB == "-":
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("0", id="n")
            yield Footer()

    app = Bare()
else:
    # as `bridge` starts (cli.main): the collector paused until the first paint settles
    from bridge_tui import memory
    memory.quiet_start()
    from datetime import date
    from bridge_tui.tui.app import build_app

    app = build_app(DB, author="bench", today=date(2026, 11, 22))
"""

#: one child for both apps. "paint": the first frame the app hands its terminal with its first
#: screen's content in it (bridge: once the board has read its cards); "cold": the pilot's
#: first settled pause after it (Textual waits for the process to go idle, up to a second, so
#: a board still reading the rest of a large portfolio in a worker settles later); "whole":
#: bridge's board has every card in (`BoardView.complete`). Times since T0 and the peak RSS at
#: each go to the file argv[3] as JSON.
START_CHILD = (
    """
import json, resource, sys, time
T0 = float(sys.argv[1])
DB, OUT, HEADLESS = sys.argv[2], sys.argv[3], sys.argv[4] == "1"
out = {}

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

from textual.app import App

_display = App._display

def display(self, screen, renderable):
    if renderable is not None and "paint" not in out and getattr(screen, "_loaded", DB == "-"):
        out["paint"] = time.time() - T0
        out["rss_paint"] = rss()
    return _display(self, screen, renderable)

App._display = display

async def drive(pilot):
    await pilot.pause()
    out["cold"] = time.time() - T0
    out["rss"] = rss()
    while not getattr(pilot.app.screen, "complete", True):
        await pilot.pause(0.01)
    out["whole"] = time.time() - T0
    out["rss_whole"] = rss()
    with open(OUT, "w") as f:
        f.write(json.dumps(out))
    pilot.app.exit()

"""
    + MAKE_APP
    + """if HEADLESS:
    app.run(headless=True, size=(160, 45), auto_pilot=drive)
else:
    app.run(auto_pilot=drive)
"""
)


def child_env() -> dict[str, str]:
    """What a child runs with: this tree first on the path, and bytecode caching on, as in an
    installed bridge (pip compiles every module at install time; a checkout run with
    PYTHONDONTWRITEBYTECODE=1 would recompile bridge, not Textual, in every process)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_bytecode() -> None:
    """Write bridge's .pyc files once, as `pip install` does (see `child_env`)."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "bridge_tui")],
        check=True,
        env=child_env(),
        capture_output=True,
    )


class Tmux:
    """One detached tmux server (160x45) whose pane is respawned for every run: a real
    terminal, the same for both apps."""

    def __init__(self, width: int = 160, height: int = 45) -> None:
        self.name = f"bridge-bench-{os.getpid()}"
        self.script = Path(tempfile.mkdtemp(prefix="bridge-bench-tmux-")) / "child.py"
        self.script.write_text(START_CHILD)
        self.size = (str(width), str(height))

    def _ensure(self) -> None:
        """The server, started (again) if it is not running."""
        alive = subprocess.run(
            ["tmux", "-L", self.name, "-f", "/dev/null", "has-session", "-t", "b"],
            capture_output=True,
        )
        if alive.returncode != 0:
            w, h = self.size
            self._tmux("new-session", "-d", "-s", "b", "-x", w, "-y", h, "sleep 86400")

    def _tmux(self, *args: str) -> None:
        done = subprocess.run(
            ["tmux", "-L", self.name, "-f", "/dev/null", *args], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"tmux {args[0]}: {done.stderr.strip()}")

    def run(self, db: str, timeout: float = 300) -> dict[str, float]:
        out = self.script.with_name(f"out-{time.time_ns()}.json")
        # tmux's own environment is this process's; only these two differ for the child
        command = (
            f"env -u PYTHONDONTWRITEBYTECODE PYTHONPATH={shlex.quote(str(ROOT))} sh -c "
            f"'exec {shlex.quote(sys.executable)} {self.script} "
            f'"$(date +%s.%N)" {shlex.quote(db)} {out} 0\''
        )
        self._ensure()
        self._tmux("respawn-pane", "-k", "-t", "b", command)
        deadline = time.time() + timeout
        while not out.exists() or not out.read_text().strip():
            if time.time() > deadline:
                raise RuntimeError("the app did not paint in tmux")
            time.sleep(0.02)
        time.sleep(0.05)
        result: dict[str, float] = json.loads(out.read_text())
        out.unlink()
        return result

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True)
        shutil.rmtree(self.script.parent, ignore_errors=True)


def start_headless(db: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bridge-bench-") as folder:
        out = Path(folder) / "out.json"
        started = time.time()
        subprocess.run(
            [sys.executable, "-c", START_CHILD, str(started), db, str(out), "1"],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env=child_env(),
            timeout=300,
        )
        result: dict[str, float] = json.loads(out.read_text())
        return result


def time_scoring(db: Path, runs: int) -> float:
    """Every initiative's numbers, all at once, as the portfolio's readers now get them (the
    overview's heat map and figures, the review order, the report): the scores the file keeps
    beside each initiative (`service.scores()`, one query; `store/scorelog.py`), each one's
    total, categories, tests, what blocks it and its forced mark read from its row."""
    from bridge_tui.service import Service

    store = Store.open(db, read_only=True)
    service = Service(store, "bench", TODAY)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        scores = service.scores()
        read = [
            (s.total, s.category_points, s.test_items, s.blocks, s.forced_reason)
            for s in scores.values()
        ]
        times.append(time.perf_counter() - t)
        assert len(read) == len(scores)
    store.close()
    return median(times)


def time_scoring_fresh(db: Path, runs: int) -> float:
    """What `time_scoring` measured before the scores were kept: `service.board()` (the read)
    and each card scored from its answers (score, flags, with its stage history)."""
    from bridge_tui.scoring import card
    from bridge_tui.service import Service

    store = Store.open(db, read_only=True)
    service = Service(store, "bench", TODAY)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        board = service.board()
        cards = [
            card(i, board.answers_of(i.id), TODAY, board.histories.get(i.id))
            for i in board.initiatives
        ]
        times.append(time.perf_counter() - t)
        assert len(cards) == len(board.initiatives)
    store.close()
    return median(times)
