"""What the pure scoring and method-rule tests build on: Dispatch routing as an Initiative in
any stage, and answer sets that meet the gates (every key answered "yes")."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bridge_tui import method
from bridge_tui.models import Initiative

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def dispatch_routing(stage: str, entered: date, **kw: Any) -> Initiative:
    """The initiative, in `stage` since `entered`, created and updated at NOW."""
    return Initiative(
        name="Dispatch routing",
        stage=stage,
        stage_entered_at=entered,
        created_at=NOW,
        updated_at=NOW,
        **kw,
    )


def yes(*keys: str) -> dict[str, str]:
    return dict.fromkeys(keys, "yes")


def exits(*stages: str) -> dict[str, str]:
    """Every exit condition of these stages met."""
    return yes(*(e.id for s in stages for e in method.exit_conditions_for(s)))


REAL = yes(*(s.id for s in method.REAL_SIGNALS))
TESTS = yes(*(t.id for t in method.TESTS))
ITEMS = yes(*(i.id for i in method.ITEMS))
#: Everything every gate asks for.
EVERYTHING = {**exits(*method.FLOW), **REAL, **TESTS, **ITEMS}
