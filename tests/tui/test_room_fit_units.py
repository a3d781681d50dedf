"""Issue 12, pure parts: names cut so similar ones stay apart, the heat map's and History's
column widths, the plan's "N more" count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge_tui import scoring
from bridge_tui.tui.widgets import heat_layout, history_layout, name_fit
from bridge_tui.tui.widgets.plan_month import more_text, out_of_view

DOCS = [
    "Document extraction: proof of delivery",
    "Document extraction: bills of lading",
    "Document extraction: customs declarations",
]
OTHERS = ["Dispatch routing", "Customer service assistant", "Fleet maintenance prediction"]


def test_shared_prefixes_measure_the_closest_other_name() -> None:
    shared = name_fit.shared_prefixes([*DOCS, *OTHERS])
    assert all(shared[d] == len("Document extraction: ") for d in DOCS)
    assert shared["Dispatch routing"] == 1  # "D" of Document
    assert shared["Fleet maintenance prediction"] == 0


def _closest_by_hand(names: list[str]) -> dict[str, int]:
    """The definition, one character at a time against every other name."""

    def common(a: str, b: str) -> int:
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    return {a: max((common(a, b) for b in set(names) if b != a), default=0) for a in names}


@given(st.lists(st.text(alphabet="ab c:é", max_size=12), max_size=12))
def test_shared_prefixes_equal_the_definition(names: list[str]) -> None:
    assert name_fit.shared_prefixes(names) == _closest_by_hand(names)


def test_shared_prefixes_of_no_name_and_of_one() -> None:
    assert name_fit.shared_prefixes([]) == {}
    assert name_fit.shared_prefixes(["Only", "Only"]) == {"Only": 0}


@pytest.mark.parametrize("width", range(8, 40))
def test_similar_names_stay_distinguishable_on_one_line(width: int) -> None:
    shared = name_fit.shared_prefixes(DOCS)
    texts = [name_fit.one_line(n, width, shared[n]) for n in DOCS]
    assert len(set(texts)) == len(DOCS), texts
    assert all(len(t) <= width for t in texts)


@pytest.mark.parametrize("width", range(6, 40))
def test_similar_names_stay_distinguishable_on_two_lines(width: int) -> None:
    shared = name_fit.shared_prefixes(DOCS)
    texts = [tuple(name_fit.two_lines(n, width, shared[n])) for n in DOCS]
    assert len(set(texts)) == len(DOCS), texts
    assert all(len(line) <= width for t in texts for line in t)


def test_the_issue_case_reads_the_differing_words() -> None:
    """At the board's 80-column width the three cards read their own words, not all
    "Document …of delivery"."""
    shared = name_fit.shared_prefixes(DOCS)
    lines = {n: name_fit.two_lines(n, 14, shared[n]) for n in DOCS}
    assert lines[DOCS[0]] == ["Document", "…proof of del…"]
    assert lines[DOCS[1]] == ["Document", "…bills of lad…"]
    assert lines[DOCS[2]] == ["Document", "…customs decl…"]
    # a name alone keeps its start and its end, as before
    assert name_fit.two_lines(DOCS[1], 14) == ["Document", "…of lading"]


def test_names_that_fit_are_whole() -> None:
    assert name_fit.one_line("Dispatch routing", 16, 1) == "Dispatch routing"
    assert name_fit.two_lines("Dispatch routing", 10) == ["Dispatch", "routing"]
    assert name_fit.one_line("Dispatch routing", 10, 1) == "Dispatch …"


words = st.sampled_from(["data", "pipeline", "alpha", "beta", "v2", "team", "ops", "east"])


@given(
    prefix=st.lists(words, min_size=1, max_size=4),
    tails=st.lists(st.lists(words, min_size=1, max_size=3), min_size=2, max_size=4),
    width=st.integers(min_value=12, max_value=30),
)
def test_names_with_a_common_start_and_different_next_words_differ(
    prefix: list[str], tails: list[list[str]], width: int
) -> None:
    """Names sharing a long start and differing in their next word (the common case: "X:
    a", "X: b") never read the same, on one line or two."""
    firsts = {t[0] for t in tails}
    if len(firsts) != len(tails):
        return  # the property is about names whose next words differ
    names = [" ".join(prefix + t) for t in tails]
    shared = name_fit.shared_prefixes(names)
    one = {name_fit.one_line(n, width, shared[n]) for n in names}
    two = {tuple(name_fit.two_lines(n, width, shared[n])) for n in names}
    assert len(one) == len(names)
    assert len(two) == len(names)


def test_short_stage_names() -> None:
    assert name_fit.short_stage("Infrastructure") == "Infra"
    assert name_fit.short_stage("Productionize") == "Prod"
    assert name_fit.short_stage("anything else") == "anything else"


# heat map ---------------------------------------------------------------------------------


def test_heat_map_at_80_columns_keeps_total_and_the_tests() -> None:
    available = 80 - 2 - 2  # the border, the scrollbar
    widths, narrow = heat_layout.widths(available, 41)
    assert narrow
    assert sum(widths.values()) <= available
    assert list(widths) == list(scoring.HEAT_COLUMNS)
    assert widths["name"] >= heat_layout.MIN_NAME
    for column in ("total", *scoring.HEAT_TEST_COLUMNS):
        assert widths[column] >= len(heat_layout.label(column, True)) + 1  # + the sort mark


def test_heat_map_at_160_columns_shows_whole_names_and_uses_the_width() -> None:
    available = 160 - 2 - 2
    widths, narrow = heat_layout.widths(available, 41)
    assert not narrow
    assert widths["name"] >= 41 + 2
    assert sum(widths.values()) == available  # spans the terminal
    assert heat_layout.stage_label("infrastructure", narrow) == "Infrastructure"
    assert heat_layout.stage_label("infrastructure", True) == "Infra"


def test_heat_map_too_narrow_scrolls_rather_than_squeezing_names() -> None:
    widths, _ = heat_layout.widths(40, 41)
    assert widths["name"] == heat_layout.MIN_NAME
    assert sum(widths.values()) > 40


def test_heat_shades_run_light_to_dark() -> None:
    levels = [heat_layout.shade_share(s / 4) for s in range(5)]
    assert levels == sorted(levels) and len(set(levels)) == 5
    assert levels[0] > 0 and levels[-1] <= 1
    assert heat_layout.result_share(None) is None
    assert heat_layout.result_share(True) == 1.0 and heat_layout.result_share(False) == 0.0


# history ----------------------------------------------------------------------------------

LONGEST = {"who": 10, "initiative": 41, "what": 90, "from": 40, "to": 40}


@pytest.mark.parametrize("with_initiative", [True, False])
def test_history_at_80_keeps_from_and_to(with_initiative: bool) -> None:
    available = 80 - 2
    widths = history_layout.widths(available, LONGEST, with_initiative=with_initiative)
    assert ("initiative" in widths) is with_initiative
    assert widths["from"] >= 6 and widths["to"] >= 6
    assert sum(widths.values()) + 2 * len(widths) <= available


def test_history_description_takes_the_rest() -> None:
    narrow = history_layout.widths(100, LONGEST, with_initiative=False)
    wide = history_layout.widths(160, LONGEST, with_initiative=False)
    assert wide["what"] > narrow["what"]
    assert sum(wide.values()) + 2 * len(wide) == 160


def test_history_short_values_leave_room_for_whole_names() -> None:
    longest = {"who": 5, "initiative": 28, "what": 30, "from": 8, "to": 8}
    widths = history_layout.widths(160, longest, with_initiative=True)
    assert widths["initiative"] >= 28


# plan -------------------------------------------------------------------------------------


def test_out_of_view_counts_rows_not_wholly_shown() -> None:
    assert out_of_view([1, 1, 1, 1], 0, 4) == (0, 0)
    assert out_of_view([1, 1, 1, 1, 1, 1], 0, 2) == (0, 4)
    assert out_of_view([1, 2, 1, 1], 1, 2) == (1, 2)  # the two-line row shows whole
    assert out_of_view([2, 2], 0, 3) == (0, 1)  # half a row is not shown
    assert more_text(0, 4) == "↓ 4 more"
    assert more_text(2, 1) == "↑ 2 ↓ 1 more"
    assert more_text(0, 0) == ""
