"""Frozen pydantic models: the shapes that travel between store, service, scoring and screens.

They validate every field a person can type, so a form or the CLI gets one clear error before
anything is written. Replace, never mutate: `model_copy(update=...)` makes the next version.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from bridge_tui import method
from bridge_tui.text import control_problem

if TYPE_CHECKING:  # scoring imports this module; the review item only names its types
    from bridge_tui import scoring
    from bridge_tui.records import InitiativeRecord

AnswerValue = method.AnswerValue
ANSWER_VALUES = method.ANSWER_VALUES
Decision = Literal["keep", "promote", "kill", "defer"]
#: a review's decisions, in the order the review offers them
DECISIONS: tuple[Decision, ...] = ("keep", "promote", "kill", "defer")
DECISION_LABEL: dict[str, str] = {
    "keep": "Keep",
    "promote": "Promote",
    "kill": "Kill",
    "defer": "Defer",
}
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Volume = Annotated[float, Field(gt=0, allow_inf_nan=False)]


#: Validation context for rows read back from a file: an old or foreign file may hold control
#: characters; they are kept as they are (and stripped on output), never refused on reading.
FROM_FILE: dict[str, Any] = {"from_file": True}


def keeping(stored: BaseModel) -> dict[str, Any]:
    """Validation context for saving changes onto `stored`: a value it already holds passes as
    it is (an old file's text is not refused because another field changed); new text is checked.
    """
    return {"stored": stored.model_dump()}


def _checked_text(value: str, info: ValidationInfo, *, multiline: bool) -> str:
    """Refuse control characters (line breaks and tabs too unless `multiline`): text typed into
    bridge is data, and a terminal or report showing it must not obey it."""
    ctx = info.context or {}
    if ctx.get("from_file"):
        return value  # read back from a file: kept as it is (outputs strip what must go)
    problem = control_problem(value, multiline=multiline)
    if problem is None:
        return value
    stored = ctx.get("stored")
    if isinstance(stored, Mapping) and info.field_name and stored.get(info.field_name) == value:
        return value
    raise ValueError(problem)


def _text_fields(*fields: str, multiline: bool) -> Any:
    """The validator that checks `fields` with `_checked_text`. One-line fields are names,
    shown on one line everywhere (cards, lists, reports): no line breaks or tabs."""

    def check(cls: type[BaseModel], v: str, info: ValidationInfo) -> str:
        return _checked_text(v, info, multiline=multiline)

    return field_validator(*fields)(check)


#: a UUID as `str(uuid.UUID(...))` writes it (every id bridge makes)
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def canonical_uuid(text: str) -> str:
    """`text` as a UUID in its canonical form; raises ValueError when it is not one. Text
    already canonical is returned as it is, without parsing (10,000 ids read on every load)."""
    if _CANONICAL_UUID.fullmatch(text):
        return text
    return str(uuid.UUID(text))


def new_id() -> str:
    return str(uuid.uuid4())


def answer_id(initiative_id: str, key: str) -> str:
    """Answers get a stable id from (initiative, key) so two copies of a file agree on it."""
    return str(uuid.uuid5(uuid.UUID(initiative_id), key))


class _Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )


class _Entity(_Frozen):
    #: Fields that only stamp who/when a change was made; the change log already records both,
    #: so updating them writes no log entry of its own (one user change = one log entry).
    STAMP_FIELDS: ClassVar[frozenset[str]] = frozenset()

    id: str = Field(default_factory=new_id)
    revision: int = 0
    deleted: bool = False

    @field_validator("id")
    @classmethod
    def _uuid(cls, v: str) -> str:
        return canonical_uuid(v)


class Initiative(_Entity):
    STAMP_FIELDS: ClassVar[frozenset[str]] = frozenset({"updated_at"})

    name: str = Field(min_length=1, max_length=120)
    summary: str = Field(default="", max_length=4000)
    stage: str = "experiment"
    owner: str = Field(default="", max_length=120)
    owner_is_operational: bool = False
    #: who built the pilot: the owner of infrastructure must be someone else (seed 1, "Owned")
    pilot_builder: str = Field(default="", max_length=120)
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
    #: Reason given when it was forced past a gate; kept while the gates into its stage are
    #: unmet (`scoring.forced_mark` decides whether the mark shows).
    forced_reason: str = ""
    #: Reason given for the last backward move, forced move, kill or revive.
    move_reason: str = ""
    #: Last day the maintenance budget is committed for (None: no end date recorded).
    maintenance_committed_until: date | None = None
    #: The volume the system was designed for, in the unit of its volume metric (None: unknown).
    designed_volume: Volume | None = None
    #: Name of the metric whose readings are its volume ("": the method's default name).
    volume_metric: str = Field(default="", max_length=120)
    #: Id of the Infrastructure initiative this one extends (None: it stands on its own).
    builds_on: str | None = None

    @field_validator("builds_on")
    @classmethod
    def _builds_on(cls, v: str | None) -> str | None:
        if v is None or v == "":
            return None
        try:
            return canonical_uuid(v)
        except ValueError:
            raise ValueError(f"must be an initiative id, not {v!r}") from None

    _one_line = _text_fields(
        "name", "owner", "team", "pilot_builder", "volume_metric", multiline=False
    )
    _text = _text_fields("summary", "kill_reason", "forced_reason", "move_reason", multiline=True)

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
    STAMP_FIELDS: ClassVar[frozenset[str]] = frozenset({"by", "at"})

    initiative_id: str
    key: str
    value: AnswerValue = "unknown"
    note: str = Field(default="", max_length=4000)
    by: str = ""
    at: datetime | None = None

    _one_line = _text_fields("by", multiline=False)
    _text = _text_fields("note", multiline=True)

    @field_validator("key")
    @classmethod
    def _key(cls, v: str) -> str:
        if v not in method.ANSWER_KEY_SET:
            raise ValueError(f"unknown answer key '{v}'")
        return v


class Plan(_Entity):
    """An initiative's 90-day plan. The current plan's id is the initiative's id; entering
    Productionize again archives it under a new id (`archived_on` set, its tasks moved to it
    through their `plan_id`) and the current plan starts afresh."""

    initiative_id: str
    start_date: date
    #: the day a fresh plan replaced this one; None for the current plan
    archived_on: date | None = None

    @property
    def archived(self) -> bool:
        return self.archived_on is not None


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
    #: "" for a task of the initiative's current plan; an archived plan's id otherwise
    plan_id: str = ""

    _one_line = _text_fields("title", "owner", "done_by", multiline=False)
    _text = _text_fields("notes", multiline=True)


class TaskFacts(NamedTuple):
    """What plan scoring reads of a task (`scoring.plan.PlanTaskLike`), read straight from
    its row for a whole portfolio's plan statuses (`Store.plan_facts`)."""

    id: str
    month: int
    done: bool
    due: date | None
    deleted: bool = False


class MetricReading(_Entity):
    initiative_id: str
    name: str = Field(min_length=1, max_length=120)
    value: float = Field(allow_inf_nan=False)
    target: float | None = Field(default=None, allow_inf_nan=False)
    unit: str = Field(default="", max_length=40)
    at: date

    _one_line = _text_fields("name", "unit", multiline=False)


class Review(_Entity):
    initiative_id: str
    session_id: str = ""
    date: date
    reviewer: str = ""
    decision: Decision
    note: str = Field(default="", max_length=4000)
    #: a promotion forced past its gate: the reason given (the minutes say so)
    forced_reason: str = Field(default="", max_length=4000)

    _one_line = _text_fields("reviewer", multiline=False)
    _text = _text_fields("note", multiline=True)


class ReviewSession(_Entity):
    started_at: datetime
    by: str = ""
    finished_at: datetime | None = None
    #: Initiative ids in the order the session walks them, fixed when it starts.
    order: tuple[str, ...] = ()

    _one_line = _text_fields("by", multiline=False)


def initiative_of(shown: Initiative | InitiativeRecord) -> Initiative:
    """The model of an initiative the board shows: itself, or the model of a record the
    board's first read made without the models (`service.start`). A record holds exactly the
    values its row validated to (`store.plain`), so it is made without validating again, and
    keeps the revision the user saw: a save from it is checked against that revision."""
    if isinstance(shown, Initiative):
        return shown
    return Initiative.model_construct(**{f: getattr(shown, f) for f in Initiative.model_fields})


def build_validators() -> None:
    """Build every model's validator now (they are deferred until first use): the app does
    it in a thread once its board has painted, so that neither the first paint nor the first
    save waits for it. Building one twice is harmless."""
    models = (Initiative, Answer, Plan, PlanTask, MetricReading, Review, ReviewSession, Change)
    for model in models:
        if not model.__pydantic_complete__:
            model.model_rebuild(force=True)


@dataclass(frozen=True)
class ReviewDetails:
    """What the review's card shows of one initiative besides its name and its decision."""

    card: scoring.Card
    blocks: tuple[str, ...]
    kill_reasons: tuple[str, ...]
    plan: str
    metrics: tuple[scoring.MetricSeries, ...] = ()


class ReviewItem:
    """What the review shows about one initiative: the essentials for a decision.

    The initiative and its decision are there for every item of a session: the agenda lists
    them all. The rest (`ReviewDetails`) is worked out from what was read, without reading
    the file, the first time it is asked for: a review of 10,000 initiatives shows one card at
    a time, and working out every card as it opened took over a second."""

    __slots__ = ("_details", "_work_out", "decision", "initiative")

    def __init__(
        self,
        initiative: Initiative,
        decision: Review | None,
        details: ReviewDetails | Callable[[], ReviewDetails],
    ) -> None:
        self.initiative = initiative
        self.decision = decision
        self._details = details if isinstance(details, ReviewDetails) else None
        self._work_out = None if isinstance(details, ReviewDetails) else details

    @property
    def details(self) -> ReviewDetails:
        if self._details is None:
            assert self._work_out is not None
            self._details, self._work_out = self._work_out(), None
        return self._details

    @property
    def card(self) -> scoring.Card:
        return self.details.card

    @property
    def blocks(self) -> tuple[str, ...]:
        return self.details.blocks

    @property
    def kill_reasons(self) -> tuple[str, ...]:
        return self.details.kill_reasons

    @property
    def plan(self) -> str:
        return self.details.plan

    @property
    def metrics(self) -> tuple[scoring.MetricSeries, ...]:
        return self.details.metrics

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReviewItem):
            return NotImplemented
        return (self.initiative, self.decision, self.details) == (
            other.initiative,
            other.decision,
            other.details,
        )

    __hash__ = None  # type: ignore[assignment]  # compared by value, as the dataclass was

    def __repr__(self) -> str:
        return f"ReviewItem({self.initiative.name!r}, decision={self.decision!r})"


