"""The command palette: what every screen offers (the screens, share and merge, git sync,
spreadsheet import, reports, the review, the overview's lists), then the screen's own
`palette_commands`; and the flows those commands start.

The app only asks for them (`BridgeApp.get_system_commands`) when the palette opens, so this
module and the dialogs it imports load then, not at the board's first paint. Nothing here is
imported by a screen or a dialog: the flows know the app, the dialogs stay dumb.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from bridge_tui import method
from bridge_tui.errors import BridgeError
from bridge_tui.tui.busy import run_busy
from bridge_tui.tui.dialogs.merge import MergeDialog, ShareDialog, preview_text
from bridge_tui.tui.screens.base import PaletteEntry
from bridge_tui.tui.screens.overview import OverviewScreen, write_report
from bridge_tui.tui.widgets.overview_answers import SECTIONS

if TYPE_CHECKING:
    from bridge_tui.service.sharing import MergeReport
    from bridge_tui.tui.app import BridgeApp

#: the report formats the palette offers, as (format, label)
REPORT_FORMATS = (("md", "Markdown"), ("json", "JSON"), ("csv", "CSV"))


def palette(app: BridgeApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """The app's commands after Textual's own (theme, keys, quit...)."""
    yield SystemCommand("Board", "Show the stage columns (1)", lambda: app.switch_mode("board"))
    yield SystemCommand(
        "Checklist", "Score the selected initiative (2)", lambda: app.switch_mode("checklist")
    )
    yield SystemCommand(
        "Plan",
        f"The {method.PLAN_NAME} of the selected initiative (3)",
        lambda: app.switch_mode("plan"),
    )
    yield SystemCommand(
        "Overview", "The portfolio's four questions (4)", lambda: app.switch_mode("overview")
    )
    yield SystemCommand(
        "Flow over time",
        "Cumulative flow, time in stage, crossings per quarter (5)",
        lambda: app.switch_mode("flow"),
    )
    yield SystemCommand(
        "Share a safe copy",
        "Write a checked copy of this file for a teammate",
        lambda: start_share(app),
    )
    yield SystemCommand(
        "Merge a teammate's copy",
        "Preview, then fold their copy into this file",
        lambda: start_merge(app),
    )
    yield SystemCommand(
        "Sync with git",
        "Commit, pull (bridge merges), push; shows what came in and what conflicted",
        lambda: _start_git_sync(app),
    )
    yield SystemCommand(
        "Import a spreadsheet",
        "Preview, then add the initiatives of a .csv or .xlsx file",
        lambda: _start_sheet_import(app),
    )
    for title, help_text, callback in portfolio_palette(app):
        yield SystemCommand(title, help_text, callback)
    entries: Callable[[], Iterable[PaletteEntry]] | None = getattr(screen, "palette_commands", None)
    if entries is not None:
        for title, help_text, callback in entries():
            yield SystemCommand(title, help_text, callback)


def _open_review(app: BridgeApp) -> None:
    from bridge_tui.tui.screens.review import ReviewScreen

    if not isinstance(app.screen, ReviewScreen):
        app.push_screen(ReviewScreen())


def _jump(app: BridgeApp, section: str | None) -> None:
    """Open the overview and put the cursor on one of its lists (None: the heat map)."""

    def land() -> None:
        screen = app.screen
        if isinstance(screen, OverviewScreen):
            if section is None:
                screen.action_focus_heat()
            else:
                screen.jump_to_section(section)

    if isinstance(app.screen, OverviewScreen):
        land()
        return
    app.switch_mode("overview")
    app.call_after_refresh(land)


def portfolio_palette(app: BridgeApp) -> list[PaletteEntry]:
    """Palette entries offered on every screen: reports, the review, overview jumps."""
    out: list[PaletteEntry] = []
    for fmt, label in REPORT_FORMATS:
        out.append(
            (
                f"Write report ({label})",
                f"Save the portfolio report as {label} next to the bridge file",
                lambda fmt=fmt: write_report(app, fmt),  # type: ignore[misc]
            )
        )
    out.append(
        ("Review session", "Start or resume the portfolio review (r)", lambda: _open_review(app))
    )
    for section, title in SECTIONS.items():
        out.append(
            (
                f"Overview: {title}",
                "Open the overview at this list",
                lambda section=section: _jump(app, section),  # type: ignore[misc]
            )
        )
    out.append(
        ("Overview: heat map", "Open the overview at the heat map", lambda: _jump(app, None))
    )
    return out


def _start_sheet_import(app: BridgeApp) -> None:
    """Loaded when used: the board's first paint does not pay for the file picker."""
    from bridge_tui.tui.dialogs.sheet_import import start_sheet_import

    start_sheet_import(app)


def _start_git_sync(app: BridgeApp) -> None:
    from bridge_tui.tui.dialogs.git_sync import start_git_sync

    start_git_sync(app)


def _preview_in_reader(app: BridgeApp, path: str) -> tuple[str, bool]:
    """Run from the dialog's worker thread: a read-only service of its own, closed after."""
    try:
        reader = app.service.reader()
    except BridgeError as exc:
        return exc.message, False
    try:
        return preview_text(reader, path)
    finally:
        reader.close()


def start_merge(app: BridgeApp) -> None:
    """Palette: "Merge a teammate's copy"."""
    if app.service.read_only:
        message = app.service.read_only_reason or (
            f"{app.service.file_name} is read-only: a merge cannot be saved."
        )
        app.notify(message, severity="warning", markup=False)
        return

    def merged(report: MergeReport) -> None:
        app.notify(report.summary(), title="Merged", timeout=10, markup=False)

    def failed(exc: BridgeError) -> None:
        app.notify(exc.message, title="Not merged", severity="error", timeout=10, markup=False)

    def done(path: str | None) -> None:
        if path is None:
            return
        # a large copy takes seconds to fold in: in a worker, with the busy line, keys live
        run_busy(
            app, "Merging the copy…", lambda writer: writer.merge(path), merged, failed, write=True
        )

    app.push_screen(
        MergeDialog(
            lambda p: _preview_in_reader(app, p),
            app.service.file_name,
            folder=app.service.path.resolve().parent,
        ),
        callback=done,
    )


def start_share(app: BridgeApp) -> None:
    """Palette: "Share a safe copy"."""
    source = app.service.path
    stamp = app.service.today().isoformat()
    suggestion = source.with_name(f"{source.stem}-copy-{stamp}{source.suffix or '.db'}")
    n = 2
    while suggestion.exists():
        suggestion = source.with_name(f"{source.stem}-copy-{stamp}-{n}{source.suffix or '.db'}")
        n += 1

    def written(path: Path) -> None:
        app.notify(f"Wrote a checked copy to {path}.", title="Copy ready", timeout=10, markup=False)

    def failed(exc: BridgeError) -> None:
        app.notify(exc.message, title="No copy written", severity="error", timeout=10, markup=False)

    def done(path: str | None) -> None:
        if path is None:
            return
        # the copy and its checks take seconds on a large file: a worker, the keys stay live
        run_busy(app, "Writing the copy…", lambda reader: reader.share(path), written, failed)

    app.push_screen(ShareDialog(str(suggestion), app.service.file_name), callback=done)
