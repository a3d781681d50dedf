"""Export everything to JSON and import it into a new file: byte-identical round trips."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge_tui import method
from bridge_tui.errors import BadFile, BridgeError
from bridge_tui.service import Service
from bridge_tui.service.transfer import import_all
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY


def export_of(path: Path) -> str:
    store = Store.open(path)
    try:
        return Service(store, "tester", FROZEN_TODAY).export_json()
    finally:
        store.close()


def test_sample_round_trip(sample_db: Path, tmp_path: Path) -> None:
    original = export_of(sample_db)
    source = tmp_path / "export.json"
    source.write_text(original, encoding="utf-8")
    target = tmp_path / "copy.db"
    assert import_all(source, target) == target
    assert export_of(target) == original
    doc = json.loads(original)
    assert doc["format"] == "bridge.export"
    assert len(doc["tables"]["initiatives"]) == 13
    assert doc["changes"]  # the change log travels too
    # the imported file is a working bridge file
    store = Store.open(target)
    svc = Service(store, "tester", FROZEN_TODAY)
    assert len(svc.overview().active) == 11
    assert svc.store.integrity() == "ok"
    svc.answer(svc.resolve("Warehouse slotting"), "scoped", "yes")  # and it takes new writes
    store.close()


def test_import_refuses_an_existing_target(sample_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    source.write_text(export_of(sample_db), encoding="utf-8")
    before = sample_db.read_bytes()
    with pytest.raises(BadFile, match="already exists"):
        import_all(source, sample_db)
    assert sample_db.read_bytes() == before


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "bad.json")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{\n  "format": "bridge.export",\n  "version": 1,\n', "line 4, column 1"),
        ('{"format": "bridge.export", "version": 1}\n]', "line 2, column 1: Extra data"),
        ("", "line 1, column 1: Expecting value"),
        ("[1, 2]", "not a bridge export"),
        ('{"format": "bridge.export", "version": 9}', "version 9"),
        (
            '{"format": "bridge.export", "version": 1, "schema_version": 99, "tables": {},'
            ' "changes": []}',
            "newer bridge",
        ),
        (
            '{"format": "bridge.export", "version": 1, "schema_version": 1, "tables": '
            '{"initiatives": [{"name": "x", "stage": "limbo"}]}, "changes": []}',
            "initiatives row 1 is not valid",
        ),
        (
            '{"format": "bridge.export", "version": 1, "schema_version": 1, "tables": '
            '{"gadgets": []}, "changes": []}',
            "unknown table 'gadgets'",
        ),
        (
            '{"format": "bridge.export", "version": 1, "schema_version": 1, "tables": {},'
            ' "changes": [{"change_id": "a"}]}',
            "change 1 is not valid",
        ),
    ],
)
def test_malformed_import_is_refused_and_writes_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    source = tmp_path / "bad.json"
    source.write_text(text, encoding="utf-8")
    target = tmp_path / "new.db"
    with pytest.raises(BadFile, match=message):
        import_all(source, target)
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_truncated_export_names_the_line(sample_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "import"
    folder.mkdir()
    text = export_of(sample_db)
    cut = text[: len(text) // 2]
    source = folder / "bad.json"
    source.write_text(cut, encoding="utf-8")
    with pytest.raises(BadFile) as err:
        import_all(source, folder / "new.db")
    assert "bad.json is not valid JSON: line " in str(err.value)
    assert _leftovers(folder) == []


def test_duplicate_ids_are_refused(sample_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "import"
    folder.mkdir()
    doc = json.loads(export_of(sample_db))
    doc["tables"]["initiatives"].append(doc["tables"]["initiatives"][0])
    source = folder / "bad.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(BadFile, match="repeats the id"):
        import_all(source, folder / "new.db")
    assert _leftovers(folder) == []


# generated portfolios -------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda s: s.strip() != "")
answer_values = st.sampled_from(["yes", "no", "unknown"])
ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), names, st.sampled_from(method.FLOW[:4])),
        st.tuples(
            st.just("answer"),
            st.integers(0, 50),
            st.sampled_from(method.ANSWER_KEYS),
            answer_values,
        ),
        st.tuples(
            st.just("metric"),
            st.integers(0, 50),
            names,
            st.floats(allow_nan=False, allow_infinity=False, width=32),
            st.one_of(st.none(), st.floats(-1e6, 1e6)),
        ),
        st.tuples(st.just("kill"), st.integers(0, 50), names),
        st.tuples(st.just("edit"), st.integers(0, 50), names, st.floats(0, 1e7)),
        st.tuples(st.just("review"), st.integers(0, 50), st.sampled_from(["keep", "defer"])),
        st.tuples(st.just("delete"), st.integers(0, 50)),
    ),
    min_size=1,
    max_size=25,
)


def _apply(svc: Service, steps: list[tuple]) -> None:  # type: ignore[type-arg]
    day = 0
    for step in steps:
        live = svc.initiatives()
        kind = step[0]
        try:
            if kind == "add":
                svc.create_initiative(step[1], stage=step[2], owner="Owner")
            elif not live:
                continue
            elif kind == "answer":
                svc.answer(live[step[1] % len(live)], step[2], step[3], note="n")
            elif kind == "metric":
                day += 1
                svc.add_metric(
                    live[step[1] % len(live)],
                    step[2][:100],
                    float(step[3]),
                    target=step[4],
                    at=FROZEN_TODAY - timedelta(days=day),
                )
            elif kind == "kill":
                svc.kill(live[step[1] % len(live)], step[2])
            elif kind == "edit":
                svc.edit_initiative(
                    live[step[1] % len(live)], summary=step[2], maintenance_budget=step[3]
                )
            elif kind == "review":
                session = svc.open_review() or svc.start_review()
                target = live[step[1] % len(live)]
                if target.id in session.order:
                    svc.record_decision(session, target, step[2], "note")
            elif kind == "delete":
                target = live[step[1] % len(live)]
                with svc._tx() as tx:
                    tx.delete(target)
        except BridgeError:
            pass  # refused by the method: part of a realistic history too


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=ops)
def test_round_trip_of_generated_portfolios(steps: list[tuple]) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.create(folder / "a.db")
        svc = Service(store, "tester", date(2026, 11, 22))
        _apply(svc, steps)
        original = svc.export_json()
        store.close()
        (folder / "a.json").write_text(original, encoding="utf-8")
        import_all(folder / "a.json", folder / "b.db")
        assert export_of(folder / "b.db") == original
        # and once more: import of the re-export is stable too
        (folder / "b.json").write_text(export_of(folder / "b.db"), encoding="utf-8")
        import_all(folder / "b.json", folder / "c.db")
        assert export_of(folder / "c.db") == original