@dataclass(frozen=True)
class ReviewSummary:
    session: ReviewSession
    #: (initiative, its review in this session or None), in the session's order
    rows: tuple[tuple[Initiative, Review | None], ...]

    @property
    def decided(self) -> int:
        return sum(1 for _, r in self.rows if r is not None)

    @property
    def pending(self) -> int:
        return len(self.rows) - self.decided

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = dict.fromkeys(DECISIONS, 0)
        for _, r in self.rows:
            if r is not None:
                out[r.decision] += 1
        return out


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


def _number(v: object) -> str:
    """12.0 -> "12", 0.5 -> "0.5": bounds read the way a person typed them."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _plain(error: Mapping[str, Any]) -> str:
    """One pydantic error in plain words (no "Input should be ..." jargon)."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    given = error.get("input")
    shown = (
        f", not {given!r}"
        if isinstance(given, str)
        else f", not {_number(given)}"
        if isinstance(given, int | float) and not isinstance(given, bool)
        else ""
    )
    msg = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "cannot be blank" if n == 1 else f"needs at least {n} characters"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": "{} or more",
            "greater_than": "more than {}",
            "less_than_equal": "{} or less",
            "less_than": "less than {}",
        }[kind]
        bound = next(iter(ctx.values()), "")
        return f"must be {words.format(_number(bound))}{shown}"
    if kind == "finite_number":
        return "must be a finite number"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        return f"must be a number{shown}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"must be a date like 2026-11-22{shown}"
    if kind.startswith("bool"):
        return f"must be yes or no{shown}"
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the allowed values')}{shown}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field bridge knows"
    if kind.startswith("string_") or kind == "string_type":
        return "must be text"
    return msg[:1].lower() + msg[1:] if msg[:2] != msg[:2].upper() else msg


