"""Frozen pydantic models: every field a person can type is validated, errors read as a sentence."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from bridge_tui import method
from bridge_tui.models import (
    Answer,
    Initiative,
    PlanTask,
    answer_id,
    field_errors,
    validation_message,
)
from tests.conftest import initiative as make


def message(**kw: Any) -> str:
    with pytest.raises(ValidationError) as info:
        make(**kw)
    return validation_message(info.value)


def test_defaults() -> None:
    i = make()
    assert i.stage == "experiment"
    assert i.revision == 0 and not i.deleted
    assert i.blockers == ()
    assert not i.forced
    assert uuid.UUID(i.id).version == 4
    assert i.short_id == i.id[:8]


def test_models_are_frozen() -> None:
    i = make()
    with pytest.raises(ValidationError):
        i.name = "other"  # type: ignore[misc]
    assert i.model_copy(update={"name": "other"}).name == "other"


def test_unknown_fields_are_refused() -> None:
    assert message(colour="red") == "colour: is not a field bridge knows."


def test_name_is_stripped_and_bounded() -> None:
    assert make(name="  Route  ").name == "Route"
    assert len(make(name="x" * 120).name) == 120
    assert message(name="x" * 121) == "name: is too long (at most 120 characters)."
    assert message(name="") == "name: cannot be blank."
    assert message(name="   ") == "name: cannot be blank."


def test_stage_must_be_known() -> None:
    for stage in method.STAGE_IDS:
        assert make(stage=stage).stage == stage
    assert message(stage="done").startswith("stage: unknown stage 'done' (use one of: experiment")


@pytest.mark.parametrize("field", ["pilot_budget", "integration_budget", "maintenance_budget"])
def test_budgets(field: str) -> None:
    assert getattr(make(**{field: 0}), field) == 0
    assert getattr(make(**{field: 12_500.5}), field) == 12_500.5
    label = field.replace("_", " ")
    assert message(**{field: -5}) == f"{label}: must be 0 or more, not -5."
    assert message(**{field: -0.01}) == f"{label}: must be 0 or more, not -0.01."
    assert message(**{field: float("nan")}) == f"{label}: must be a finite number."
    assert message(**{field: float("inf")}) == f"{label}: must be a finite number."
    assert message(**{field: "lots"}) == f"{label}: must be a number, not 'lots'."


def test_blockers_known_ordered_and_deduplicated() -> None:
    i = make(blockers=["people", "funding", "people"])
    assert i.blockers == ("funding", "people")
    assert message(blockers=["funding", "vibes"]).startswith(
        "blockers: unknown blocker 'vibes' (use: ownership, funding"
    )


def test_dates_and_flags() -> None:
    assert make(last_review_at="2026-10-01").last_review_at == date(2026, 10, 1)
    assert message(last_review_at="01/10/2026") == (
        "last review at: must be a date like 2026-11-22, not '01/10/2026'."
    )
    assert message(owner_is_operational="maybe") == (
        "owner is operational: must be yes or no, not 'maybe'."
    )


def test_id_must_be_a_uuid_and_is_normalised() -> None:
    upper = str(uuid.uuid4()).upper()
    assert make(id=upper).id == upper.lower()
    assert message(id="nope").startswith("id: badly formed")


def test_missing_required_field() -> None:
    with pytest.raises(ValidationError) as info:
        Initiative(name="x")  # type: ignore[call-arg]
    assert validation_message(info.value) == "stage entered at: is required."


def test_forced_marker() -> None:
    assert make(forced_reason="CEO demo").forced
    assert not make(forced_reason="   ").forced


def test_answer_validation() -> None:
    iid = str(uuid.uuid4())
    a = Answer(initiative_id=iid, key="D1", value="yes")
    assert a.value == "yes" and a.note == "" and a.at is None
    with pytest.raises(ValidationError) as info:
        Answer(initiative_id=iid, key="D9", value="yes")
    assert validation_message(info.value) == "key: unknown answer key 'D9'."
    with pytest.raises(ValidationError) as info:
        Answer(initiative_id=iid, key="D1", value="maybe")  # type: ignore[arg-type]
    assert validation_message(info.value) == (
        "value: must be 'yes', 'no' or 'unknown', not 'maybe'."
    )
    for key in method.ANSWER_KEYS:
        assert Answer(initiative_id=iid, key=key).key == key


def test_answer_id_is_stable_per_initiative_and_key() -> None:
    iid = str(uuid.uuid4())
    assert answer_id(iid, "D1") == answer_id(iid, "D1")
    assert answer_id(iid, "D1") != answer_id(iid, "D2")
    assert answer_id(iid, "D1") != answer_id(str(uuid.uuid4()), "D1")
    uuid.UUID(answer_id(iid, "D1"))


def test_plan_task_month_bounds() -> None:
    iid = str(uuid.uuid4())
    assert PlanTask(initiative_id=iid, month=3, title="Roll out").month == 3
    with pytest.raises(ValidationError) as info:
        PlanTask(initiative_id=iid, month=4, title="Roll out")
    assert validation_message(info.value) == "month: must be 3 or less, not 4."
    with pytest.raises(ValidationError) as info:
        PlanTask(initiative_id=iid, month=1, title=" ")
    assert validation_message(info.value) == "title: cannot be blank."


def test_field_errors_one_per_field() -> None:
    with pytest.raises(ValidationError) as info:
        make(name="", pilot_budget=-1, stage="nowhere")
    errors = field_errors(info.value)
    assert errors["name"] == "cannot be blank"
    assert errors["pilot_budget"] == "must be 0 or more, not -1"
    assert errors["stage"].startswith("unknown stage 'nowhere'")


def test_validation_message_is_one_sentence() -> None:
    with pytest.raises(ValidationError) as info:
        make(name="", pilot_budget=-1)
    text = validation_message(info.value)
    assert text.count("\n") == 0
    assert text.endswith(".") and not text.endswith("..")
    assert "Input should" not in text


@pytest.mark.parametrize("field", ["name", "owner", "team"])
def test_names_are_one_line(field: str) -> None:
    assert message(**{field: "Dispatch\nrouting"}) == (
        f"{field}: must be on one line, without tabs or control characters."
    )
    assert message(**{field: "Dispatch\trouting"}).startswith(f"{field}: must be on one line")
    assert getattr(make(**{field: "Tomás Herrera"}), field) == "Tomás Herrera"


def test_summary_may_have_several_lines() -> None:
    assert make(summary="First line.\nSecond line.").summary == "First line.\nSecond line."
