"""The board model: buckets in board order, the filter, the Killed column, kept cards."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bridge_tui import method, scoring
from bridge_tui.board_model import BoardModel, haystack
from bridge_tui.models import Initiative
from tests.unit.test_layers import FORBIDDEN_PURE, loaded_after_import

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def initiative(name: str, stage: str = "experiment", **kw: Any) -> Initiative:
    return Initiative(
        name=name, stage=stage, stage_entered_at=TODAY, created_at=NOW, updated_at=NOW, **kw
    )


def model(*items: Initiative) -> BoardModel:
    board = BoardModel()
    board.load(items, {}, {})
    return board


def names(board: BoardModel, stage: str) -> list[str]:
    return [i.name for i in board.by_stage[stage]]


def test_it_is_pure() -> None:
    loaded = loaded_after_import("bridge_tui.board_model")
    assert not [m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_PURE)]


def test_buckets_follow_the_one_board_order() -> None:
    a, b, c = initiative("beta"), initiative("Alpha"), initiative("gamma", "pilot")
    board = model(a, b, c)
    assert names(board, "experiment") == ["Alpha", "beta"]
    assert names(board, "pilot") == ["gamma"]
    every = [i for s in method.STAGE_IDS for i in board.by_stage[s]]
    assert every == sorted(every, key=lambda i: scoring.board_key(i.id, i.stage, i.name))


def test_replace_moves_one_card_and_says_which_stages_changed() -> None:
    a, b = initiative("Alpha"), initiative("Beta")
    board = model(a, b)
    moved = a.model_copy(update={"stage": "pilot"})
    assert board.replace(moved, a) == {"experiment", "pilot"}
    assert names(board, "experiment") == ["Beta"]
    assert board.find(a.id) is moved
    renamed = b.model_copy(update={"name": "Zeta"})
    assert board.replace(renamed) == set(method.STAGE_IDS)  # other cards' cuts may change
    assert names(board, "experiment") == ["Zeta"]
    gone = renamed.model_copy(update={"deleted": True})
    board.replace(gone)
    assert board.find(b.id) is None
    new = initiative("Aardvark")
    assert board.replace(new) == set(method.STAGE_IDS)
    assert names(board, "experiment") == ["Aardvark"]


def test_the_filter_searches_name_owner_team_and_blockers() -> None:
    blocker = method.BLOCKERS[0]
    a = initiative("Dispatch", owner="sam", team="Ops")
    b = initiative("Routing", blockers=(blocker.id,))
    board = model(a, b)
    assert board.shown("experiment") == [a, b]
    assert board.count_text("experiment", 2) == "2"
    board.filter_text = "SAM"
    assert board.shown("experiment") == [a]
    assert board.count_text("experiment", 1) == "1/2"
    assert board.filter_count(1) == "1 of 2 shown · escape clears"
    board.filter_text = blocker.label.upper()
    assert board.shown("experiment") == [b]
    assert blocker.label.casefold() in haystack(b)
    assert board.empty_text() == "No matches"
    assert board.empty_detail("pilot") == "Nothing in Pilot matches the filter."
    board.filter_text = ""
    assert board.empty_text() == "No initiatives"
    assert board.empty_detail("pilot") == "No initiatives in Pilot."


def test_killed_shows_only_when_asked_and_the_hint_counts_it() -> None:
    board = model(initiative("Alpha"), initiative("Gone", method.KILLED))
    assert method.KILLED not in board.visible_stages
    assert (
        board.hint() == "1 active · 1 killed hidden: K shows them · / filters · ? lists every key"
    )
    assert board.filter_count(1) == "1 of 1 shown · escape clears"
    board.show_killed = True
    assert board.visible_stages == list(method.STAGE_IDS)
    assert board.hint() == "1 active · 1 killed · / filters · ? lists every key"
    assert model().hint() == "No initiatives yet: press n to add the first one · ? lists every key"


def test_cards_are_scored_once_until_their_initiative_changes() -> None:
    a = initiative("Alpha")
    board = model(a)
    card = board.card(a, TODAY)
    assert board.card(a, TODAY) is card
    assert board.marks(a, TODAY) == (0, False)
    edited = a.model_copy(update={"owner": "sam"})
    board.replace(edited, a)
    assert board.card(edited, TODAY) is not card
    board.load([edited], {}, {})
    assert board.cards == {}
