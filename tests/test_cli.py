"""The `bridge` command line: the initiative commands, exit codes 0/1/2, one sentence on stderr,
the exact `score --json` document, REF resolution, and refusing missing or bad files.

Most cases call `bridge_tui.cli.main([...])` in-process (fast); a few run the installed
`bridge` command through subprocess for real exit codes and a real stderr.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import click
import pytest

from bridge_tui import method
from bridge_tui.cli import cli
from bridge_tui.models import Initiative
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.cli_run import Run, cli_run, new_file
from tests.cli_run import one_line as one_sentence
from tests.conftest import FROZEN_TODAY

__all__ = ["cli_run"]  # the `run` fixture

BRIDGE = Path(sys.executable).with_name("bridge")


@pytest.fixture
def sample(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample portfolio as ./bridge.db of the test's folder."""
    path = tmp_path / "bridge.db"
    shutil.copyfile(sample_db, path)
    return path


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    return new_file(tmp_path / "bridge.db")


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def store_of(path: Path) -> Store:
    return Store.open(path, read_only=True)


# init ----------------------------------------------------------------------------------------


def test_init_creates_an_empty_portfolio(run: Run, tmp_path: Path) -> None:
    r = run("init")
    assert r.code == 0 and r.out == "Created bridge.db.\n" and r.err == ""
    assert run("list").out == "No initiatives.\n"


def test_init_sample(run: Run, tmp_path: Path) -> None:
    r = run("--db", "s.db", "init", "--sample")
    assert r.code == 0 and "with the sample portfolio" in r.out
    store = store_of(tmp_path / "s.db")
    try:
        assert len(store.initiatives()) == 13
    finally:
        store.close()


def test_init_refuses_to_overwrite(run: Run, sample: Path) -> None:
    os.utime(sample, ns=(1_600_000_000_000_000_000,) * 2)
    before = snapshot(sample)
    r = run("init")
    assert r.code == 2
    assert one_sentence(r) == "bridge.db already exists; bridge will not overwrite it."
    assert run("init", "--sample").code == 2
    assert snapshot(sample) == before


