"""`bridge metric`, `bridge report`, `bridge export` and `bridge import`: output, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.cli_run import run_on as run
from tests.conftest import FROZEN_TODAY


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIDGE_TODAY", FROZEN_TODAY.isoformat())
    monkeypatch.setenv("BRIDGE_AUTHOR", "monitoring")


def test_metric_add_and_list(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, err = run(
        capsys, sample_db, "metric", "add", "Invoice processing", "Match rate", "97.5",
        "--target", "95", "--unit", "%", "--at", "2026-11-20",
    )  # fmt: skip
    assert code == 0, err
    assert out == "Recorded Match rate = 97.5% for Invoice processing on 2026-11-20.\n"
    code, out, _ = run(capsys, sample_db, "metric", "add", "Invoice processing", "Volume", "1200")
    assert code == 0 and "on 2026-11-22" in out
    code, out, _ = run(capsys, sample_db, "metric", "list", "Invoice processing")
    assert code == 0
    assert "Match rate, target 95%" in out and "2026-11-20  97.5%" in out
    assert "Volume" in out and "2026-11-22  1,200" in out
    code, out, _ = run(capsys, sample_db, "metric", "list", "Invoice processing", "--json")
    data = json.loads(out)
    assert data["name"] == "Invoice processing"
    assert [m["name"] for m in data["metrics"]] == ["Match rate", "Volume"]
    assert data["metrics"][0]["readings"] == [{"at": "2026-11-20", "value": 97.5}]
    assert data["metrics"][0]["target"] == 95
    # the change log names the monitoring job as author
    store = Store.open(sample_db)
    try:
        assert store.changes(limit=1)[0].author == "monitoring"
    finally:
        store.close()


def test_metric_readings_are_listed_exactly_as_recorded(
    capsys: pytest.CaptureFixture[str], sample_db: Path
) -> None:
    """Never rounded and never in exponent form: 0.95 under a target of 0.97 (not "0.9" under
    "1.0"), and a volume of 1,234,567 (not 1.23457e+06)."""
    for name, value, target in (("Accuracy", "0.95", "0.97"), ("Invoices", "1234567", "1000000")):
        code, _, err = run(
            capsys, sample_db, "metric", "add", "Warehouse slotting", name, value,
            "--target", target, "--at", "2026-11-20",
        )  # fmt: skip
        assert code == 0, err
    code, out, _ = run(capsys, sample_db, "metric", "list", "Warehouse slotting")
    assert code == 0
    assert "Accuracy, target 0.97\n    2026-11-20  0.95\n" in out
    assert "Invoices, target 1,000,000\n    2026-11-20  1,234,567\n" in out


def test_metric_list_flags(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, out, _ = run(capsys, sample_db, "metric", "list", "Customer service assistant")
    assert code == 0 and "adoption stalls under 30%" in out
    code, out, _ = run(capsys, sample_db, "metric", "list", "Dispatch routing", "--json")
    data = json.loads(out)
    assert data["stable_performance_supported_by_data"] is True
    code, out, _ = run(capsys, sample_db, "metric", "list", "Warehouse slotting")
    assert out == "Warehouse slotting has no metric readings yet.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Invoice processing", "X", "abc"], "VALUE must be a number, not 'abc'."),
        (["Invoice processing", "X", "nan"], "VALUE must be a finite number"),
        (["Invoice processing", "X", "1", "--target", "high"], "--target must be a number"),
        (["Invoice processing", "X", "1", "--at", "yesterday"], "--at must be a date"),
        (["Nobody", "X", "1"], "no initiative matches 'Nobody'"),
        (["Invoice processing", " ", "1"], "name"),
    ],
)
def test_metric_add_bad_input(
    capsys: pytest.CaptureFixture[str], sample_db: Path, args: list[str], message: str
) -> None:
    before = sample_db.read_bytes()
    code, out, err = run(capsys, sample_db, "metric", "add", *args)
    assert code == 2
    assert err.startswith("bridge: ") and message in err
    assert "Traceback" not in err and out == ""
    assert sample_db.read_bytes() == before


@pytest.mark.parametrize("fmt", ["md", "json", "csv"])
def test_report_formats(capsys: pytest.CaptureFixture[str], sample_db: Path, fmt: str) -> None:
    code, out, err = run(capsys, sample_db, "report", "--format", fmt)
    assert code == 0, err
    store = Store.open(sample_db)
    try:
        svc = Service(store, "x", FROZEN_TODAY)
        assert out == svc.report(fmt)
        names = [i.name for i in svc.initiatives()]
    finally:
        store.close()
    if fmt == "json":
        assert sorted(i["name"] for i in json.loads(out)["initiatives"]) == sorted(names)
    elif fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(out)))) == len(names)
    else:
        assert all(f"### {n}" in out for n in names)


def test_report_to_a_file(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    target = sample_db.parent / "weekly.md"
    code, out, _ = run(capsys, sample_db, "report", "-o", str(target))
    assert code == 0 and out == f"Wrote the report to {target}.\n"
    assert target.read_text(encoding="utf-8").startswith("# AI portfolio report: sample.db")
    code, _, err = run(capsys, sample_db, "report", "--format", "pdf")
    assert code == 2 and "pdf" in err


def test_export_import_round_trip(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    code, exported, _ = run(capsys, sample_db, "export")
    assert code == 0
    target = sample_db.parent / "export.json"
    code, out, _ = run(capsys, sample_db, "export", "-o", str(target))
    assert code == 0 and out == f"Exported sample.db to {target}.\n"
    assert target.read_text(encoding="utf-8") == exported
    new_db = sample_db.parent / "restored.db"
    code, out, err = run(capsys, new_db, "import", str(target))
    assert code == 0, err
    assert out == f"Imported {target} into {new_db}.\n"
    code, again, _ = run(capsys, new_db, "export")
    assert again == exported


def test_import_refuses_existing_db(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    target = sample_db.parent / "export.json"
    run(capsys, sample_db, "export", "-o", str(target))
    before = sample_db.read_bytes()
    code, _, err = run(capsys, sample_db, "import", str(target))
    assert code == 2 and "already exists" in err
    assert sample_db.read_bytes() == before


def test_import_malformed_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "imp"
    folder.mkdir()
    bad = folder / "broken.json"
    bad.write_text('{\n  "format": "bridge.export",\n  "version": 1,,\n}\n', encoding="utf-8")
    new_db = folder / "new.db"
    code, out, err = run(capsys, new_db, "import", str(bad))
    assert code == 2 and out == ""
    assert err == (
        "bridge: broken.json is not valid JSON: line 3, column 16: "
        "Expecting property name enclosed in double quotes.\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["broken.json"]


def test_import_missing_source(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path / "new.db", "import", str(tmp_path / "nope.json"))
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "new.db").exists()
