"""The board's sustain flags and views: read once per reload, worked out per card.

Kept beside the board screen so the screen only asks: the flags a card carries (its height
depends on them, so every card is asked at layout, cheaply) and the view the detail pane shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bridge_tui import sustain
from bridge_tui.models import Initiative
from bridge_tui.service import Board, Service


class BoardSustain:
    def __init__(self, service: Callable[[], Service]) -> None:
        #: the screen's service, asked for when needed (a screen is built before its app runs)
        self._service = service
        self.facts = sustain.Facts()
        self._answers: Mapping[str, Mapping[str, str]] = {}
        self._flags: dict[str, tuple[str, ...]] = {}

    @property
    def service(self) -> Service:
        return self._service()

    def reload(self, board: Board, facts: sustain.Facts | None = None) -> None:
        """A fresh board: read what the rules need for it (two queries), unless a worker
        read them with it (`facts`)."""
        self.facts = self.service.sustain_facts(board) if facts is None else facts
        self._answers = board.answers
        self._flags.clear()

    def forget(self, initiative_id: str) -> None:
        """One initiative changed (a move, an edit): work its flags out again when asked."""
        self._flags.pop(initiative_id, None)

    def flags(self, initiative: Initiative) -> tuple[str, ...]:
        found = self._flags.get(initiative.id)
        if found is None:
            found = self._flags[initiative.id] = (
                sustain.card_flags(
                    initiative,
                    self._answers.get(initiative.id, {}),
                    self.facts,
                    self.service.today(),
                )
                if sustain.may_flag(initiative, self.facts)
                else ()  # its answers are not read for nothing (`LazyAnswers`)
            )
        return found

    def of(self, initiative: Initiative) -> sustain.Sustain:
        return sustain.sustain(
            initiative, self._answers.get(initiative.id, {}), self.facts, self.service.today()
        )
