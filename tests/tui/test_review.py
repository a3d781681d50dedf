"""Pilot tests of the review session: every decision by its key, resume after quitting, minutes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import build_app
from bridge_tui.tui.dialogs.common import ConfirmDialog
from bridge_tui.tui.dialogs.review_decision import ReviewDecisionDialog
from bridge_tui.tui.screens.review import ReviewScreen
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import wait_busy

SIZE = (160, 45)


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


def current_name(screen: ReviewScreen) -> str:
    return screen.items[screen.index].initiative.name


async def open_review(pilot: Any, via: str = "board") -> ReviewScreen:
    if via == "overview":
        await pilot.press("4")
        await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def with_service(db: Path) -> Service:
    return Service(Store.open(db), "prep", FROZEN_TODAY)


def open_one_gate(db: Path) -> tuple[str, list[str]]:
    """Answer the one question that opens proof of delivery's gate, so a plain promotion is
    possible; its name and the review's order."""
    prep = with_service(db)
    pod = prep.resolve("Document extraction: proof of delivery")
    prep.answer(pod, "team_assigned", "yes")
    order = [i.name for i in prep.review_order()]
    prep.store.close()
    return pod.name, order


async def test_full_session_with_each_decision(sample_db: Path) -> None:
    pod_name, order = open_one_gate(sample_db)

    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot, via="overview")
        assert [it.initiative.name for it in screen.items] == order
        assert screen.session is None  # nothing written until the first decision
        assert app.service.open_review() is None

        # 1. kill, with a reason (an empty reason is refused by the dialog)
        assert current_name(screen) == "Customer service assistant"
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDecisionDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDecisionDialog)  # still asking
        await type_text(pilot, "No owner since May")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.session is not None
        killed = app.service.resolve("Customer service assistant")
        assert killed.stage == "killed" and killed.kill_reason == "No owner since May"

        # 2. keep, with a note
        assert current_name(screen) == order[1]
        await pilot.press("k")
        await type_text(pilot, "Review the budget")
        await pilot.press("enter")
        await pilot.pause()

        # 3. promote refused by the gate: cancel first (nothing written), then force
        name = current_name(screen)
        stage_before = app.service.resolve(name).stage
        await pilot.press("p")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReviewDecisionDialog)
        assert "cannot move" in dialog.title_text and dialog.required
        await pilot.press("escape")
        await pilot.pause()
        assert app.service.resolve(name).stage == stage_before
        assert current_name(screen) == name
        await pilot.press("p")
        await type_text(pilot, "Board decision")
        await pilot.press("enter")
        await pilot.pause()
        forced = app.service.resolve(name)
        assert forced.stage != stage_before and forced.forced_reason == "Board decision"

        # 4. defer
        assert current_name(screen) == order[3]
        await pilot.press("d")
        await pilot.press("enter")
        await pilot.pause()

        # walk to the initiative whose gate is open and promote it
        while current_name(screen) != pod_name:
            await pilot.press("k", "enter")
            await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert "Promote" in app.screen.title_text  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        promoted = app.service.resolve(pod_name)
        assert promoted.stage == "pilot" and not promoted.forced

        # keep the rest: the last decision ends the session and shows the summary
        while screen.session is not None and screen.session.finished_at is None:
            await pilot.press("k", "enter")
            await pilot.pause()
        assert screen.query_one("#rv-summary-scroll").display
        summary = app.service.review_summary(screen.session)
        assert summary.pending == 0
        counts = summary.counts()
        assert counts["kill"] == 1 and counts["defer"] == 1 and counts["promote"] == 2
        assert counts["keep"] == len(order) - 4
        for ini, review in summary.rows:
            assert review is not None and review.reviewer == "tester"
            assert app.service.initiative(ini.id).last_review_at == FROZEN_TODAY

        # save the minutes next to the file
        await pilot.press("m")
        await pilot.pause()
        await wait_busy(pilot)
        minutes = sample_db.parent / "sample-review-2026-11-22.md"
        assert minutes.exists()
        text = minutes.read_text(encoding="utf-8")
        assert "No owner since May" in text and "Board decision" in text
        assert screen.minutes_name == minutes.name
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_leave_and_resume_in_a_new_app(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        order = [it.initiative.id for it in screen.items]
        await pilot.press("k")
        await type_text(pilot, "fine")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("d", "enter")
        await pilot.pause()
        assert screen.index == 2
        await pilot.press("q")  # quit the app in the middle of the review
    # a new app instance on the same file: r resumes at the third initiative
    app2 = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app2.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert [it.initiative.id for it in screen.items] == order
        assert screen.session is not None and screen.session.finished_at is None
        assert screen.index == 2
        decided = [it.decision.decision if it.decision else None for it in screen.items[:3]]
        assert decided == ["keep", "defer", None]
        # f finishes early (after asking); the summary lists the rest as not reviewed
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app2.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert screen.session.finished_at is not None
        assert app2.service.review_summary(screen.session).pending == len(order) - 2
    # after finishing, r starts a fresh session
    app3 = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app3.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        assert screen.session is None and screen.index == 0


async def test_arrows_move_and_agenda_picks(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("right", "right")
        assert screen.index == 2
        await pilot.press("left")
        assert screen.index == 1
        assert app.selected_id == screen.items[1].initiative.id
        await pilot.press("escape")
        await pilot.pause()
        assert app.service.open_review() is None  # browsing wrote nothing


async def test_review_key_only_from_board_and_overview(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "r")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
        await pilot.press("1", "r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_read_only_file_refuses_decisions(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert app.screen is screen  # no dialog
        assert screen.session is None


def test_sparkline_scales_between_min_and_max() -> None:
    from bridge_tui.tui.widgets.review_metrics import sparkline

    assert sparkline([]) == ""
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([5, 5, 5]) == "▄▄▄"  # flat: the middle block, as on the checklist
    assert len(sparkline(list(range(40)), width=16)) == 16


async def test_review_card_shows_metrics(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        first = screen.items[0]
        assert first.initiative.name == "Customer service assistant"
        assert [m.name for m in first.metrics] == ["Adoption"]
        assert first.metrics[0].adoption_stalled


async def test_a_promotion_a_teammate_makes_unmet_meanwhile_asks_to_force(sample_db: Path) -> None:
    """The question said the gate was met; by the time it is answered a teammate has taken an
    answer back. The promotion's own gate refuses it, and the force dialog lists what that
    refusal found unmet (the screen does not evaluate the gate again)."""
    pod_name, order = open_one_gate(sample_db)

    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        await pilot.press(*["n"] * order.index(pod_name))
        await pilot.pause()
        assert current_name(screen) == pod_name
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ReviewDecisionDialog)
        assert "Promote" in app.screen.title_text
        teammate = with_service(sample_db)
        teammate.answer(teammate.resolve(pod_name), "team_assigned", "no")
        teammate.store.close()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReviewDecisionDialog)
        assert "cannot move" in dialog.title_text and dialog.required
        assert "team" in dialog.details.lower()
        assert app.service.resolve(pod_name).stage == "experiment"