def test_init_refuses_to_overwrite_any_file(run: Run, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me")
    r = run("--db", "notes.txt", "init")
    assert r.code == 2 and notes.read_text() == "keep me"


def test_init_in_a_missing_folder(run: Run, tmp_path: Path) -> None:
    r = run("--db", "nope/bridge.db", "init")
    assert r.code == 2 and "does not exist" in one_sentence(r)
    assert not (tmp_path / "nope").exists()


# A missing file: every command refuses and creates nothing ----------------------------------

CORE_ON_MISSING = [
    ["list"],
    ["list", "--json"],
    ["add", "Routing"],
    ["show", "Routing"],
    ["edit", "Routing", "--owner", "x"],
    ["answer", "Routing", "D1", "yes"],
    ["score", "Routing", "--json"],
    ["move", "Routing", "pilot"],
    ["kill", "Routing", "--reason", "x"],
    ["revive", "Routing"],
]


@pytest.mark.parametrize("args", CORE_ON_MISSING, ids=lambda a: " ".join(a))
def test_core_commands_refuse_a_missing_file(run: Run, tmp_path: Path, args: list[str]) -> None:
    r = run(*args)
    assert r.code == 2
    assert one_sentence(r) == (
        "bridge.db does not exist; create it with 'bridge init' (or 'bridge init --sample')."
    )
    assert list(tmp_path.iterdir()) == []


def _leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command's path, as `bridge --help` lists them (the group loads them lazily)."""
    out: list[tuple[str, ...]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        if isinstance(cmd, click.Group):
            out += _leaf_commands(cmd, (*prefix, name))
        elif (*prefix, name) not in (("init",), ("demo",)):  # these make their own file
            out.append((*prefix, name))
    return out


def _plausible_args(path: tuple[str, ...]) -> list[str]:
    """The command's required arguments and options filled with plausible values."""
    cmd: click.Command = cli
    for name in path:
        assert isinstance(cmd, click.Group)
        found = cmd.get_command(click.Context(cmd), name)
        assert found is not None, name
        cmd = found
    args: list[str] = list(path)
    for p in cmd.params:
        if not p.required:
            continue
        value = "1"
        if isinstance(p.type, click.Choice):
            value = str(p.type.choices[0])
        elif isinstance(p.type, click.File | click.Path):
            value = "elsewhere.out"
        if isinstance(p, click.Option):
            args += [p.opts[0], value]
        else:
            args.append(value)
    return args


def test_every_command_is_listed() -> None:
    """The lazy group lists every command (a command missing from its table would also be
    missing from the test below)."""
    assert len(_leaf_commands(cli)) >= 33


@pytest.mark.parametrize("path", _leaf_commands(cli), ids=lambda p: " ".join(p))
def test_every_subcommand_refuses_a_missing_file(
    run: Run, tmp_path: Path, path: tuple[str, ...]
) -> None:
    r = run(*_plausible_args(path))
    assert r.code == 2, r
    one_sentence(r)
    assert list(tmp_path.iterdir()) == [], "a refused command created a file"


def test_no_subcommand_on_a_missing_path_without_a_terminal(run: Run, tmp_path: Path) -> None:
    r = run()
    assert r.code == 2
    assert one_sentence(r).startswith("bridge.db does not exist")
    assert list(tmp_path.iterdir()) == []
    r = run("--db", "elsewhere.db")
    assert r.code == 2 and list(tmp_path.iterdir()) == []


# Bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"just some notes\n", "is not a bridge file"),
        (b"", "is empty, not a bridge file"),
    ],
)
def test_bad_files_are_refused_untouched(
    run: Run, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "bridge.db"
    path.write_bytes(content)
    before = snapshot(path)
    for args in (["list"], ["add", "x"], ["score", "x", "--json"]):
        r = run(*args)
        assert r.code == 2 and expected in one_sentence(r)
    assert snapshot(path) == before


def test_folder_is_refused(run: Run, tmp_path: Path) -> None:
    (tmp_path / "bridge.db").mkdir()
    r = run("list")
    assert r.code == 2 and "is a folder" in one_sentence(r)


def test_foreign_database_is_refused(run: Run, tmp_path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(tmp_path / "bridge.db")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = snapshot(tmp_path / "bridge.db")
    r = run("list")
    assert r.code == 2 and "not a bridge file" in one_sentence(r)
    assert snapshot(tmp_path / "bridge.db") == before


def test_read_only_file_reads_but_refuses_writes(run: Run, sample: Path) -> None:
    sample.chmod(0o444)
    try:
        before = snapshot(sample)
        assert run("list").code == 0
        r = run("add", "Another")
        assert r.code == 2
        assert one_sentence(r) == "bridge.db is read-only: changes cannot be saved."
        assert snapshot(sample) == before
    finally:
        sample.chmod(0o644)
    r = run("--read-only", "kill", "Dispatch routing", "--reason", "x")
    assert r.code == 2 and "read-only" in one_sentence(r)


def test_bad_today_override(run: Run, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIDGE_TODAY", "yesterday")
    r = run("list")
    assert r.code == 2 and "BRIDGE_TODAY must be a date" in one_sentence(r)


# add / list / show / edit --------------------------------------------------------------------


def test_add_prints_the_new_id(run: Run, empty: Path) -> None:
    r = run("add", "Dispatch routing", "--owner", "Priya", "--team", "Ops")
    assert r.code == 0 and r.err == ""
    new_id = r.out.strip()
    assert str(uuid.UUID(new_id)) == new_id
    shown = run("show", new_id, "--json").json()
    assert (shown["name"], shown["owner"], shown["stage"], shown["team"]) == (
        "Dispatch routing",
        "Priya",
        "experiment",
        "Ops",
    )
    store = store_of(empty)
    try:
        (change,) = store.changes(entity_id=new_id, expand=False)
        assert change.author == "tester"  # from $BRIDGE_AUTHOR
    finally:
        store.close()


def test_as_overrides_the_author(run: Run, empty: Path) -> None:
    new_id = run("--as", "Maya", "add", "X").out.strip()
    store = store_of(empty)
    try:
        assert store.changes(entity_id=new_id, expand=False)[0].author == "Maya"
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "   "], "name: cannot be blank."),
        (["add", "x" * 121], "name: is too long (at most 120 characters)."),
        (["add", "X", "--stage", "killed"], "a new initiative cannot start in Killed."),
        (["add", "X", "--stage", "done"], "Invalid value for '--stage'"),
        (["add"], "Missing argument 'NAME'."),
    ],
)
def test_add_refuses_bad_input(run: Run, empty: Path, args: list[str], message: str) -> None:
    r = run(*args)
    assert r.code == 2 and one_sentence(r).startswith(message)
    assert run("list").out == "No initiatives.\n"


