"""The service layer: the one place the app and the CLI call for every use case.

The app and the CLI open and create files through `Service` too (`Service.open`,
`Service.create_file`): only the store touches SQLite.

The package loads a module on first use of one of its names: a one-shot read
(`service.quick`) loads neither the other use cases nor the models."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bridge_tui import lazy

if TYPE_CHECKING:
    from bridge_tui.service.board import Board
    from bridge_tui.service.composed import Service
    from bridge_tui.service.initiatives import EDITABLE_FIELDS
    from bridge_tui.service.moves import MoveResult
    from bridge_tui.service.quick import InitiativeScore

__all__ = ["EDITABLE_FIELDS", "Board", "InitiativeScore", "MoveResult", "Service"]

if not TYPE_CHECKING:  # mypy sees the names imported above
    __getattr__ = lazy.exports(
        __name__,
        {
            "Service": "composed",
            "EDITABLE_FIELDS": "initiatives",
            "Board": "board",
            "MoveResult": "moves",
            "InitiativeScore": "quick",
        },
    )
