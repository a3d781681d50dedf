"""A small portfolio with known move dates for the flow tests (unit, CLI, screen).

Built through the service on a clock that is set to each move's day, so the change log holds a
real history: a move back (Alpha), a forced move, a kill and a revive (Bravo), a forced move of
several stages into Infrastructure (Charlie), and one still in Experiment (Delta). The figures
these dates give are computed by hand in `tests/test_flow_service.py` and the README.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bridge_tui.service import Service
from bridge_tui.store import Store

EXPERIMENT_DONE = ("scoped", "team_assigned")
PILOT_DONE = ("accuracy_on_real_data", "business_case_reviewed")


def build_flow_portfolio(path: Path) -> None:
    """Write the portfolio into a new file at `path`."""
    day = [date(2026, 1, 10)]
    store = Store.create(path)
    svc = Service(store, "flow-tests", lambda: day[0])

    def on(d: date) -> None:
        day[0] = d

    def answer(ident: str, keys: tuple[str, ...]) -> None:
        for key in keys:
            svc.answer(svc.initiative(ident), key, "yes")

    def move(ident: str, stage: str, **kw: object) -> None:
        svc.move(svc.initiative(ident), stage, **kw)  # type: ignore[arg-type]

    on(date(2026, 1, 10))
    alpha = svc.create_initiative("Alpha").id
    bravo = svc.create_initiative("Bravo").id
    answer(alpha, EXPERIMENT_DONE)
    on(date(2026, 2, 9))
    move(alpha, "pilot")
    charlie = svc.create_initiative("Charlie").id
    answer(charlie, EXPERIMENT_DONE)
    on(date(2026, 2, 19))
    move(charlie, "pilot")
    on(date(2026, 3, 11))
    move(bravo, "pilot", force=True, reason="the sponsor wants it now")
    on(date(2026, 4, 10))
    answer(alpha, PILOT_DONE)
    move(alpha, "validate")
    on(date(2026, 5, 10))
    move(alpha, "pilot", reason="the accuracy did not hold on new data")
    svc.kill(svc.initiative(bravo), "no budget this year")
    on(date(2026, 5, 20))
    move(charlie, "infrastructure", force=True, reason="already runs every night")
    on(date(2026, 6, 9))
    move(alpha, "validate")
    on(date(2026, 7, 9))
    svc.revive(svc.initiative(bravo), reason="budget found")
    on(date(2026, 10, 1))
    svc.create_initiative("Delta")
    store.close()


@pytest.fixture(scope="module")
def flow_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The flow portfolio, built once per test module that imports this fixture."""
    path = tmp_path_factory.mktemp("flow") / "flow.db"
    build_flow_portfolio(path)
    return path
