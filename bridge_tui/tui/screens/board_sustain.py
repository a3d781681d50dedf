"""The board's sustain flags and views: read once per reload, worked out per card.

Kept beside the board screen so the screen only asks: the flags a card carries (its height
depends on them, so every card is asked at layout, cheaply) and the view the detail pane shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from bridge_tui import sustain

if TYPE_CHECKING:
    from bridge_tui.board_model import Shown
    from bridge_tui.service import Service
    from bridge_tui.service.board import Board


class BoardSustain:
    def __init__(self, service: Callable[[], Service], today: Callable[[], date]) -> None:
        #: the screen's service and day, asked for when needed (a screen is built before its
        #: app runs, and its first paint reads the day before the service is built)
        self._service = service
        self._today = today
        self.facts = sustain.Facts()
        self._answers: Mapping[str, Mapping[str, str]] = {}
        self._flags: dict[str, tuple[str, ...]] = {}

    @property
    def service(self) -> Service:
        return self._service()

    def reload(self, board: Board[Any], facts: sustain.Facts | None = None) -> None:
        """A fresh board: read what the rules need for it (two queries), unless a worker
        read them with it (`facts`)."""
        self.facts = self.service.sustain_facts(board) if facts is None else facts
        self._answers = board.answers
        self._flags.clear()

    def forget(self, initiative_id: str) -> None:
        """One initiative changed (a move, an edit): work its flags out again when asked."""
        self._flags.pop(initiative_id, None)

    def flags(self, initiative: Shown) -> tuple[str, ...]:
        found = self._flags.get(initiative.id)
        if found is None:
            found = self._flags[initiative.id] = (
                sustain.card_flags(
                    initiative,
                    self._answers.get(initiative.id, {}),
                    self.facts,
                    self._today(),
                )
                if sustain.may_flag(initiative, self.facts)
                else ()  # its answers are not read for nothing (`LazyAnswers`)
            )
        return found

    def of(self, initiative: Shown) -> sustain.Sustain:
        return sustain.sustain(
            initiative, self._answers.get(initiative.id, {}), self.facts, self._today()
        )