def test_list(run: Run, sample: Path) -> None:
    r = run("list")
    assert r.code == 0
    lines = r.out.splitlines()
    assert len(lines) == 13
    stages = [line.split()[1] for line in lines]
    order = [s.label for s in method.STAGES]
    assert stages == sorted(stages, key=order.index)  # stage columns left to right
    routing = next(line for line in lines if "Dispatch routing" in line)
    assert "Productionize" in routing and "[Priya Natarajan]" in routing
    assert any("purgatory" in line for line in lines)
    assert any("review overdue" in line for line in lines)
    only = run("list", "--stage", "killed").out.splitlines()
    assert len(only) == 2 and all("Killed" in line for line in only)
    assert run("list", "--stage", "infrastructure", "--json").json()[0]["stage"] == (
        "infrastructure"
    )


def test_list_json(run: Run, sample: Path) -> None:
    rows = run("list", "--json").json()
    assert len(rows) == 13
    routing = next(r for r in rows if r["name"] == "Dispatch routing")
    assert routing["score"] == 14 and routing["days_in_stage"] == 37
    assert not routing["purgatory"] and not routing["stage_three"]
    contract = next(r for r in rows if r["name"] == "Contract review")
    assert contract["stage_three"] and not contract["review_overdue"]


def test_list_json_is_every_card_scored_afresh(run: Run, sample: Path) -> None:
    """`list` reads each card from the score the file keeps and only the answers its flags
    need (`Service.lean_board`): what it prints is what scoring every initiative from its
    answers gives, after a change of answers too."""
    assert run("answer", "Dispatch routing", "D2", "yes").code == 0
    rows = {r["id"]: r for r in run("list", "--json").json()}
    service = Service.open(sample, "tester", FROZEN_TODAY, read_only=True)
    try:
        assert set(rows) == {i.id for i in service.initiatives()}
        for i in service.initiatives():
            card = service.card(i)
            flags = service.sustain_of(i).flags()
            row = rows[i.id]
            assert (row["score"], row["days_in_stage"], row["purgatory"]) == (
                card.readiness.total,
                card.days_in_stage,
                card.purgatory,
            )
            assert (row["purgatory_days"], row["review_overdue"]) == (
                card.purgatory_days,
                card.review_overdue,
            )
            assert (row["stage_three"], row["forced"]) == (card.stage_three, card.forced)
            assert row["sustain_flags"] == list(flags)
    finally:
        service.close()


