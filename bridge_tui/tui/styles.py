"""Where the `.tcss` files are: inside the package in a wheel, at the top level in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent.parent / "styles"
_CHECKOUT = Path(__file__).resolve().parent.parent.parent / "styles"


def styles_dir() -> Path:
    for candidate in (_PACKAGED, _CHECKOUT):
        if (candidate / "base.tcss").is_file():
            return candidate
    raise FileNotFoundError(
        "bridge cannot find its stylesheets (styles/base.tcss); reinstall the package."
    )


def stylesheets() -> list[Path]:
    """base.tcss first, then one file per screen in name order."""
    folder = styles_dir()
    rest = sorted(p for p in folder.glob("*.tcss") if p.name != "base.tcss")
    return [folder / "base.tcss", *rest]
