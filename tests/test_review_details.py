"""A review's items carry each initiative and its decision; the rest of what its card shows is
worked out when it is first shown (issue 13: working out every card of 10,000 as the review
opened took over a second). What is worked out later is what it would have been then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridge_tui import scoring
from bridge_tui.models import ReviewDetails
from bridge_tui.service import Service
from bridge_tui.tui.screens.review import ReviewScreen
from tests.tui.helpers import pressed, sample_app


def count_cards(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The initiative of every card worked out from a kept score."""
    made: list[str] = []
    real = scoring.StoredScore.card

    def spy(self: scoring.StoredScore, initiative: Any, *args: Any, **kw: Any) -> Any:
        made.append(initiative.name)
        return real(self, initiative, *args, **kw)

    monkeypatch.setattr(scoring.StoredScore, "card", spy)
    return made


def test_the_items_work_out_a_card_only_when_asked(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = service.start_review()
    made = count_cards(monkeypatch)
    items = service.review_items(session)
    assert len(items) > 5 and made == []
    first = items[0]
    details = first.details
    assert made == [first.initiative.name]
    assert first.details is details  # worked out once
    assert isinstance(details, ReviewDetails)
    assert first.card is details.card and first.plan == details.plan
    # what it shows equals the narrow read of that one initiative, made now
    assert service.review_item(session, first.initiative.id) == first


async def test_opening_the_review_works_out_the_card_it_shows(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = count_cards(monkeypatch)
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        made.clear()
        screen = await pressed(pilot, "r", ReviewScreen)
        assert len(screen.items) > 5
        shown = screen.items[0].initiative.name
        assert set(made) == {shown}  # the agenda lists every name; one card is worked out
        await pilot.press("right")
        await pilot.pause()
        assert set(made) == {shown, screen.items[1].initiative.name}
