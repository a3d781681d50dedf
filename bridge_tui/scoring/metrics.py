"""Metric readings as series, and what they say as evidence for the scale verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bridge_tui import method

if TYPE_CHECKING:
    from bridge_tui.models import MetricReading

STABLE_READINGS = method.STABLE_READINGS
ADOPTION_FLOOR = method.ADOPTION_FLOOR


@dataclass(frozen=True)
class MetricSeries:
    name: str
    unit: str
    target: float | None
    #: (date, value), oldest first
    points: tuple[tuple[date, float], ...]

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(v for _, v in self.points)

    @property
    def latest(self) -> float | None:
        return self.points[-1][1] if self.points else None

    @property
    def is_adoption(self) -> bool:
        return "adoption" in self.name.casefold()

    def _percent(self, v: float) -> float:
        """Adoption given as a fraction (0..1) is read as a share."""
        return v * 100 if self.unit.strip() != "%" and 0 <= v <= 1 else v

    @property
    def stable_at_target(self) -> bool:
        """The last four readings are all at or above a target: data behind stable_performance."""
        if self.target is None or len(self.points) < method.STABLE_READINGS:
            return False
        return all(v >= self.target for v in self.values[-method.STABLE_READINGS :])

    @property
    def adoption_stalled(self) -> bool:
        """An adoption metric whose recent readings (two or more) all stay under 30 percent."""
        if not self.is_adoption or len(self.points) < 2:
            return False
        recent = self.values[-method.STABLE_READINGS :]
        return all(self._percent(v) < method.ADOPTION_FLOOR for v in recent)


def metric_series(readings: Iterable[MetricReading]) -> list[MetricSeries]:
    """Readings grouped per metric name (name order), each oldest first; the latest target
    and unit stand for the series."""
    groups: dict[str, list[MetricReading]] = {}
    for r in readings:
        if not r.deleted:
            groups.setdefault(r.name, []).append(r)
    out = []
    for name in sorted(groups, key=str.casefold):
        rs = sorted(groups[name], key=lambda r: (r.at, r.id))
        out.append(
            MetricSeries(
                name=name,
                unit=rs[-1].unit,
                target=rs[-1].target,
                points=tuple((r.at, r.value) for r in rs),
            )
        )
    return out


@dataclass(frozen=True)
class MetricEvidence:
    #: names of metrics whose last four readings are at or above target
    stable: tuple[str, ...]
    #: names of adoption metrics stuck under 30 percent
    stalled_adoption: tuple[str, ...]

    @property
    def supports_stable_performance(self) -> bool:
        return bool(self.stable)


def metric_evidence(series: Iterable[MetricSeries]) -> MetricEvidence:
    s = list(series)
    return MetricEvidence(
        stable=tuple(m.name for m in s if m.stable_at_target),
        stalled_adoption=tuple(m.name for m in s if m.adoption_stalled),
    )
