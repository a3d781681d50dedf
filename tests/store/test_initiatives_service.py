"""The core use cases on a temp file: create, edit, answer, move through gates, kill, revive
(service/initiatives.py and service/moves.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bridge_tui import method
from bridge_tui.clock import Clock as OneClock
from bridge_tui.errors import BadInput, GateRefused, StaleRevision
from bridge_tui.models import Initiative, Plan, PlanTask
from bridge_tui.service import Service
from bridge_tui.store import Store

TODAY = date(2026, 11, 22)
T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

EVERYTHING: dict[str, str] = {
    **{e.id: "yes" for e in method.EXIT_CONDITIONS},
    **{s.id: "yes" for s in method.REAL_SIGNALS},
    **{t.id: "yes" for t in method.TESTS},
    **{i.id: "yes" for i in method.ITEMS},
}


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Service]:
    store = Store.create(tmp_path / "p.db")
    store.conn.execute("PRAGMA synchronous = OFF")  # a throwaway file: skip the fsyncs
    yield Service(store, "maya", OneClock(lambda: TODAY, lambda: T0))
    store.close()


def answer_all(svc: Service, i: Initiative, answers: dict[str, str]) -> Initiative:
    for key, value in answers.items():
        svc.answer(i, key, value)
    return svc.initiative(i.id)


#: a named person who did not build the pilot: `owned` and `operational_owner` can hold
OWNER = "Ana Lopez"


def placed(svc: Service, name: str, stage: str, **fields: Any) -> Initiative:
    """A new initiative put straight into `stage` (forced past the gates: a test set-up)."""
    return svc.create_initiative(name, stage=stage, force=True, reason="test set-up", **fields)


def in_stage(svc: Service, stage: str, answers: dict[str, str] | None = None) -> Initiative:
    """An initiative sitting in `stage` with the given answers (and a proper owner)."""
    if stage == "killed":
        i = svc.create_initiative("Subject", owner=OWNER)
        i = svc.kill(i, "stopped for the test").initiative
    else:
        i = placed(svc, "Subject", stage, owner=OWNER)
    return answer_all(svc, i, answers or {})


def log_size(svc: Service) -> int:
    return len(svc.store.changes(expand=False))


# Create and edit -----------------------------------------------------------------------------


def test_create_records_today_and_author(svc: Service) -> None:
    i = svc.create_initiative("  Dispatch routing  ", owner="Priya", pilot_budget=40_000)
    assert i.name == "Dispatch routing"
    assert (i.stage, i.stage_entered_at, i.created_at, i.revision) == ("experiment", TODAY, T0, 1)
    (c,) = svc.store.changes(entity_id=i.id, expand=False)
    assert c.author == "maya"
    assert svc.session_txs == [c.tx]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"name": "   "}, "name: cannot be blank."),
        ({"name": "x" * 121}, "name: is too long (at most 120 characters)."),
        ({"name": "A", "pilot_budget": -5}, "pilot budget: must be 0 or more, not -5."),
        ({"name": "A", "stage": "killed"}, "a new initiative cannot start in Killed."),
        ({"name": "A", "stage": "done"}, "stage: unknown stage 'done'"),
        ({"name": "A", "blockers": ("vibes",)}, "blockers: unknown blocker 'vibes'"),
        ({"name": "A", "kill_reason": "x"}, "unknown field kill_reason."),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(
    svc: Service, kw: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadInput) as info:
        svc.create_initiative(**kw)
    assert info.value.message.startswith(message)
    assert svc.initiatives() == [] and log_size(svc) == 0


def test_create_in_productionize_makes_the_plan(svc: Service) -> None:
    i = placed(svc, "Routing", "productionize")
    plan = svc.store.get(Plan, i.id)
    assert plan is not None and plan.start_date == TODAY
    tasks = svc.store.all(PlanTask, "initiative_id = ?", (i.id,), order="month, position")
    assert len(tasks) == sum(len(m.tasks) for m in method.PLAN_TEMPLATE) == 15
    due = {t.month: t.due for t in tasks}
    assert due == {1: TODAY + timedelta(29), 2: TODAY + timedelta(59), 3: TODAY + timedelta(89)}


def test_edit_saves_and_logs_each_field(svc: Service) -> None:
    i = svc.create_initiative("Routing")
    e = svc.edit_initiative(i, owner="Lars", blockers=("integration", "funding"))
    assert (e.owner, e.blockers, e.revision) == ("Lars", ("funding", "integration"), 2)
    fields = [c.field for c in svc.store.changes(entity_id=i.id, expand=False)[:-1]]
    assert sorted(fields) == ["blockers", "owner"]


def test_edit_refuses_bad_values_and_unknown_fields(svc: Service) -> None:
    i = svc.create_initiative("Routing")
    with pytest.raises(BadInput, match=r"^name: cannot be blank\.$"):
        svc.edit_initiative(i, name=" ")
    with pytest.raises(BadInput, match="maintenance budget: must be a finite number"):
        svc.edit_initiative(i, maintenance_budget=float("inf"))
    with pytest.raises(BadInput, match="stage cannot be edited directly"):
        svc.edit_initiative(i, stage="infrastructure")
    assert svc.initiative(i.id) == i


def test_edit_that_changes_nothing_logs_nothing(svc: Service) -> None:
    i = svc.create_initiative("Routing", owner="Lars")
    n = log_size(svc)
    assert svc.edit_initiative(i, owner="Lars").revision == 1
    assert log_size(svc) == n


def test_edit_with_a_stale_model_is_refused(svc: Service) -> None:
    i = svc.create_initiative("Routing")
    svc.edit_initiative(i, owner="Lars")
    with pytest.raises(StaleRevision, match=r"maya changed this initiative \(owner\)"):
        svc.edit_initiative(i, owner="Mei")
    assert svc.initiative(i.id).owner == "Lars"


# Answers -------------------------------------------------------------------------------------


def test_answer_creates_then_updates_one_row(svc: Service) -> None:
    i = svc.create_initiative("Routing")
    a = svc.answer(i, "D1", "no", "not yet")
    b = svc.answer(i, "D1", "yes")
    assert a.id == b.id and b.revision == 2
    assert (b.value, b.note, b.by, b.at) == ("yes", "not yet", "maya", T0)  # note kept
    assert svc.answer_map(i.id) == {"D1": "yes"}
    assert len(svc.answers(i.id)) == 1
    svc.answer(i, "D1", "yes", "")  # an empty note clears it
    assert svc.answers(i.id)[0].note == ""


@pytest.mark.parametrize("key", method.ANSWER_KEYS)
def test_every_key_of_the_method_can_be_answered(svc: Service, key: str) -> None:
    i = svc.create_initiative("Routing")
    svc.answer(i, key, "yes")
    assert svc.answer_map(i.id) == {key: "yes"}


def test_answer_refuses_bad_keys_values_and_notes(svc: Service) -> None:
    i = svc.create_initiative("Routing")
    with pytest.raises(BadInput, match="unknown key 'D9'"):
        svc.answer(i, "D9", "yes")
    with pytest.raises(BadInput, match="yes, no or unknown"):
        svc.answer(i, "D1", "maybe")
    with pytest.raises(BadInput, match="note: is too long"):
        svc.answer(i, "D1", "yes", "x" * 5000)
    svc.answer(i, "D1", "yes")
    with pytest.raises(BadInput, match="note: is too long"):  # on an existing answer too
        svc.answer(i, "D1", "no", "x" * 5000)
    assert svc.answer_map(i.id) == {"D1": "yes"}


def test_answer_for_a_missing_initiative(svc: Service) -> None:
    ghost = Initiative(name="Ghost", stage_entered_at=TODAY, created_at=T0, updated_at=T0)
    with pytest.raises(BadInput, match="no initiative"):
        svc.answer(ghost, "D1", "yes")


# Moves through the gates: every stage pair ---------------------------------------------------

PAIRS = [(a, b) for a in method.STAGE_IDS for b in method.STAGE_IDS]


def _kind(source: str, target: str) -> str:
    if source == target:
        return "same"
    if target == "killed":
        return "kill"
    if source == "killed":
        return "revive"
    return "forward" if method.FLOW.index(target) > method.FLOW.index(source) else "backward"


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_pair_with_every_gate_met(svc: Service, source: str, target: str) -> None:
    i = in_stage(svc, source, EVERYTHING)
    kind = _kind(source, target)
    if kind == "same":
        with pytest.raises(BadInput, match="already"):
            svc.move(i, target, reason="x")
        return
    if kind in ("backward", "kill"):
        with pytest.raises(BadInput, match="needs a reason"):
            svc.move(i, target)
        assert svc.initiative(i.id).stage == source
    result = svc.move(i, target, reason="the meeting decided")
    moved = svc.initiative(i.id)
    assert moved.stage == target and result.initiative == moved
    assert moved.stage_entered_at == TODAY
    assert not result.forced and moved.forced_reason == ""
    if kind in ("backward", "kill"):
        assert moved.move_reason == "the meeting decided"
    if kind == "kill":
        assert moved.kill_reason == "the meeting decided"
    else:
        assert moved.kill_reason == ""


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_pair_with_nothing_answered(svc: Service, source: str, target: str) -> None:
    i = in_stage(svc, source)
    kind = _kind(source, target)
    if kind == "same":
        return
    gated = kind == "forward" or (kind == "revive" and target != "experiment")
    if not gated:
        svc.move(i, target, reason="because")
        assert svc.initiative(i.id).stage == target
        return
    n = log_size(svc)
    with pytest.raises(GateRefused) as info:
        svc.move(i, target)
    err = info.value
    assert err.exit_code == 1
    assert err.unmet  # every unmet requirement, each described in the sentence
    for key in err.unmet:
        assert method.describe_key(key) in err.message
    assert "\n" not in err.message
    assert svc.initiative(i.id) == i and log_size(svc) == n
    # Forcing needs a written reason ...
    with pytest.raises(BadInput, match="needs a reason"):
        svc.move(i, target, force=True, reason="   ")
    # ... and is then recorded as forced.
    result = svc.move(i, target, force=True, reason="CEO demo on Friday")
    moved = svc.initiative(i.id)
    assert result.forced and moved.forced and moved.stage == target
    assert moved.forced_reason == moved.move_reason == "CEO demo on Friday"
    logged = {c.field: c.new for c in svc.store.changes(entity_id=i.id, expand=False)[:8]}
    assert logged["forced_reason"] == "CEO demo on Friday"


def test_forward_single_stage_passes_its_gate(svc: Service) -> None:
    i = svc.create_initiative("Routing")
    i = answer_all(svc, i, {"scoped": "yes", "team_assigned": "yes"})
    result = svc.move(i, "pilot")
    assert result.initiative.stage == "pilot" and not result.forced
    assert result.check.gates == ("pilot",)


def test_refusal_lists_every_unmet_requirement(svc: Service) -> None:
    i = placed(svc, "Routing", "validate")
    i = answer_all(svc, i, {"usage_data_30d": "yes", "enthusiasm": "yes"})
    with pytest.raises(GateRefused) as info:
        svc.move(i, "productionize")
    # ready to scale: the four real signals and none of the false ones (a marked one is listed)
    unmet = ("failure_modes_known", "incident_recovered", "stable_performance")
    unmet += ("operational_owner", "integration_plan", "maintenance_budget", "enthusiasm")
    assert info.value.unmet == unmet
    assert "False signal marked 'Enthusiasm'" in info.value.message
    assert info.value.message.startswith("Routing cannot move to Productionize yet: ")


def test_multi_stage_move_needs_every_gate_on_the_way(svc: Service) -> None:
    i = svc.create_initiative("Routing", owner=OWNER)
    i = answer_all(svc, i, {**EVERYTHING, "failure_modes_known": "no"})
    with pytest.raises(GateRefused) as info:
        svc.move(i, "infrastructure")
    assert info.value.unmet == ("failure_modes_known",)
    i = answer_all(svc, i, {"failure_modes_known": "yes"})
    result = svc.move(i, "infrastructure")
    assert result.initiative.stage == "infrastructure"
    assert result.check.gates == ("pilot", "validate", "productionize", "infrastructure")
    # The jump passed through Productionize: it has that stage's side effects (the plan).
    assert result.plan_created
    assert svc.store.get(Plan, i.id) is not None


def test_infrastructure_gate_readiness_13_vs_14(svc: Service) -> None:
    items = [it.id for it in method.ITEMS]
    base = {
        **{e.id: "yes" for e in method.exit_conditions_for("productionize")},
        **{t.id: "yes" for t in method.TESTS},
    }
    i = placed(svc, "Routing", "productionize", owner=OWNER)
    i = answer_all(svc, i, {**base, **dict.fromkeys(items[:13], "yes")})
    with pytest.raises(GateRefused) as info:
        svc.move(i, "infrastructure")
    assert info.value.unmet == ("readiness",)
    assert "Readiness score of at least 14/20" in info.value.message
    i = answer_all(svc, i, {items[13]: "yes"})
    assert svc.move(i, "infrastructure").initiative.stage == "infrastructure"


def test_an_unforced_move_clears_the_forced_marker(svc: Service) -> None:
    i = svc.create_initiative("Routing")
    i = svc.move(i, "pilot", force=True, reason="demo").initiative
    assert i.forced
    i = svc.move(i, "experiment", reason="not ready after all").initiative
    assert not i.forced and i.move_reason == "not ready after all"


def test_force_on_an_open_gate_is_not_recorded_as_forced(svc: Service) -> None:
    i = answer_all(svc, svc.create_initiative("R"), {"scoped": "yes", "team_assigned": "yes"})
    result = svc.move(i, "pilot", force=True, reason="just in case")
    assert not result.forced and not result.initiative.forced


def test_move_to_unknown_stage(svc: Service) -> None:
    i = svc.create_initiative("Routing")
    with pytest.raises(BadInput, match="unknown stage 'done'"):
        svc.move(i, "done")


def test_move_with_a_stale_model_is_refused(svc: Service) -> None:
    i = svc.create_initiative("Routing")
    svc.edit_initiative(i, owner="Lars")
    with pytest.raises(StaleRevision):
        svc.move(i, "pilot", force=True, reason="x")
    with pytest.raises(StaleRevision):
        svc.kill(i, "x")
    assert svc.initiative(i.id).stage == "experiment"


# Entering productionize: plan and budget warning ---------------------------------------------

READY_FOR_PRODUCTIONIZE = {
    **{
        e.id: "yes"
        for s in ("experiment", "pilot", "validate")
        for e in method.exit_conditions_for(s)
    },
    **{s.id: "yes" for s in method.REAL_SIGNALS},
}


@pytest.mark.parametrize(
    ("integration", "warned"), [(120_000, False), (119_999, True), (0, True), (500_000, False)]
)
def test_budget_warning_on_entering_productionize(
    svc: Service, integration: float, warned: bool
) -> None:
    i = placed(svc, "Routing", "validate", pilot_budget=40_000, integration_budget=integration)
    i = svc.edit_initiative(i, owner=OWNER)
    i = answer_all(svc, i, READY_FOR_PRODUCTIONIZE)
    result = svc.move(i, "productionize")
    assert bool(result.warnings) == warned
    if warned:
        assert "under 3x the pilot budget" in result.warnings[0]
    assert result.plan_created


def test_a_plan_made_beforehand_is_kept_on_the_first_entry(svc: Service) -> None:
    i = answer_all(svc, placed(svc, "R", "validate", owner=OWNER), READY_FOR_PRODUCTIONIZE)
    svc.generate_plan(i)
    result = svc.move(svc.initiative(i.id), "productionize")
    assert not result.plan_created
    assert len(svc.store.all(PlanTask, "initiative_id = ?", (i.id,))) == 15
    assert svc.store.all(Plan, "archived_on IS NOT NULL") == []


# Kill and revive -----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_kill_needs_a_reason(svc: Service, reason: str) -> None:
    i = placed(svc, "Routing", "pilot")
    with pytest.raises(BadInput, match=r"Killing Routing needs a reason\."):
        svc.kill(i, reason)
    assert svc.initiative(i.id).stage == "pilot"


def test_kill_records_the_reason(svc: Service) -> None:
    i = placed(svc, "Routing", "validate")
    killed = svc.kill(i, "  no owner after the pilot  ").initiative
    assert (killed.stage, killed.kill_reason) == ("killed", "no owner after the pilot")
    with pytest.raises(BadInput, match="already killed"):
        svc.kill(killed, "again")


def test_revive_goes_back_to_experiment(svc: Service) -> None:
    i = svc.kill(placed(svc, "Routing", "pilot"), "paused").initiative
    back = svc.revive(i).initiative
    assert (back.stage, back.kill_reason, back.stage_entered_at) == ("experiment", "", TODAY)


def test_revive_into_a_chosen_stage_passes_its_gates(svc: Service) -> None:
    i = svc.kill(placed(svc, "Routing", "pilot"), "paused").initiative
    with pytest.raises(GateRefused) as info:
        svc.revive(i, "validate")
    unmet = ("scoped", "team_assigned", "accuracy_on_real_data", "business_case_reviewed")
    assert info.value.unmet == unmet
    i = answer_all(svc, svc.initiative(i.id), {"scoped": "yes", "team_assigned": "yes"})
    with pytest.raises(GateRefused):
        svc.revive(i, "validate")
    assert svc.revive(i, "pilot").initiative.stage == "pilot"


def test_revive_forced_needs_a_reason(svc: Service) -> None:
    i = svc.kill(svc.create_initiative("Routing"), "paused").initiative
    with pytest.raises(BadInput, match="needs a reason"):
        svc.revive(i, "validate", force=True)
    back = svc.revive(i, "validate", force=True, reason="board asked").initiative
    assert back.stage == "validate" and back.forced_reason == "board asked"


def test_revive_refusals(svc: Service) -> None:
    alive = svc.create_initiative("Routing")
    with pytest.raises(BadInput, match="is not killed"):
        svc.revive(alive)
    dead = svc.kill(alive, "x").initiative
    with pytest.raises(BadInput, match="cannot revive into 'killed'"):
        svc.revive(dead, "killed")
    svc.edit_initiative(dead, owner="someone")
    with pytest.raises(StaleRevision):
        svc.revive(dead)


def test_move_out_of_killed_is_a_revive(svc: Service) -> None:
    i = svc.kill(svc.create_initiative("Routing"), "x").initiative
    with pytest.raises(GateRefused):
        svc.move(i, "pilot")
    assert svc.move(i, "experiment").initiative.stage == "experiment"


# REF resolution ------------------------------------------------------------------------------


def add_with_id(svc: Service, ident: str, name: str) -> Initiative:
    with svc.store.transaction("maya") as tx:
        return tx.insert(
            Initiative(id=ident, name=name, stage_entered_at=TODAY, created_at=T0, updated_at=T0)
        )


def test_resolve(svc: Service) -> None:
    a = add_with_id(svc, "abcd1234-0000-4000-8000-000000000001", "Dispatch routing")
    b = add_with_id(svc, "abcd9999-0000-4000-8000-000000000002", "Contract review")
    assert svc.resolve(a.id) == a
    assert svc.resolve(a.id.upper()) == a
    assert svc.resolve("abcd1") == a
    assert svc.resolve("ABCD9") == b
    assert svc.resolve("  dispatch ROUTING ") == a
    with pytest.raises(BadInput) as info:
        svc.resolve("abcd")
    assert info.value.message == (
        "'abcd' matches several initiatives: abcd1234 Dispatch routing; abcd9999 Contract review."
    )
    with pytest.raises(BadInput, match=r"no initiative matches 'abc' \(id prefixes need at least"):
        svc.resolve("abc")
    with pytest.raises(BadInput, match="no initiative matches 'dispatch'"):
        svc.resolve("dispatch")  # names match exactly, not by prefix
    with pytest.raises(BadInput, match="give an initiative"):
        svc.resolve("  ")


def test_resolve_same_name_twice_is_ambiguous(svc: Service) -> None:
    svc.create_initiative("Twin")
    svc.create_initiative("twin")
    with pytest.raises(BadInput, match="'TWIN' matches several initiatives"):
        svc.resolve("TWIN")


def test_resolve_skips_tombstones(svc: Service) -> None:
    a = add_with_id(svc, "abcd1234-0000-4000-8000-000000000001", "Gone")
    with svc.store.transaction("maya") as tx:
        tx.delete(a)
    with pytest.raises(BadInput, match="no initiative matches"):
        svc.resolve("Gone")


def test_ordered_ids_follow_board_order_without_models(service: Service) -> None:
    """The checklist and plan walk board order by id; it must match `ordered()` exactly,
    killed initiatives included and deleted ones left out."""
    expected = [i.id for i in service.ordered()]
    assert service.ordered_ids() == expected
    assert len(expected) == 13
    victim = service.resolve("Warehouse slotting")
    with service._tx() as tx:
        tx.delete(victim)
    assert victim.id not in service.ordered_ids()
    assert service.ordered_ids() == [i.id for i in service.ordered()]
