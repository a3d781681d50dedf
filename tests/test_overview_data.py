"""The overview's data in one read (`Service.overview_data`, issue 13): it reads only the
answers the sustain rules look at (Infrastructure's) and those of any initiative whose kept
score is missing or of another stage, works out each sustain view when asked for, and may take
its initiatives from a whole board read at the same state of the file. Whatever it skips, it
shows exactly what the whole overview computed afresh shows."""

from __future__ import annotations

from typing import Any

import pytest

from bridge_tui import method, scoring, sustain
from bridge_tui.service import Board, Service
from tests.conftest import FROZEN_TODAY
from tests.test_board_in_parts import linked  # noqa: F401  (a fixture)
from tests.tui.helpers import service_calls


def afresh(board: Board, service: Service) -> tuple[scoring.Overview, dict[str, Any], list[str]]:
    """The overview as it was computed before: every answer read, every score computed, every
    active initiative's sustain view worked out."""
    facts = service.sustain_facts(board)
    figures = scoring.overview(board.initiatives, board.answers, FROZEN_TODAY, board.histories)
    active = service.ordered([i for i in board.initiatives if scoring.is_active(i)])
    views = {i.id: sustain.sustain(i, board.answers_of(i.id), facts, FROZEN_TODAY) for i in active}
    return figures, views, [i.id for i in active if views[i.id].flagged]


def assert_same(data: Any, board: Board, service: Service) -> None:
    figures, views, flagged = afresh(board, service)
    assert data.figures == figures
    assert dict(data.sustain.by_id) == views
    assert list(data.sustain.flagged) == flagged
    assert data.initiatives == {i.id: i for i in board.initiatives}


def test_it_is_the_overview_computed_afresh(linked: Service) -> None:  # noqa: F811
    data = linked.overview_data()
    board = linked.board()
    assert_same(data, board, linked)
    # the sample's flags are there to be seen: the test would see them go missing
    assert data.sustain.flagged and data.sustain.infrastructure
    assert data.figures.heat and data.figures.kill_candidates


@pytest.mark.parametrize("kind", ["board", "lean"])
def test_a_known_board_gives_the_same(linked: Service, kind: str) -> None:  # noqa: F811
    known = linked.board() if kind == "board" else linked.lean_board()[0]
    data = linked.overview_data(known)
    assert data.initiatives == {i.id: i for i in known.initiatives}
    assert_same(data, linked.board(), linked)