def _field_label(loc: tuple[Any, ...]) -> str:
    names = [str(p) for p in loc if not isinstance(p, int)]
    return " ".join(names).replace("_", " ") if names else "input"


def validation_message(err: ValidationError) -> str:
    """Turn pydantic's report into one sentence a person can act on: "pilot budget: must be 0
    or more, not -5." Only the first error is shown; a form shows the rest beside each field."""
    first = err.errors()[0]
    text = _plain(first).rstrip(".")
    return f"{_field_label(tuple(first.get('loc', ())))}: {text}."


def field_errors(err: ValidationError) -> dict[str, str]:
    """Errors per field, for forms that show the message beside the field."""
    out: dict[str, str] = {}
    for e in err.errors():
        loc = e.get("loc", ())
        key = str(loc[0]) if loc else ""
        out.setdefault(key, _plain(e))
    return out


#: what a person chooses when a save meets a teammate's newer one
ConflictChoice = Literal["theirs", "mine", "back"]


@dataclass(frozen=True)
class ConflictRow:
    """One field as the panel shows it."""

    label: str
    #: their value now, and who saved it when ("kai at 14:30"); None: they did not change it
    theirs: str | None
    by: str
    #: the value in the form; None when the form has no such field
    yours: str | None
    #: True when the user changed this field in the form
    yours_changed: bool