@pytest.mark.parametrize("args", [["list"], ["list", "--json"], ["score", "Warehouse slotting"]])
def test_a_read_of_a_doctored_large_file_says_what_is_wrong(
    run: Run, sample: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """A file too large for the full check on open: the plain read leaves the odd row to the
    models, whose read names it, and nothing is printed but that sentence."""
    from bridge_tui.store import checks

    monkeypatch.setattr(checks, "FULL_CHECK_BYTES", 0)
    conn = sqlite3.connect(sample)
    conn.execute("UPDATE initiatives SET stage = 'launch' WHERE name = 'Warehouse slotting'")
    conn.commit()
    conn.close()
    r = run(*args)
    assert r.code == 2 and r.out == ""
    assert "holds a value bridge cannot read" in r.err and "unknown stage 'launch'" in r.err


def test_show(run: Run, sample: Path) -> None:
    r = run("show", "dispatch routing")
    assert r.code == 0 and r.out.startswith("Dispatch routing  (")
    assert "Productionize, 37 days" in r.out
    assert "readiness  14/20 (passing" in r.out
    doc = run("show", "Dispatch routing", "--json").json()
    assert doc["answers"]["stable_performance"]["note"].startswith("8 weeks")
    assert doc["answers"]["D1"]["value"] == "yes"
    assert doc["answers"]["D1"]["at"].endswith("Z")
    assert doc["score"]["readiness"]["total"] == 14


def test_edit(run: Run, sample: Path) -> None:
    r = run(
        "edit",
        "Route optimisation",
        "--owner",
        "Mei Chen",
        "--operational",
        "--integration-budget",
        "300000",
        "--add-blocker",
        "people",
        "--remove-blocker",
        "integration",
        "--last-review",
        "2026-11-01",
    )
    assert r.code == 0 and r.out == "Saved Route optimisation.\n"
    doc = run("show", "Route optimisation", "--json").json()
    assert doc["owner"] == "Mei Chen" and doc["owner_is_operational"]
    assert doc["integration_budget"] == 300000
    assert doc["blockers"] == ["data_readiness", "people"]
    assert doc["last_review_at"] == "2026-11-01"
    assert run("edit", "Route optimisation", "--blockers", "").code == 0
    assert run("show", "Route optimisation", "--json").json()["blockers"] == []


def test_edit_takes_every_field_a_person_may_edit() -> None:
    """`bridge edit` has an option for each of the service's `EDITABLE_FIELDS`, whose value
    arrives under the field's name, and none for a field the service would refuse."""
    from bridge_tui.cli.initiatives import EDIT_OPTIONS, edit
    from bridge_tui.service import EDITABLE_FIELDS

    assert set(EDIT_OPTIONS) == set(EDITABLE_FIELDS)
    names = {p.name for p in edit.params} - {"ref", "add_blocker", "remove_blocker"}
    assert names == set(EDITABLE_FIELDS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pilot-budget", "-5"], "pilot budget: must be 0 or more, not -5."),
        (["--pilot-budget", "lots"], "pilot budget: must be a number, not 'lots'."),
        (["--pilot-budget", "1e400"], "pilot budget: must be a finite number."),
        (["--maintenance-budget", "nan"], "maintenance budget: must be a finite number."),
        (["--name", "  "], "name: cannot be blank."),
        (["--blockers", "vibes"], "unknown blocker 'vibes'"),
        (["--add-blocker", "vibes"], "unknown blocker 'vibes'"),
        (["--last-review", "22/11/2026"], "last review must be a date like 2026-11-22"),
        ([], "nothing to change"),
    ],
)
def test_edit_refuses_bad_input(run: Run, sample: Path, args: list[str], message: str) -> None:
    before = run("show", "Dispatch routing", "--json").json()
    r = run("edit", "Dispatch routing", *args)
    assert r.code == 2 and one_sentence(r).startswith(message)
    assert run("show", "Dispatch routing", "--json").json() == before


# REF resolution ------------------------------------------------------------------------------


def test_ref_resolution(run: Run, sample: Path) -> None:
    rows = run("list", "--json").json()
    routing = next(r for r in rows if r["name"] == "Dispatch routing")
    rid = routing["id"]
    for ref in (rid, rid.upper(), rid[:4], rid[:8], "DISPATCH ROUTING", "dispatch routing"):
        r = run("score", ref, "--json")
        assert r.code == 0, (ref, r.err)
        assert r.json()["id"] == rid
    r = run("score", rid[:3])
    assert r.code == 2
    assert one_sentence(r) == (
        f"no initiative matches '{rid[:3]}' (id prefixes need at least 4 characters)."
    )
    r = run("score", "Dispatch")
    assert r.code == 2 and one_sentence(r) == (
        "no initiative matches 'Dispatch'; names are matched exactly, "
        "did you mean: Dispatch routing?"
    )


def test_ambiguous_ref_lists_the_candidates(run: Run, empty: Path) -> None:
    store = Store.open(empty)
    try:
        with store.transaction("t") as tx:
            for ident, name in (
                ("beef0001-0000-4000-8000-000000000000", "Email triage"),
                ("beef0002-0000-4000-8000-000000000000", "Invoice processing"),
            ):
                tx.insert(
                    Initiative(
                        id=ident,
                        name=name,
                        stage_entered_at=FROZEN_TODAY,
                        created_at="2026-11-22T09:00:00Z",
                        updated_at="2026-11-22T09:00:00Z",
                    )
                )
    finally:
        store.close()
    r = run("show", "beef")
    assert r.code == 2
    assert one_sentence(r) == (
        "'beef' matches several initiatives: beef0001 Email triage; beef0002 Invoice processing."
    )
    assert run("show", "beef0002").code == 0
    run("add", "email TRIAGE")
    r = run("show", "Email Triage")
    assert r.code == 2 and "matches several initiatives" in one_sentence(r)


