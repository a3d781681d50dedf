"""What the review screen shows, read through a service: the app's, or a worker's reader
(`Service.reader()`) when the file is large. Pure reads: nothing here writes or draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bridge_tui.errors import BadInput
from bridge_tui.models import ReviewItem, ReviewSession

if TYPE_CHECKING:
    from bridge_tui.service import Board, Service


@dataclass(frozen=True)
class Loaded:
    """One read of the review: its session (None until the first decision), order and items."""

    session: ReviewSession | None
    order: tuple[str, ...]
    items: list[ReviewItem]
    #: an unfinished session was found and picked up (first load only)
    resumed: bool = False


def session_view(
    service: Service, session: ReviewSession | None, order: tuple[str, ...]
) -> ReviewSession:
    """The saved session, or an unsaved one carrying the order shown (for reading)."""
    if session is not None:
        return session
    return ReviewSession(
        id="00000000-0000-4000-8000-000000000000",
        started_at=service.now(),
        by=service.author,
        order=order,
    )


def read_review(
    service: Service,
    first: bool,
    session_id: str | None,
    order: tuple[str, ...],
    known: Board | None = None,
) -> Loaded:
    """What the review shows, read through `service` (the app's, or a worker's reader). The
    first load resumes the unfinished session if there is one, else fixes a new order; later
    loads re-read the session (an undo may have taken back the decision that started it).
    `known`: the board screen's whole board, read at this same state of the file."""
    session: ReviewSession | None = None
    resumed = False
    # once, with the kept scores (the order and the items both read them, not the answers)
    board = service.kept_board(known)
    if first:
        session = service.open_review()
        if session is not None:
            order, resumed = session.order, True
        else:
            order = tuple(i.id for i in service.review_order(board))
    elif session_id is not None:
        try:
            session = service.review_session(session_id)
        except BadInput:
            session = None  # undone: the first decision, which started it, was taken back
    items = service.review_items(session_view(service, session, order), board)
    return Loaded(session, order, items, resumed)
