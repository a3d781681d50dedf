"""What a teammate's saves are said as, when the app's poll notices them: each one, or one line
for many, counting initiatives added and changed and the saves (transactions) they came in."""

from __future__ import annotations

from pathlib import Path

from bridge_tui.service import Service
from bridge_tui.service.arrivals import Arrival, summary
from bridge_tui.sheet_map import read_sheet
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY
from tests.sheetgen import simple_csv


def arrival(name: str, tx: str, *, created: bool = False, author: str = "sam") -> Arrival:
    return Arrival(author, name, created, () if created else ("team",), tx)


def test_a_few_arrivals_are_each_said() -> None:
    said = summary([arrival("Dispatch routing", "t1"), arrival("Email triage", "t2", created=True)])
    assert said == ["sam changed Dispatch routing · team", "sam added Email triage"]


def test_many_are_one_line_with_what_was_added_changed_and_the_saves() -> None:
    one_import = [arrival(f"Use case {n}", "t1", created=True) for n in range(1_200)]
    assert summary(one_import) == ["sam added 1,200 initiatives (one save)"]
    edits = [arrival(name, f"t{n}") for n, name in enumerate("ABCD")]
    assert summary(edits) == ["sam changed 4 initiatives (4 saves)"]
    both = [*edits, arrival("E", "t9", created=True), arrival("F", "t9", created=True)]
    assert summary(both) == ["sam added 2 and changed 4 initiatives (5 saves)"]
    one_card = [arrival("A", f"t{n}") for n in range(5)]
    assert summary(one_card) == ["sam changed 1 initiative (5 saves)"]
    people = [arrival("A", "t8", author="ana"), *edits, arrival("B", "t7", author="lee")]
    assert summary(people) == ["3 people changed 4 initiatives (6 saves)"]


def test_a_teammates_import_arrives_as_one_save(sample_db: Path, tmp_path: Path) -> None:
    mine = Service(Store.open(sample_db), "maya", FROZEN_TODAY)
    mark = mine.change_mark()
    sheet = tmp_path / "team.csv"
    simple_csv(sheet, [["Name", "Owner"], *[[f"Team use case {n}", "Sam"] for n in range(5)]])
    theirs = Service(Store.open(sample_db), "sam", FROZEN_TODAY)
    theirs.import_sheet(read_sheet(sheet))
    theirs.close()
    arrivals, _ = mine.arrivals_since(mark)
    assert summary(arrivals) == ["sam added 5 initiatives (one save)"]
    mine.close()
