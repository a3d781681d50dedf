"""A notice when a teammate's change arrives through the app's once-a-second poll: who, which
initiative, which fields; plain text; never for the user's own saves."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from bridge_tui.tui.app import BridgeApp, build_app
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import as_teammate


def _notices(app: BridgeApp) -> list[str]:
    return [n.message for n in app._notifications if n.title == "A teammate's change"]


async def test_a_teammates_save_is_told_once(sample_db: Path) -> None:
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        # my own save is not news to me
        app.service.edit_initiative(app.service.resolve("Email triage"), team="Inbox desk")
        as_teammate(sample_db, "Dispatch routing", team="Night desk", owner="Sam O'Brien")
        app.poll_changes()  # what the once-a-second timer calls
        await pilot.pause()
        assert _notices(app) == ["sam changed Dispatch routing · team, owner"]
        assert all(not n.markup for n in app._notifications)
        app.poll_changes()  # nothing new: nothing more said
        await pilot.pause()
        assert len(_notices(app)) == 1


async def test_names_are_shown_as_typed_and_many_saves_are_summed_up(sample_db: Path) -> None:
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        as_teammate(sample_db, "Dispatch routing", name="[bold]Dispatch[/] routing")
        app.poll_changes()
        await pilot.pause()
        assert _notices(app)[-1] == "sam changed [bold]Dispatch[/] routing · name"
        for name in ("Email triage", "Contract review", "Invoice processing", "Route optimisation"):
            as_teammate(sample_db, name, team="Ops")
        app.poll_changes()
        await pilot.pause()
        assert _notices(app)[-1] == "sam changed 4 initiatives (4 saves)"


async def test_the_notice_arrives_through_the_poll_timer(sample_db: Path) -> None:
    """The real timer, not a direct call: wait for the notice itself, however long it takes."""
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        as_teammate(sample_db, "Dispatch routing", team="Night desk")
        while not _notices(app):
            await pilot.pause(0.2)
        assert _notices(app) == ["sam changed Dispatch routing · team"]


async def test_a_save_arriving_while_the_app_closes_reloads_nothing(sample_db: Path) -> None:
    """The poll's timer can tick once more while the app takes its screens apart (seen in CI:
    a plan screen asked for its title after its widgets were gone). Closing: no reload."""
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("3")  # the plan screen, under the board
        await pilot.pause()
        reloads: list[str] = []
        for screen in app.screen_stack:
            screen.refresh_data = lambda s=screen: reloads.append(type(s).__name__)  # type: ignore[attr-defined]
        as_teammate(sample_db, "Dispatch routing", team="Night desk")
        app.exit()
        app.poll_changes()
        assert reloads == []
        assert _notices(app) == []


async def test_a_save_noticed_while_the_screens_close_reloads_nothing(sample_db: Path) -> None:
    """What CI saw: the poll's timer ticked while the app took its screens apart, and asked
    a plan screen whose widgets were gone for its title. Here the poll runs as a widget of the
    plan screen is taken away, with a teammate's save just in: nothing reloads."""
    reloads: list[str] = []

    class Tripwire(Static):
        def on_unmount(self) -> None:
            as_teammate(sample_db, "Dispatch routing", team="Night desk")
            self.app.poll_changes()  # type: ignore[attr-defined]
            reloads.append("polled")

    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")  # the plan screen
        await pilot.pause()
        plan = app.screen
        assert type(plan).__name__ == "PlanScreen"
        plan.refresh_data = lambda: reloads.append("reloaded")  # type: ignore[attr-defined]
        await plan.query_one("#plan-view").mount(Tripwire("x"), before=0)
    assert reloads == ["polled"]  # the poll ran during the close, and reloaded nothing
