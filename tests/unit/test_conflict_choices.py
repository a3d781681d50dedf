"""What take theirs / keep mine / back to editing do to a form's fields (pure, no app)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bridge_tui.models import Initiative
from bridge_tui.service.conflicts import FieldChange, StaleChanges, conflict_rows, settle
from bridge_tui.tui.widgets.conflict_panel import conflict_text

NOW = datetime(2026, 11, 22, 14, 30, tzinfo=UTC)
CURRENT = Initiative(
    name="Route optimisation",
    owner="Carol Chen",
    team="Carol's desk",
    stage_entered_at=date(2026, 1, 1),
    created_at=NOW,
    updated_at=NOW,
)


def _change(field: str, theirs: str, was: str) -> FieldChange:
    return FieldChange(field, field.capitalize(), theirs, was, theirs, was, "carol", "14:30")


CONFLICT = StaleChanges(
    "initiative",
    CURRENT,
    (_change("owner", "Carol Chen", "Lars"), _change("team", "Carol's desk", "Ops")),
)
#: the form: I changed team and summary, not owner
FORM = {"name": "Route optimisation", "owner": "Lars", "team": "My desk", "summary": "Mine"}
MINE = {"team": "My desk", "summary": "Mine"}


def test_back_to_editing_loads_theirs_only_where_i_did_not_type() -> None:
    loads, save = settle("back", CONFLICT, FORM, MINE)
    assert loads == {"owner": "Carol Chen"}
    assert save is None  # nothing is written


def test_keep_mine_saves_exactly_my_fields() -> None:
    loads, save = settle("mine", CONFLICT, FORM, MINE)
    assert loads == {"owner": "Carol Chen"}
    assert save == {"team": "My desk", "summary": "Mine"}


def test_take_theirs_drops_my_edit_of_a_field_they_changed() -> None:
    loads, save = settle("theirs", CONFLICT, FORM, MINE)
    assert loads == {"owner": "Carol Chen", "team": "Carol's desk"}
    assert save == {"summary": "Mine"}


def test_rows_show_theirs_who_when_and_mine_as_plain_text() -> None:
    rows = conflict_rows(CONFLICT, FORM, MINE)
    assert [(r.label, r.theirs, r.yours, r.yours_changed) for r in rows] == [
        ("Owner", "Carol Chen", "Lars", False),
        ("Team", "Carol's desk", "My desk", True),
        ("Summary", None, "Mine", True),
    ]
    assert rows[0].by == "carol at 14:30"
    hostile = StaleChanges("initiative", CURRENT, (_change("owner", "[/]", "[@click=app.quit]x"),))
    text = conflict_text("s", conflict_rows(hostile, {"owner": "[b]"}, {}), [])
    assert "“[/]”" in text.plain and "“[b]”" in text.plain  # shown as typed, never markup