def test_it_reads_the_answers_of_infrastructure_only(
    linked: Service,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """...and of their answers, only those the sustain rules read (the Optimize conditions):
    at 10,000 initiatives a tenth of the rows."""
    asked: list[tuple[tuple[str, ...] | None, tuple[str, ...] | None]] = []
    real = linked.store.answer_values

    def spy(
        ids: tuple[str, ...] | None = None, keys: tuple[str, ...] | None = None
    ) -> dict[str, dict[str, str]]:
        asked.append((ids, keys))
        return real(ids, keys)

    monkeypatch.setattr(linked.store, "answer_values", spy)
    data = linked.overview_data()
    infra = {i.id for i in data.initiatives.values() if i.stage == method.INFRASTRUCTURE}
    assert infra
    assert len(asked) == 1 and asked[0][0] is not None
    assert set(asked[0][0]) == infra
    assert asked[0][1] == sustain.ANSWER_KEYS == method.OPTIMIZE_CONDITIONS
    # the sample's Infrastructure initiatives answer more than those: fewer rows were read
    whole = real(tuple(infra))
    some = real(tuple(infra), sustain.ANSWER_KEYS)
    assert sum(map(len, some.values())) < sum(map(len, whole.values()))
    assert all(set(a) <= set(sustain.ANSWER_KEYS) for a in some.values())


def test_the_store_reads_the_answers_to_some_items_only(linked: Service) -> None:  # noqa: F811
    every = linked.store.answer_values()
    keys = ("D1", "measured")
    some = linked.store.answer_values(None, keys)
    assert some == {
        i: {k: v for k, v in a.items() if k in keys} for i, a in every.items() if set(a) & set(keys)
    }
    assert some  # the sample answers them
    ids = tuple(sorted(every))[:3]
    assert linked.store.answer_values(ids, keys) == {i: some[i] for i in ids if i in some}


@pytest.mark.parametrize(
    ("was", "now"), [("pilot", "validate"), ("productionize", "infrastructure")]
)
def test_a_kept_score_of_another_stage_is_scored_from_its_answers(
    linked: Service,  # noqa: F811
    was: str,
    now: str,
) -> None:
    """A board whose initiative is in another stage than its kept score (it cannot happen
    at one state of the file; the guard keeps the figures right if it ever did): its answers
    are read, all of them, and its score worked out from them; in Infrastructure too, whose
    others' answers are read for the sustain rules' few items only."""
    board = linked.board()
    moved = next(
        i for i in board.initiatives if i.stage == was and "yes" in board.answers_of(i.id).values()
    )
    changed = [
        i.model_copy(update={"stage": now}) if i.id == moved.id else i for i in board.initiatives
    ]
    known = Board(changed, {}, board.histories)
    data = linked.overview_data(known)
    full = Board(changed, board.answers, board.histories)
    figures = scoring.overview(changed, full.answers, FROZEN_TODAY, board.histories)
    assert data.figures == figures
    row = next(r for r in data.figures.heat if r.initiative_id == moved.id)
    assert row.stage == now
    assert dict(data.sustain.by_id) == {
        i: sustain.sustain(
            data.initiatives[i], full.answers_of(i), linked.sustain_facts(full), FROZEN_TODAY
        )
        for i in data.sustain.by_id
    }


def test_a_board_in_part_is_refused(linked: Service) -> None:  # noqa: F811
    with pytest.raises(ValueError, match="first part"):
        linked.overview_data(linked.board_head(1))


def test_a_view_is_worked_out_once_when_asked_for(
    linked: Service,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worked: list[str] = []
    real = sustain.sustain

    def counted(i: Any, *args: Any) -> sustain.Sustain:
        worked.append(i.id)
        return real(i, *args)

    monkeypatch.setattr(sustain, "sustain", counted)
    data = linked.overview_data()
    board = linked.board()
    facts = linked.sustain_facts(board)
    may = {i.id for i in board.initiatives if scoring.is_active(i) and sustain.may_flag(i, facts)}
    assert set(worked) == may != {i.id for i in board.initiatives if scoring.is_active(i)}
    some = next(i for i in data.sustain.by_id if i not in may)
    data.sustain.by_id[some]
    data.sustain.by_id[some]
    assert worked.count(some) == 1


@pytest.mark.parametrize("kind", ["none", "board", "lean"])
def test_the_review_reads_the_same_from_the_kept_board(
    linked: Service,  # noqa: F811
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The review's agenda and items read the kept scores, never the answers: from the file,
    or from the board screen's whole board, they are what they were when every answer was
    read and every initiative scored afresh."""
    from bridge_tui.tui.screens.review_read import read_review

    before = read_review(linked, True, None, ())
    known = {"none": None, "board": linked.board(), "lean": linked.lean_board()[0]}[kind]
    asked: list[tuple[str, ...] | None] = []
    real = linked.store.answer_values
    monkeypatch.setattr(
        linked.store, "answer_values", lambda ids=None: asked.append(ids) or real(ids)
    )
    monkeypatch.setattr(linked, "board", lambda **_: pytest.fail("the review read every answer"))
    loaded = read_review(linked, True, None, (), known)
    assert asked == []  # every kept score is there and of the initiative's stage
    assert loaded.order == before.order and loaded.items == before.items
    # and the order is the one computed afresh from every answer
    everything = Board(*real_board(linked))
    fresh = scoring.review_order(
        everything.initiatives, everything.answers, FROZEN_TODAY, everything.histories
    )
    assert list(loaded.order) == [i.id for i in fresh]


def real_board(service: Service) -> tuple[Any, ...]:
    with service.store.reading():
        return (
            service.store.initiatives(),
            service.store.answer_values(),
            service.histories(),
        )


def test_given_the_boards_order_it_is_the_same(linked: Service) -> None:  # noqa: F811
    """The board screen's order of its cards is taken instead of sorting again: the same
    figures and lists; an order of other ids is not used."""
    known = linked.lean_board()[0]
    order = [i.id for i in linked.ordered(known.initiatives)]
    alone = linked.overview_data(known)
    given = linked.overview_data(known, order)
    assert given.figures == alone.figures
    assert given.sustain.flagged == alone.sustain.flagged
    assert dict(given.sustain.by_id) == dict(alone.sustain.by_id)
    assert given.initiatives == alone.initiatives
    for wrong in (order[1:], [*order[1:], "someone-else"], [*order[1:], order[1]]):
        assert linked.overview_data(known, wrong).figures == alone.figures


def test_in_board_order_the_figures_are_the_same() -> None:
    from tests.unit.test_portfolio_scoring import TODAY, make, points

    made = [make(n, s) for n, s in [("b", "pilot"), ("A", "validate"), ("a", "pilot")]]
    answers = {i.id: points(n) for n, i in enumerate(made)}
    ordered = sorted(made, key=lambda i: scoring.board_key(i.id, i.stage, i.name))
    assert scoring.overview(ordered, answers, TODAY, in_board_order=True) == scoring.overview(
        made, answers, TODAY
    )


def test_given_the_facts_read_with_the_board_they_are_not_read_again(
    linked: Service,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The board's first whole read hands its sustain facts on (`lean_board`): the same
    figures and lists as reading them, and no second read of them."""
    known, facts = linked.lean_board()
    order = [i.id for i in linked.ordered(known.initiatives)]
    alone = linked.overview_data(known, order)
    reads = service_calls(monkeypatch, "_facts")
    given = linked.overview_data(known, order, facts)
    assert reads == []
    assert given.figures == alone.figures
    assert given.sustain.flagged == alone.sustain.flagged
    assert dict(given.sustain.by_id) == dict(alone.sustain.by_id)
    # without a board of its own, facts handed on alone are not trusted: read afresh
    linked.overview_data(None, None, facts)
    assert len(reads) == 1