# answer / score --json -----------------------------------------------------------------------


def test_answer(run: Run, sample: Path) -> None:
    r = run("answer", "Warehouse slotting", "d1", "YES", "--note", "catalogue in git")
    assert r.code == 0
    assert r.out == "Warehouse slotting: D1 = yes (readiness 1/20)\n"
    assert run("answer", "Warehouse slotting", "Team_Assigned", "yes").code == 0
    doc = run("show", "Warehouse slotting", "--json").json()
    assert doc["answers"]["D1"] == {
        "value": "yes",
        "note": "catalogue in git",
        "by": "tester",
        "at": doc["answers"]["D1"]["at"],
    }
    assert doc["answers"]["team_assigned"]["value"] == "yes"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["D9", "yes"], "unknown key 'D9'"),
        (["D1", "maybe"], "Invalid value for '{yes|no|unknown}'"),
        (["D1", "yes", "--note", "x" * 5000], "note: is too long"),
    ],
)
def test_answer_refuses_bad_input(run: Run, sample: Path, args: list[str], message: str) -> None:
    r = run("answer", "Warehouse slotting", *args)
    assert r.code == 2 and one_sentence(r).startswith(message)
    assert run("show", "Warehouse slotting", "--json").json()["answers"] == {}


def test_score_json_exact_document(run: Run, sample: Path) -> None:
    r = run("score", "Dispatch routing", "--json")
    assert r.code == 0
    doc = r.json()
    assert list(doc) == [
        "id",
        "name",
        "stage",
        "readiness",
        "tests",
        "stage_three",
        "scale",
        "next_gate",
        "optimize",
    ]
    assert (doc["name"], doc["stage"], doc["stage_three"]) == (
        "Dispatch routing",
        "productionize",
        False,
    )
    assert doc["readiness"] == {
        "total": 14,
        "max": 20,
        "threshold": 14,
        "passing": True,
        "unanswered": 3,
        "categories": {
            "data": {"met": 4, "max": 5},
            "governance": {"met": 3, "max": 4},
            "operations": {"met": 3, "max": 5},
            "security": {"met": 2, "max": 3},
            "team": {"met": 2, "max": 3},
        },
        "weakest": ["operations", "security", "team"],
        "unmet": ["D5", "G3", "O3", "O4", "S3", "T2"],
    }
    assert list(doc["readiness"]["categories"]) == [c.id for c in method.CATEGORIES]
    assert doc["tests"] == {"embedded": True, "owned": True, "measured": False, "maintained": None}
    assert list(doc["tests"]) == [t.id for t in method.TESTS]
    assert doc["scale"] == {
        "ready": True,
        "missing": [],
        "false_signals": [],
        "warning": False,
    }
    assert doc["next_gate"] == {
        "to": "infrastructure",
        "allowed": False,
        "unmet": ["unattended_30d", "on_call", "measured", "maintained"],
    }
    assert doc["optimize"] is None  # the Optimize phase is for Infrastructure only


def test_score_json_warning_and_readiness_requirement(run: Run, sample: Path) -> None:
    doc = run("score", "Fleet maintenance prediction", "--json").json()
    assert doc["scale"]["warning"] is True
    assert doc["scale"]["false_signals"] == ["enthusiasm", "executive_pressure", "vendor_readiness"]
    assert doc["scale"]["missing"] == [s.id for s in method.REAL_SIGNALS]
    assert doc["next_gate"]["to"] == "productionize"
    # A productionize initiative under 14 lists "readiness" among what infrastructure needs.
    new = run(
        "add", "Low score", "--stage", "productionize", "--force", "--reason", "test"
    ).out.strip()
    low = run("score", new, "--json").json()
    assert low["next_gate"]["unmet"][-1] == "readiness"
    assert low["readiness"]["unanswered"] == 20
    assert low["readiness"]["unmet"] == [i.id for i in method.ITEMS]


