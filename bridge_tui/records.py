"""An initiative as a one-shot read sees it, without pydantic.

`models.Initiative` validates everything a person types, and building its validator costs more
than a whole `bridge score` should (importing pydantic alone is twice `import click`). A command
that only reads one initiative, scores it and exits reads it as an `InitiativeRecord` instead:
the same fields, the same values, no validation of its own. The store builds one only from a
row the model would read back unchanged (`store.plain`), and hands the row to the model
otherwise, so a damaged or doctored file still gets the model's one clear sentence.

`InitiativeFacts` is what scoring reads from an initiative: the model and the record both fit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol


class InitiativeFacts(Protocol):
    """The fields of an initiative that scoring and the sustain rules read (read-only)."""

    @property
    def id(self) -> str: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def name(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def owner_is_operational(self) -> bool: ...
    @property
    def pilot_builder(self) -> str: ...
    @property
    def team(self) -> str: ...
    @property
    def pilot_budget(self) -> float: ...
    @property
    def integration_budget(self) -> float: ...
    @property
    def maintenance_budget(self) -> float: ...
    @property
    def blockers(self) -> tuple[str, ...]: ...
    @property
    def stage_entered_at(self) -> date: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def last_review_at(self) -> date | None: ...
    @property
    def kill_reason(self) -> str: ...
    @property
    def forced_reason(self) -> str: ...
    @property
    def maintenance_committed_until(self) -> date | None: ...
    @property
    def designed_volume(self) -> float | None: ...
    @property
    def volume_metric(self) -> str: ...
    @property
    def builds_on(self) -> str | None: ...


class InitiativeRecord(NamedTuple):
    """Every field of `models.Initiative`, with the values its model would hold (a test
    compares the two, field by field, on the sample and on generated portfolios)."""

    id: str
    revision: int
    deleted: bool
    name: str
    summary: str
    stage: str
    owner: str
    owner_is_operational: bool
    pilot_builder: str
    team: str
    pilot_budget: float
    integration_budget: float
    maintenance_budget: float
    blockers: tuple[str, ...]
    stage_entered_at: date
    created_at: datetime
    updated_at: datetime
    last_review_at: date | None
    kill_reason: str
    forced_reason: str
    move_reason: str
    maintenance_committed_until: date | None
    designed_volume: float | None
    volume_metric: str
    builds_on: str | None

    @property
    def forced(self) -> bool:
        return bool(self.forced_reason)

    @property
    def short_id(self) -> str:
        return self.id[:8]


def as_json(record: InitiativeRecord) -> dict[str, object]:
    """The record as `model_dump(mode="json")` writes its model (`bridge list --json`): dates
    and times in ISO form, a time at UTC ending in Z, the blockers as a list (a test compares
    the two on every row it reads)."""
    out: dict[str, object] = {}
    for name in InitiativeRecord._fields:
        value = getattr(record, name)
        if isinstance(value, datetime):
            text = value.isoformat()
            value = text[:-6] + "Z" if value.utcoffset() == timedelta(0) else text
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out
