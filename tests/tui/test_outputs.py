"""Pilot tests: the app asks before an output replaces a file, and honours the umask.

The overview's `w` (the report) and the review summary's `m` (the minutes) write next to the
file under today's name; when that file is already there a dialog asks: `r` replaces it, `k`
(the default) keeps both under the next free name, escape writes nothing.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path
from typing import Any

from bridge_tui.tui.dialogs.overwrite import OverwriteDialog
from bridge_tui.tui.screens.overview import OverviewScreen
from bridge_tui.tui.screens.review import ReviewScreen
from tests.cli_run import cli_umask
from tests.tui.helpers import pressed, sample_app, step, wait_busy

__all__ = ["cli_umask"]  # the `umask` fixture

SIZE = (160, 45)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def outputs_in(folder: Path, kind: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if f"-{kind}-" in p.name or p.suffix == ".tmp")


async def press(pilot: Any, *keys: str) -> None:
    """Each key, then whatever it started in a worker (the writing) has ended."""
    for key in keys:
        await step(pilot, key)
        await wait_busy(pilot)


async def test_the_overview_report_asks_before_replacing(sample_db: Path, umask: int) -> None:
    folder = sample_db.parent
    report = folder / "sample-report-2026-11-22.md"
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pressed(pilot, "4", OverviewScreen)
        expected = app.service.report("md")

        await press(pilot, "w")  # nothing there yet: written at once
        assert report.read_text(encoding="utf-8") == expected
        assert mode(report) == 0o666 & ~umask
        report.write_text("last week's notes", encoding="utf-8")

        await press(pilot, "w")  # there now: the app asks
        dialog = app.screen
        assert isinstance(dialog, OverwriteDialog)
        assert (
            dialog.existing == report.name and dialog.alternative == "sample-report-2026-11-22-2.md"
        )
        await press(pilot, "escape")  # ... and escape writes nothing
        assert isinstance(app.screen, OverviewScreen)
        assert report.read_text(encoding="utf-8") == "last week's notes"
        assert outputs_in(folder, "report") == [report.name]

        await press(pilot, "w", "k")  # keep both: a second file under the next name
        second = folder / "sample-report-2026-11-22-2.md"
        assert second.read_text(encoding="utf-8") == expected
        assert mode(second) == 0o666 & ~umask
        assert report.read_text(encoding="utf-8") == "last week's notes"

        os.chmod(report, 0o600)
        await press(pilot, "w", "r")  # replace: the new report, with the umask's permissions
        assert report.read_text(encoding="utf-8") == expected
        assert mode(report) == 0o666 & ~umask
        assert outputs_in(folder, "report") == sorted([report.name, second.name])


async def test_the_review_minutes_ask_before_replacing(sample_db: Path, umask: int) -> None:
    folder = sample_db.parent
    minutes = folder / "sample-review-2026-11-22.md"
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await pressed(pilot, "r", ReviewScreen)
        await press(pilot, "k", "o", "k", "enter")  # keep the first, with the note "ok"
        await press(pilot, "f", "y")  # finish early (it asks first: yes): the summary
        assert screen.session is not None and screen.session.finished_at is not None

        await press(pilot, "m")
        text = app.service.review_minutes(screen.session)
        assert minutes.read_text(encoding="utf-8") == text
        assert mode(minutes) == 0o666 & ~umask
        minutes.write_text("the minutes someone corrected by hand", encoding="utf-8")

        await press(pilot, "m")
        assert isinstance(app.screen, OverwriteDialog)
        await press(pilot, "n")  # no: nothing written
        assert app.screen is screen
        assert minutes.read_text(encoding="utf-8") == "the minutes someone corrected by hand"
        assert outputs_in(folder, "review") == [minutes.name]

        await press(pilot, "m")
        await press(pilot, "enter")  # the focused button is "Keep both", never "Replace"
        second = folder / "sample-review-2026-11-22-2.md"
        assert second.read_text(encoding="utf-8") == text
        assert screen.minutes_name == second.name
        assert minutes.read_text(encoding="utf-8") == "the minutes someone corrected by hand"

        await press(pilot, "m", "r")
        assert minutes.read_text(encoding="utf-8") == text
        assert mode(minutes) == 0o666 & ~umask
        assert screen.minutes_name == minutes.name
        assert outputs_in(folder, "review") == sorted([minutes.name, second.name])


async def test_an_output_onto_a_folder_says_so(sample_db: Path) -> None:
    """Today's report name taken by a folder: one message, nothing asked, nothing written."""
    (sample_db.parent / "sample-report-2026-11-22.md").mkdir()
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "4", "w")
        assert isinstance(app.screen, OverviewScreen)
        shown = [str(n.message) for n in app._notifications]
        assert any("is a folder" in m for m in shown), shown
        assert list((sample_db.parent / "sample-report-2026-11-22.md").iterdir()) == []


async def test_the_apps_date_fields_refuse_dates_off_the_calendar(sample_db: Path) -> None:
    """The plan's day 1 (s) and a task's due date (n) say which dates are accepted and keep
    the dialog open; nothing is saved."""
    from textual.widgets import Input

    from bridge_tui.tui.dialogs.task_form import StartDialog, TaskFormDialog

    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        app.select(app.service.resolve("Dispatch routing").id)
        await press(pilot, "3", "s")
        dialog = app.screen
        assert isinstance(dialog, StartDialog)
        dialog.query_one(Input).value = "9999-12-31"
        await press(pilot, "enter")
        assert app.screen is dialog
        assert "between 1900-01-01 and 9000-12-31" in str(dialog.query_one("#e-start").render())
        await press(pilot, "escape", "n")
        form = app.screen
        assert isinstance(form, TaskFormDialog)
        form.query_one("#f-title", Input).value = "Far away"
        form.query_one("#f-due", Input).value = "0001-01-01"
        await press(pilot, "enter")
        assert app.screen is form
        assert "between 1900-01-01 and 9000-12-31" in str(form.query_one("#e-due").render())
        await press(pilot, "escape")
        ini = app.service.resolve("Dispatch routing")
        assert "Far away" not in {t.title for t in app.service.plan_tasks(ini.id)}
        assert app.service.plan_view(ini).plan.start_date != date(9999, 12, 31)  # type: ignore[union-attr]