@pytest.mark.parametrize("name", ["Contract review", "Driver safety coaching"])
def test_score_json_next_gate_null_at_the_end(run: Run, sample: Path, name: str) -> None:
    doc = run("score", name, "--json").json()
    assert doc["next_gate"] is None
    assert doc["stage_three"] is (name == "Contract review")


def test_score_text(run: Run, sample: Path) -> None:
    r = run("score", "Customer service assistant")
    assert r.code == 0 and r.out.startswith("Customer service assistant (Pilot)")
    assert "Warning: the push rests on false signals, not readiness: enthusiasm (" in r.out
    assert "executive pressure (pressure to announce progress is theatre, not readiness)" in r.out
    assert "next gate  validate needs:" in r.out


# move / kill / revive ------------------------------------------------------------------------


def test_move_refused_by_the_gate_exits_1(run: Run, sample: Path) -> None:
    before = run("show", "Customer service assistant", "--json").json()
    r = run("move", "Customer service assistant", "validate")
    assert r.code == 1
    text = one_sentence(r)
    assert text.startswith("Customer service assistant cannot move to Validate yet: ")
    assert method.describe_key("business_case_reviewed") in text
    assert run("show", "Customer service assistant", "--json").json() == before


def test_move_forward_through_the_gate(run: Run, sample: Path) -> None:
    for key in ("business_case_reviewed",):
        run("answer", "Customer service assistant", key, "yes")
    r = run("move", "Customer service assistant", "VALIDATE")
    assert r.code == 0 and r.out == "Moved Customer service assistant to Validate.\n"


def test_force_needs_a_reason_and_is_recorded(run: Run, sample: Path) -> None:
    r = run("move", "Warehouse slotting", "pilot", "--force")
    assert r.code == 2 and one_sentence(r) == (
        "Forcing Warehouse slotting into Pilot needs a reason."
    )
    r = run("move", "Warehouse slotting", "pilot", "--force", "--reason", "COO asked")
    assert r.code == 0 and r.out == "Moved Warehouse slotting to Pilot (forced).\n"
    doc = run("show", "Warehouse slotting", "--json").json()
    assert doc["forced_reason"] == "COO asked" and doc["stage"] == "pilot"
    line = next(x for x in run("list").out.splitlines() if "Warehouse slotting" in x)
    assert "forced" in line
    assert "forced     COO asked" in run("show", "Warehouse slotting").out


def test_backward_move_needs_a_reason(run: Run, sample: Path) -> None:
    r = run("move", "Dispatch routing", "validate")
    assert r.code == 2 and one_sentence(r) == "Moving back to Validate needs a reason."
    r = run("move", "Dispatch routing", "validate", "--reason", "incident in week 5")
    assert r.code == 0
    doc = run("show", "Dispatch routing", "--json").json()
    assert doc["move_reason"] == "incident in week 5"


def test_entering_productionize_warns_about_the_budget(run: Run, sample: Path) -> None:
    run("edit", "Invoice processing", "--integration-budget", "149999")
    run("answer", "Invoice processing", "incident_recovered", "yes")
    run("answer", "Invoice processing", "maintenance_budget", "yes")
    r = run("move", "Invoice processing", "productionize")
    assert r.code == 0
    assert "Created its 90-day plan from the template." in r.out
    assert r.err.startswith("Warning: Integration budget 149,999 is under 3x the pilot budget")


def test_show_prints_budgets_as_kept_never_rounded(run: Run, sample: Path) -> None:
    """A budget with cents reads as typed: 149,999.5 is under 150,000, and the warning on the
    move says so instead of "150,000 is under 3x the pilot budget (150,000)"."""
    assert run("edit", "Invoice processing", "--integration-budget", "149999.5").code == 0
    assert run("edit", "Invoice processing", "--maintenance-budget", "0.4").code == 0
    shown = run("show", "Invoice processing").out
    assert "integration 149,999.5, maintenance 0.4" in shown
    run("answer", "Invoice processing", "incident_recovered", "yes")
    run("answer", "Invoice processing", "maintenance_budget", "yes")
    r = run("move", "Invoice processing", "productionize")
    assert r.code == 0
    assert r.err.startswith(
        "Warning: Integration budget 149,999.5 is under 3x the pilot budget (150,000);"
    )


