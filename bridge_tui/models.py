"""Frozen pydantic models: the shapes that travel between store, service, scoring and screens.

They validate every field a person can type, so a form or the CLI gets one clear error before
anything is written. Replace, never mutate: `model_copy(update=...)` makes the next version.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bridge_tui import method

AnswerValue = Literal["yes", "no", "unknown"]
ANSWER_VALUES: tuple[AnswerValue, ...] = ("yes", "no", "unknown")
Decision = Literal["keep", "promote", "kill", "defer"]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]


def new_id() -> str:
    return str(uuid.uuid4())


def answer_id(initiative_id: str, key: str) -> str:
    """Answers get a stable id from (initiative, key) so two copies of a file agree on it."""
    return str(uuid.uuid5(uuid.UUID(initiative_id), key))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class _Entity(_Frozen):
    id: str = Field(default_factory=new_id)
    revision: int = 0
    deleted: bool = False

    @field_validator("id")
    @classmethod
    def _uuid(cls, v: str) -> str:
        return str(uuid.UUID(v))


class Initiative(_Entity):
    name: str = Field(min_length=1, max_length=120)
    summary: str = Field(default="", max_length=4000)
    stage: str = "experiment"
    owner: str = Field(default="", max_length=120)
    owner_is_operational: bool = False
    team: str = Field(default="", max_length=120)
    pilot_budget: Money = 0
    integration_budget: Money = 0
    maintenance_budget: Money = 0
    blockers: tuple[str, ...] = ()
    stage_entered_at: date
    created_at: datetime
    updated_at: datetime
    last_review_at: date | None = None
    kill_reason: str = ""
    #: Reason given for the last forced move; empty when the last move passed its gate.
    forced_reason: str = ""
    #: Reason given for the last backward move, forced move, kill or revive.
    move_reason: str = ""

    @field_validator("stage")
    @classmethod
    def _stage(cls, v: str) -> str:
        if v not in method.STAGE_IDS:
            raise ValueError(f"unknown stage '{v}' (use one of: {', '.join(method.STAGE_IDS)})")
        return v

    @field_validator("blockers")
    @classmethod
    def _blockers(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [b for b in v if b not in method.BLOCKER_BY_ID]
        if unknown:
            raise ValueError(
                f"unknown blocker '{unknown[0]}' (use: {', '.join(method.BLOCKER_IDS)})"
            )
        # Keep the method's order and drop repeats, so equal sets compare equal.
        return tuple(b for b in method.BLOCKER_IDS if b in v)

    @property
    def forced(self) -> bool:
        return bool(self.forced_reason)

    @property
    def short_id(self) -> str:
        return self.id[:8]


class Answer(_Entity):
    initiative_id: str
    key: str
    value: AnswerValue = "unknown"
    note: str = Field(default="", max_length=4000)
    by: str = ""
    at: datetime | None = None

    @field_validator("key")
    @classmethod
    def _key(cls, v: str) -> str:
        if v not in method.ANSWER_KEY_SET:
            raise ValueError(f"unknown answer key '{v}'")
        return v


class Plan(_Entity):
    """One 90-day plan per initiative; its id is the initiative's id."""

    initiative_id: str
    start_date: date


class PlanTask(_Entity):
    initiative_id: str
    month: int = Field(ge=1, le=3)
    title: str = Field(min_length=1, max_length=200)
    owner: str = Field(default="", max_length=120)
    due: date | None = None
    done: bool = False
    done_by: str = ""
    done_at: datetime | None = None
    notes: str = Field(default="", max_length=4000)
    position: float = 0


class MetricReading(_Entity):
    initiative_id: str
    name: str = Field(min_length=1, max_length=120)
    value: float = Field(allow_inf_nan=False)
    target: float | None = Field(default=None, allow_inf_nan=False)
    unit: str = Field(default="", max_length=40)
    at: date


class Review(_Entity):
    initiative_id: str
    session_id: str = ""
    date: date
    reviewer: str = ""
    decision: Decision
    note: str = Field(default="", max_length=4000)


class ReviewSession(_Entity):
    started_at: datetime
    by: str = ""
    finished_at: datetime | None = None
    #: Initiative ids in the order the session walks them, fixed when it starts.
    order: tuple[str, ...] = ()


class Change(_Frozen):
    """One field of one entity changed: a row of the change log."""

    change_id: str
    tx: str
    entity: str
    entity_id: str
    field: str
    old: object = None
    new: object = None
    author: str
    hlc: str

    @property
    def at(self) -> datetime:
        from bridge_tui.hlc import hlc_time

        return hlc_time(self.hlc)


def validation_message(err: ValidationError) -> str:
    """Turn pydantic's report into one sentence a person can act on."""
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first.get("loc", ()))
    msg = str(first.get("msg", "is invalid"))
    msg = msg.removeprefix("Value error, ")
    field = loc.replace("_", " ") if loc else "input"
    return f"{field}: {msg}."


def field_errors(err: ValidationError) -> dict[str, str]:
    """Errors per field, for forms that show the message beside the field."""
    out: dict[str, str] = {}
    for e in err.errors():
        loc = e.get("loc", ())
        key = str(loc[0]) if loc else ""
        out.setdefault(key, str(e.get("msg", "is invalid")).removeprefix("Value error, "))
    return out
