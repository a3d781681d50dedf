"""Pure tests of the card layout: the height the column reserves is the height drawn."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bridge_tui import method, scoring
from bridge_tui.models import Initiative
from bridge_tui.tui.widgets import board_card

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def _initiative(**fields: object) -> Initiative:
    data: dict[str, object] = {
        "name": "Dispatch routing",
        "stage": "pilot",
        "stage_entered_at": TODAY - timedelta(days=10),
        "created_at": NOW,
        "updated_at": NOW,
    }
    data.update(fields)
    return Initiative.model_validate(data)


def _text(line: board_card.Line) -> str:
    return "".join(t for t, _ in line)


def test_fit_cuts_with_an_ellipsis() -> None:
    assert board_card.fit("Dispatch", 20) == "Dispatch"
    assert board_card.fit("Dispatch routing", 8) == "Dispatc…"
    assert board_card.fit("abc", 0) == ""


def test_long_names_keep_their_start_and_end() -> None:
    a = board_card.wrap2("Document extraction: bills of lading", 14)
    b = board_card.wrap2("Document extraction: proof of delivery", 14)
    assert a == ["Document", "…of lading"]
    assert b == ["Document", "…of delivery"]
    assert board_card.wrap2("Document extraction: bills of lading", 20) == [
        "Document extraction:",
        "bills of lading",
    ]


def test_flags_in_order_of_urgency() -> None:
    stuck = _initiative(
        stage="validate",
        stage_entered_at=TODAY - timedelta(days=181),
        forced_reason="steering group",
        blockers=("funding", "people"),
    )
    got = board_card.flags(stuck, TODAY, purgatory_days=181, forced=True)
    assert got == ["purgatory", "forced", "2 blockers"]
    # exactly 180 days is not purgatory yet (more than 180 is)
    fresh = _initiative(stage_entered_at=TODAY - timedelta(days=180))
    assert board_card.flags(fresh, TODAY, purgatory_days=180) == []
    # Pilot then Validate: the flag says the count when it is not the days in the stage
    assert board_card.flags(stuck, TODAY, purgatory_days=450) == [
        "purgatory 450d",
        "2 blockers",
    ]
    overdue = _initiative(
        stage="infrastructure",
        stage_entered_at=TODAY - timedelta(days=200),
        last_review_at=TODAY - timedelta(days=91),
    )
    assert board_card.flags(overdue, TODAY) == ["review overdue"]
    # the sustain flags the screen works out come after "forced", before the blockers
    sustain_flags = ("not optimising", "upkeep short")
    assert board_card.flags(stuck, TODAY, sustain_flags, purgatory_days=181, forced=True) == [
        "purgatory",
        "forced",
        "not optimising",
        "upkeep short",
        "2 blockers",
    ]
    # a killed card does not nag about its blockers
    assert board_card.flags(_initiative(stage="killed", blockers=("funding",)), TODAY) == []


def test_a_card_shows_owner_or_a_warning_score_and_marks() -> None:
    i = _initiative(owner="")
    answers = {"D1": "yes", "embedded": "yes", "owned": "no"}
    rows = board_card.lines(scoring.card(i, answers, TODAY), TODAY, 30)
    texts = [_text(r) for r in rows]
    assert texts[0] == "Dispatch routing"
    assert texts[1] == board_card.NO_OWNER
    assert texts[2] == "1/20 ✓✗··"
    assert rows[2][0][1] == "fail"
    assert texts[3] == "10d"


names = st.text(alphabet=st.sampled_from("abcdefghij klmnop:-éÅ"), min_size=1, max_size=80).filter(
    lambda s: s.strip() != ""
)


@settings(max_examples=200, deadline=None)
@given(
    name=names,
    width=st.integers(min_value=1, max_value=40),
    days=st.integers(min_value=0, max_value=2000),
    stage=st.sampled_from(method.STAGE_IDS),
    blockers=st.lists(st.sampled_from(method.BLOCKER_IDS), max_size=8),
    forced=st.booleans(),
    extra=st.lists(
        st.sampled_from(["not optimising", "metrics stale", "upkeep short", "volume 69.9%"]),
        max_size=4,
        unique=True,
    ),
)
def test_height_matches_what_is_drawn(
    name: str,
    width: int,
    days: int,
    stage: str,
    blockers: list[str],
    forced: bool,
    extra: list[str],
) -> None:
    i = _initiative(
        name=name,
        stage=stage,
        stage_entered_at=TODAY - timedelta(days=days),
        blockers=tuple(blockers),
        forced_reason="x" if forced else "",
    )
    card = scoring.card(i, {}, TODAY)
    rows = board_card.lines(card, TODAY, width, tuple(extra))
    shown = board_card.card_flags(card, TODAY, tuple(extra))
    assert board_card.height(i, TODAY, width, shown) == len(rows) + 1
    for row in rows:
        assert len(_text(row)) <= max(width, 1)
