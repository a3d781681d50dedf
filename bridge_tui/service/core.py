"""The old name of `service.initiatives` and `service.moves`, kept only so that modules not yet
moved over (`service/portfolio.py`, `service/sharing.py`, which are being split) still import:
once they import from the new modules, delete this file."""

from bridge_tui.service.initiatives import Board
from bridge_tui.service.moves import CURRENT_TASK, MoveResult
from bridge_tui.service.moves import MoveOps as CoreService

__all__ = ["CURRENT_TASK", "Board", "CoreService", "MoveResult"]
