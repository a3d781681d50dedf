"""Garbage-collector pauses kept out of large loads (issue 12, item 10), and nothing kept
after the app ends."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from bridge_tui import memory
from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY


def test_a_quiet_load_pauses_collections_and_freezes_what_it_built() -> None:
    gc.unfreeze()
    assert gc.isenabled()
    with memory.quiet_load():
        assert not gc.isenabled()
        built = [{"n": n} for n in range(1_000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built)
    memory.release()
    assert gc.get_freeze_count() == 0


def test_a_quiet_load_that_fails_still_turns_collection_back_on() -> None:
    try:
        with memory.quiet_load():
            raise ValueError("the read failed")
    except ValueError:
        pass
    assert gc.isenabled()
    memory.release()


def test_a_hold_settles_what_is_there_and_pauses_collections_until_the_next_settling() -> None:
    gc.unfreeze()
    kept = [{"n": n} for n in range(1_000)]
    memory.hold()
    try:
        assert not gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)
        memory.hold()  # a second hold before the settling: still paused, settled once
        assert not gc.isenabled()
        memory.settle()
        assert gc.isenabled()
    finally:
        memory.release()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_an_app_ended_during_a_hold_lets_the_collector_run_again() -> None:
    memory.hold()
    memory.release()
    assert gc.isenabled()


def test_a_hold_with_the_collector_off_leaves_it_off() -> None:
    gc.disable()
    try:
        memory.hold()
        memory.settle()
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()
        memory.release()


async def test_the_app_freezes_after_loading_and_hands_all_back_when_it_ends(
    sample_db: Path,
) -> None:
    gc.unfreeze()
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert gc.get_freeze_count() > 0  # settled after the first paint
    assert gc.get_freeze_count() == 0  # released when the app ended


async def test_a_quiet_start_runs_the_collector_again_at_the_first_paint(sample_db: Path) -> None:
    """`bridge` starts with the collector paused (`cli.main`); the app's first paint settles
    what start-up built and lets the collector run again."""
    assert gc.isenabled()
    was = memory.quiet_start()
    try:
        assert was and not gc.isenabled()
        app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert gc.isenabled()  # running again after the first paint
            assert gc.get_freeze_count() > 0
    finally:
        memory.resume(was)
    assert gc.isenabled()


def test_a_command_puts_the_collector_back_as_it_was(sample_db: Path) -> None:
    """A command run in this process (as the CLI tests do) pauses the collector only while
    it runs, whether it ends well or refuses."""
    from bridge_tui.cli import main

    for argv in (["--db", str(sample_db), "list"], ["--db", str(sample_db), "score", "nope"]):
        with pytest.raises(SystemExit):
            main(argv)
        assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(SystemExit):
            main(["--db", str(sample_db), "list"])
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()