@pytest.mark.parametrize(
    ("typed", "kept", "shown"),
    [
        ("1,000.50", 1000.5, "1,000.5"),
        ("$40,000", 40_000, "40,000"),
        ("40 000", 40_000, "40,000"),
        ("0.4", 0.4, "0.4"),
        ("", 0, "0"),
    ],
)
def test_edit_reads_budgets_as_people_write_them(
    run: Run, sample: Path, typed: str, kept: float, shown: str
) -> None:
    """As the edit form reads them, so what `bridge show` prints can be typed back."""
    assert run("edit", "Dispatch routing", "--maintenance-budget", typed).code == 0
    assert run("show", "Dispatch routing", "--json").json()["maintenance_budget"] == kept
    assert f"maintenance {shown}\n" in run("show", "Dispatch routing").out
    assert run("edit", "Dispatch routing", "--maintenance-budget", shown).code == 0
    assert run("show", "Dispatch routing", "--json").json()["maintenance_budget"] == kept


def test_kill_and_revive(run: Run, sample: Path) -> None:
    r = run("kill", "Demand forecasting", "--reason", "   ")
    assert r.code == 2 and one_sentence(r) == "Killing Demand forecasting needs a reason."
    r = run("kill", "Demand forecasting")
    assert r.code == 2 and "Missing option '--reason'" in one_sentence(r)
    r = run("kill", "Demand forecasting", "--reason", "Spreadsheet is good enough")
    assert r.code == 0 and r.out == "Killed Demand forecasting.\n"
    assert run("show", "Demand forecasting", "--json").json()["kill_reason"] == (
        "Spreadsheet is good enough"
    )
    r = run("kill", "Demand forecasting", "--reason", "again")
    assert r.code == 2 and "already killed" in one_sentence(r)
    r = run("revive", "Demand forecasting", "--stage", "validate")
    assert r.code == 1 and "cannot move to Validate yet" in one_sentence(r)
    r = run("revive", "Demand forecasting", "--stage", "pilot")
    assert r.code == 0 and r.out == "Moved Demand forecasting to Pilot.\n"
    r = run("revive", "Demand forecasting")
    assert r.code == 2 and "is not killed" in one_sentence(r)


def test_revive_defaults_to_experiment(run: Run, sample: Path) -> None:
    r = run("revive", "Driver safety coaching")
    assert r.code == 0 and r.out == "Moved Driver safety coaching to Experiment.\n"
    doc = run("show", "Driver safety coaching", "--json").json()
    assert doc["kill_reason"] == "" and doc["stage"] == "experiment"


