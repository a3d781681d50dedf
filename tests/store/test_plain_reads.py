"""A one-shot read (`bridge score`) reads an initiative and its answers without the models
(issue 13: importing pydantic and building the validator was most of a score). What it reads
is what the models read; a row it does not take exactly as the model would is left to the
models, which name what is wrong with the file as every other read does."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bridge_tui import scoring
from bridge_tui.errors import BadFile
from bridge_tui.models import Initiative, Plan
from bridge_tui.records import InitiativeRecord, as_json
from bridge_tui.service import Service
from bridge_tui.service.quick import QuickReads
from bridge_tui.store import plain, reads
from bridge_tui.store.rows import from_row
from tests.conftest import FROZEN_TODAY

COLUMNS = tuple(c.strip() for c in plain._COLUMNS.split(","))


def rows_of(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT {plain._COLUMNS} FROM initiatives ORDER BY id").fetchall()
    finally:
        conn.close()


def as_model(row: tuple[Any, ...]) -> Initiative:
    return from_row(Initiative, dict(zip(COLUMNS, row, strict=True)))


def same(record: InitiativeRecord, model: Initiative) -> bool:
    return all(getattr(record, f) == getattr(model, f) for f in Initiative.model_fields)


def test_the_record_has_every_field_of_the_model_and_reads_every_column() -> None:
    fields = list(InitiativeRecord._fields)
    assert fields == list(Initiative.model_fields)
    assert set(COLUMNS) == set(fields)


@pytest.fixture
def varied(service: Service) -> Service:
    """The sample, with one initiative holding every optional field a person can set."""
    target = next(i for i in service.store.initiatives() if i.stage == "infrastructure")
    extension = service.create_initiative(
        name="Slotting on the new racks",
        summary="Line one.\nLine two.",
        owner="Mei Chen",
        owner_is_operational=True,
        pilot_builder="Data team",
        team="Ops",
        pilot_budget=1234.5,
        integration_budget=99.25,
        maintenance_budget=10,
        blockers=("funding", "ownership"),
        designed_volume=2500.5,
        volume_metric="orders per day",
        maintenance_committed_until=date(2027, 6, 30),
        builds_on=target.id,
    )
    service.set_answer(extension, "owned", "yes")
    return service


def test_every_row_of_a_file_reads_as_its_model_does(varied: Service) -> None:
    rows = rows_of(varied.path)
    assert len(rows) > 10
    for row in rows:
        record = plain.initiative_record(row)
        assert record is not None, row[3]
        assert same(record, as_model(row))
        assert as_json(record) == as_model(row).model_dump(mode="json")


#: values a file may hold in each column, written by another program or damaged
ODD: dict[str, list[Any]] = {
    "id": [None, "", "X" * 36, "0A1B2C3D-0000-4000-8000-000000000000", 5],
    "revision": [None, 1.0, "2", True, -1],
    "deleted": [None, 2, "yes"],
    "name": [None, "", " ", " padded", "x" * 120, "x" * 121, "tab\tin", "\ud800", 7, b"x"],
    "summary": [None, "", "x" * 4000, "x" * 4001, " lead"],
    "stage": [None, "", "Pilot", "pilot", "launch"],
    "owner": [None, "a" * 121, "Mei ", "Mei\x1b[2J"],
    "owner_is_operational": [None, 0, 1, 7],
    "pilot_budget": [None, 0, 0.0, -0.0, -1, 1e308, math.inf, math.nan, "12", True],
    "designed_volume": [None, 0, 0.5, -3, math.nan, "1"],
    "blockers": [
        None,
        "",
        "[]",
        '["funding"]',
        '["integration", "funding"]',
        '["funding", "funding"]',
        '["nope"]',
        "{}",
        "not json",
        '"funding"',
    ],
    "stage_entered_at": [None, "2026-02-30", "2026-1-5", "2026-01-05T00:00:00", "20260105", 3],
    "created_at": [
        None,
        "2026-01-05",
        "2026-01-05T10:00:00",
        "2026-01-05T10:00:00Z",
        "2026-01-05T10:00:00+02:00",
        "2026-01-05T10:00:00.123Z",
        "2026-01-05T10:00:00.1234567Z",
        "2026-01-05 10:00:00",
        "2026-13-05T10:00:00Z",
    ],
    "last_review_at": [None, "", "2026-11-01", "yesterday"],
    "maintenance_committed_until": [None, "2027-06-30", "2027-06-31"],
    "builds_on": [None, "", "not-an-id", "0A1B2C3D-0000-4000-8000-000000000000"],
    "kill_reason": [None, "why\nbecause", " x"],
    "volume_metric": [None, "", "orders", "o" * 121],
}


def test_an_odd_value_is_read_as_the_model_reads_it_or_left_to_the_model(
    varied: Service,
) -> None:
    """Whatever a column holds: the plain read gives exactly the model's values, or None
    (then the caller reads through the model, which refuses the row or reads it)."""
    taken = left = 0
    for row in rows_of(varied.path)[:4]:
        for column, values in ODD.items():
            at = COLUMNS.index(column)
            for value in values:
                odd = (*row[:at], value, *row[at + 1 :])
                record = plain.initiative_record(odd)
                if record is None:
                    left += 1
                    continue
                taken += 1
                try:
                    model = as_model(odd)
                except (ValidationError, ValueError, TypeError):
                    pytest.fail(f"{column}={value!r} read plainly, but its model refuses it")
                assert same(record, model), (column, value)
                assert as_json(record) == model.model_dump(mode="json"), (column, value)
    assert taken > 50 and left > 50


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("name", " padded"),  # the model strips it
        ("name", "x" * 121),  # the model refuses it
        ("stage", "launch"),
        ("pilot_budget", math.nan),
        ("blockers", '["nope"]'),
        ("created_at", "2026-01-05 10:00:00"),  # the model may read it: the plain read won't
        ("id", "0A1B2C3D-0000-4000-8000-000000000000"),  # the model makes it canonical
    ],
)
def test_a_row_the_model_would_change_or_refuse_is_left_to_it(
    sample_db: Path, column: str, value: Any
) -> None:
    row = rows_of(sample_db)[0]
    at = COLUMNS.index(column)
    assert plain.initiative_record(row) is not None
    assert plain.initiative_record((*row[:at], value, *row[at + 1 :])) is None


def test_the_answers_read_as_the_models_give_them(varied: Service) -> None:
    store = varied.store
    for i in store.initiatives():
        assert store.answer_record(i.id) == scoring.answer_map(store.answers(i.id))


@pytest.fixture
def quick(varied: Service) -> Iterator[QuickReads]:
    reads = QuickReads.open(varied.path, "tester", varied.clock, read_only=True)
    yield reads
    reads.close()


def test_a_quick_score_is_the_services_score(varied: Service, quick: QuickReads) -> None:
    for i in varied.store.initiatives():
        scored = quick.score(i.id)
        assert scored is not None
        assert same(scored.initiative, i)
        assert scored.score.as_json() == varied.score(i).as_json()
        card, full = scored.card, varied.card(i)
        assert card._replace(initiative=i) == full


def test_a_quick_score_of_an_odd_row_is_left_to_the_service(
    sample_db: Path, quick: QuickReads
) -> None:
    conn = sqlite3.connect(quick.reader.path)
    ident, name = conn.execute("SELECT id, name FROM initiatives LIMIT 1").fetchone()
    conn.execute("UPDATE initiatives SET stage = 'launch' WHERE id = ?", (ident,))
    conn.commit()
    conn.close()
    assert quick.score(name) is None


def test_a_quick_score_answer_on_an_odd_answer_is_left_to_the_service(
    quick: QuickReads,
) -> None:
    conn = sqlite3.connect(quick.reader.path)
    ident = conn.execute("SELECT initiative_id FROM answers LIMIT 1").fetchone()[0]
    conn.execute("UPDATE answers SET value = 'maybe' WHERE initiative_id = ?", (ident,))
    conn.commit()
    conn.close()
    assert quick.score(ident) is None


def test_the_quick_reads_use_the_services_clock(varied: Service, quick: QuickReads) -> None:
    assert quick.clock.today() == FROZEN_TODAY == varied.today()


# the board's first read: models made from records, before any validator is built ----------


def test_a_first_read_makes_the_models_validation_makes(varied: Service) -> None:
    store = varied.store
    made = store._from_records("deleted = 0", (), "created_at, id")
    assert made is not None and len(made) > 10
    assert made == store.all(Initiative, order="created_at, id")  # validated: it is built
    validated = {row[0]: as_model(row) for row in rows_of(varied.path)}
    for model in made:
        assert type(model) is Initiative
        assert model.model_dump() == validated[model.id].model_dump()


def test_a_first_read_too_large_or_odd_is_validated(
    varied: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = varied.store
    monkeypatch.setattr(reads, "FIRST_READ_AT_MOST", 3)
    assert store._from_records("deleted = 0", (), "id") is None
    monkeypatch.setattr(reads, "FIRST_READ_AT_MOST", 500)
    conn = sqlite3.connect(varied.path)
    conn.execute("UPDATE initiatives SET name = ? WHERE rowid = 1", ("x" * 121,))
    conn.commit()
    conn.close()
    assert store._from_records("deleted = 0", (), "id") is None
    # before the validator is built, the read still refuses the row with the model's sentence
    monkeypatch.setattr(Initiative, "__pydantic_complete__", False)
    with pytest.raises(BadFile, match="holds a value bridge cannot read"):
        store.initiatives()


def test_plan_starts_read_as_the_plan_models_give_them(varied: Service) -> None:
    store = varied.store
    plans = store.all(Plan, order="id")
    assert plans
    assert store.plan_starts() == {p.initiative_id: p.start_date for p in plans}
    one = plans[0].initiative_id
    last = [p.start_date for p in plans if p.initiative_id == one][-1]
    assert store.plan_starts((one,)) == {one: last}


@pytest.mark.parametrize(
    ("column", "value"),
    [("start_date", "2026-02-30"), ("start_date", "20260105"), ("id", "nope"), ("revision", "one")],
)
def test_an_odd_plan_row_is_left_to_the_plan_model(
    varied: Service, column: str, value: object
) -> None:
    conn = sqlite3.connect(varied.path)
    conn.execute(f"UPDATE plans SET {column} = ? WHERE rowid = 1", (value,))
    conn.commit()
    conn.close()
    assert varied.store.plan_starts() is None
    with pytest.raises(BadFile, match="plans row"):  # the models' read says what is wrong
        varied.sustain_facts()


def test_a_quick_list_is_the_services_list(varied: Service, quick: QuickReads) -> None:
    """Every line `bridge list` prints, read without the models, is the one the models give
    (the models' read: `Service.listing`), in the same order; a kept score gone stale (a
    write outside bridge marks it) is scored afresh as the board does."""
    conn = sqlite3.connect(varied.path)
    conn.execute("INSERT INTO scores_stale SELECT id FROM initiatives LIMIT 2")
    conn.commit()
    conn.close()
    listed = quick.listing()
    assert listed is not None
    full = varied.listing()
    assert [r.id for r, _, _ in listed] == [i.id for i, _, _ in full]
    for (record, plain_card, plain_flags), (model, card, flags) in zip(listed, full, strict=True):
        assert same(record, model)
        assert plain_card._replace(initiative=model) == card
        assert plain_flags == flags
    assert any(flags for _, _, flags in full)  # the sample has sustain flags to compare


def test_a_quick_list_of_an_odd_row_is_left_to_the_service(quick: QuickReads) -> None:
    conn = sqlite3.connect(quick.reader.path)
    conn.execute("UPDATE initiatives SET created_at = 'soon' WHERE rowid = 3")
    conn.commit()
    conn.close()
    assert quick.listing() is None
