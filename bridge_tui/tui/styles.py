"""Where the `.tcss` files are (inside the package in a wheel, at the top level in a checkout),
and when each is read.

The app reads only what the board's first paint needs (`stylesheets()`: the board's); every
other sheet is named by the screens and dialogs it styles, in their `CSS_PATH` (`sheets()`), and
Textual reads it the first time one of them shows (a mode's first showing, a push or a switch),
then restyles. A sheet named by several classes is read once. The rules every dialog shares
(`shared_sheet()`, base.tcss: nested under `ModalScreen`, so they style no screen of the board's)
are read as the first dialog shows, Textual's command palette included, and placed before every
other sheet, where the app read them at start-up until 2026-12-01.

Rules of the same specificity go to the sheet read last, so no two sheets that load lazily may
give one widget's same property different values at the same specificity (each sheet nests its
rules under its own screen or dialog class; `tests/tui/test_screen_stylesheets.py` checks it).
"""

from __future__ import annotations

from pathlib import Path, PurePath

_PACKAGED = Path(__file__).resolve().parent.parent / "styles"
_CHECKOUT = Path(__file__).resolve().parent.parent.parent / "styles"

#: what the app reads before the board's first paint: the board's rules
START_UP = ("board.tcss",)
#: the rules every dialog shares, read as the first dialog shows (`BridgeApp._load_screen_css`)
SHARED = "base.tcss"


def styles_dir() -> Path:
    for candidate in (_PACKAGED, _CHECKOUT):
        if (candidate / "base.tcss").is_file():
            return candidate
    raise FileNotFoundError(
        "bridge cannot find its stylesheets (styles/base.tcss); reinstall the package."
    )


def stylesheets() -> list[Path]:
    """The sheets the app reads at start-up."""
    folder = styles_dir()
    return [folder / name for name in START_UP]


def shared_sheet() -> Path:
    """The dialogs' shared rules (base.tcss), read as the first dialog shows."""
    return styles_dir() / SHARED


def sheets(*names: str) -> list[str | PurePath]:
    """A screen's or dialog's `CSS_PATH`: the absolute paths of the named sheets, in name order
    (the order the app read them in when it read all of them at start-up)."""
    folder = styles_dir()
    missing = [name for name in names if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"bridge cannot find its stylesheets {missing} in {folder}")
    return [folder / name for name in sorted(names)]