def test_stale_revision_exits_1(run: Run, sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A teammate saves between our read and our write: refused, theirs kept, ours not saved."""
    from bridge_tui.service import Service

    original = Service.resolve
    owners = iter(["Lena Park", "Priya N."])

    def resolve_then_a_teammate_saves(self: Service, ref: str) -> Initiative:
        seen = original(self, ref)
        other = Store.open(sample)
        try:
            Service(other, "priya", FROZEN_TODAY).edit_initiative(seen, owner=next(owners))
        finally:
            other.close()
        return seen

    monkeypatch.setattr(Service, "resolve", resolve_then_a_teammate_saves)
    r = run("edit", "Warehouse slotting", "--owner", "Maya")
    assert r.code == 1
    assert one_sentence(r).startswith("priya changed this initiative (owner) at ")
    r = run("move", "Warehouse slotting", "pilot", "--force", "--reason", "x")
    assert r.code == 1
    monkeypatch.setattr(Service, "resolve", original)
    doc = run("show", "Warehouse slotting", "--json").json()
    assert doc["owner"] == "Priya N." and doc["stage"] == "experiment"


def test_move_to_killed_needs_a_reason(run: Run, sample: Path) -> None:
    r = run("move", "Warehouse slotting", "killed")
    assert r.code == 2 and "needs a reason" in one_sentence(r)


@pytest.mark.parametrize(
    "args",
    [
        ["move", "Warehouse slotting", "done"],
        ["move", "Warehouse slotting"],
        ["frobnicate"],
        ["list", "--colour"],
    ],
)
def test_usage_errors_are_one_sentence(run: Run, sample: Path, args: list[str]) -> None:
    r = run(*args)
    assert r.code == 2
    assert "--help" in one_sentence(r)


def test_help_and_version(run: Run) -> None:
    assert run("--help").code == 0
    assert run("move", "--help").code == 0
    r = run("--version")
    assert r.code == 0 and r.out.startswith("bridge, version ")


# The installed command, in a real process ----------------------------------------------------


def bridge(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "BRIDGE_TODAY": FROZEN_TODAY.isoformat(),
        "BRIDGE_AUTHOR": "tester",
        **env,
    }
    full_env.pop("BRIDGE_DB", None)
    return subprocess.run(
        [str(BRIDGE), *args],
        cwd=tmp_path,
        env=full_env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.mark.skipif(not BRIDGE.exists(), reason="the bridge command is not installed")
def test_installed_command_exit_codes(tmp_path: Path) -> None:
    p = bridge(tmp_path, "list")
    assert p.returncode == 2 and "does not exist" in p.stderr and "Traceback" not in p.stderr
    assert list(tmp_path.iterdir()) == []

    p = bridge(tmp_path)  # no subcommand, no terminal, no file
    assert p.returncode == 2 and p.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []

    assert bridge(tmp_path, "init").returncode == 0
    p = bridge(tmp_path, "init")
    assert p.returncode == 2 and p.stderr.startswith("bridge: ")

    p = bridge(tmp_path, "add", "Routing")
    assert p.returncode == 0 and uuid.UUID(p.stdout.strip())

    p = bridge(tmp_path, "move", "routing", "pilot")
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr

    p = bridge(tmp_path, "edit", "routing", "--pilot-budget", "-5")
    assert p.returncode == 2 and p.stderr == "bridge: pilot budget: must be 0 or more, not -5.\n"

    p = bridge(tmp_path, "add", "   ")
    assert p.returncode == 2 and p.stderr == "bridge: name: cannot be blank.\n"

    p = bridge(tmp_path, "move", "routing", "nowhere")
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr

    p = bridge(tmp_path, "score", "routing", "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["next_gate"]["to"] == "pilot"


@pytest.mark.skipif(not BRIDGE.exists(), reason="the bridge command is not installed")
def test_installed_command_on_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "bridge.db"
    path.write_text("not a database")
    before = snapshot(path)
    p = bridge(tmp_path, "list")
    assert p.returncode == 2
    assert p.stderr == ("bridge: bridge.db is not a bridge file (it is not an SQLite database).\n")
    p = bridge(tmp_path)  # the app refuses it the same way, before any screen
    assert p.returncode == 2 and "not a bridge file" in p.stderr and "Traceback" not in p.stderr
    assert snapshot(path) == before


def test_bridge_db_environment_variable(
    run: Run, sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = tmp_path / "elsewhere.db"
    sample.rename(moved)
    monkeypatch.setenv("BRIDGE_DB", str(moved))
    r = run("list")
    assert r.code == 0 and len(r.out.splitlines()) == 13
    assert run("--db", "bridge.db", "list").code == 2  # --db wins over $BRIDGE_DB


@pytest.mark.skipif(not BRIDGE.exists(), reason="the bridge command is not installed")
def test_installed_command_when_the_reader_leaves(sample: Path, tmp_path: Path) -> None:
    """`bridge list | head -1`: the reader closing the pipe is not an error."""
    env = {**os.environ, "BRIDGE_TODAY": FROZEN_TODAY.isoformat()}
    env.pop("BRIDGE_DB", None)
    proc = subprocess.Popen(
        [str(BRIDGE), "list", "--json"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert err == ""


def test_bridge_today_dates_what_is_recorded_so_age_rules_follow_it(
    run: Run, empty: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One clock: created under a frozen day, judged on a later frozen day (0/20, 182 days)."""
    monkeypatch.setenv("BRIDGE_TODAY", "2026-01-01")
    new_id = run("add", "Old idea", "--owner", "Priya").out.strip()
    assert run("show", new_id, "--json").json()["created_at"].startswith("2026-01-01")
    assert run("answer", new_id, "D1", "yes").code == 0
    assert run("show", new_id, "--json").json()["answers"]["D1"]["at"].startswith("2026-01-01")
    monkeypatch.setenv("BRIDGE_TODAY", "2026-07-02")
    report = run("report", "--format", "json").json()
    assert [k["name"] for k in report["summary"]["kill_candidates"]] == ["Old idea"]
