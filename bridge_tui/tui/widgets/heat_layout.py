"""How the heat map fits a terminal: column widths, header labels and the cell shading.

Pure (no Textual): the widths follow from the width available and the longest name, so a
test can check that Total and the four tests stay on screen at 80 columns and that names are
whole when there is room. Every cell carries its own one-space margins (the table draws no
padding), so a shaded cell reads as a block with its number inside.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge_tui import method, scoring
from bridge_tui.tui.widgets import name_fit

#: full header labels (wide layout) and the short ones of a narrow terminal
LABELS: dict[str, str] = {
    "name": "Initiative",
    "stage": "Stage",
    "data": "Data",
    "governance": "Gov",
    "operations": "Ops",
    "security": "Sec",
    "team": "Team",
    "total": "Total",
    "embedded": "Embedded",
    "owned": "Owned",
    "measured": "Measured",
    "maintained": "Maintained",
}
SHORT_LABELS: dict[str, str] = {
    **LABELS,
    "embedded": "Emb",
    "owned": "Own",
    "measured": "Mea",
    "maintained": "Mnt",
}
#: a name column narrower than this is scrolled rather than squeezed further
MIN_NAME = 12
#: the room the short labels need (with the sort mark), and the cells (a margin each side)
_NARROW_MIN = {
    "stage": 7,
    **dict.fromkeys((c.id for c in method.CATEGORIES), 5),
    "total": 7,
    **dict.fromkeys(scoring.HEAT_TEST_COLUMNS, 5),
}


def _wide_min(column: str) -> int:
    if column == "stage":
        return max(len(s.label) for s in method.STAGES) + 2
    return len(LABELS[column]) + 3  # a margin each side and the sort mark


def widths(available: int, longest_name: int) -> tuple[dict[str, int], bool]:
    """Column widths for `available` cells and whether the layout is the narrow one.

    The wide layout (full labels) when every column fits with the longest name whole;
    otherwise the narrow one (short labels), whose name column takes what is left (at least
    `MIN_NAME`: below that the table scrolls sideways, following the cursor). Width left
    over after a whole name goes to the score columns, so the map spans the terminal.
    """
    name_need = longest_name + 2
    wide = {c: _wide_min(c) for c in scoring.HEAT_COLUMNS if c != "name"}
    wide_fits = sum(wide.values()) + max(name_need, len(LABELS["name"]) + 3) <= available
    fixed = wide if wide_fits else dict(_NARROW_MIN)
    narrow = not wide_fits
    rest = available - sum(fixed.values())
    name = max(MIN_NAME, min(rest, max(name_need, len(LABELS["name"]) + 3)))
    out = {"name": name, **fixed}
    spare = available - sum(out.values())
    scores = [c for c in scoring.HEAT_COLUMNS if c not in ("name", "stage")]
    if spare > 0:
        # spread what is left over the score columns, left to right
        each, extra = divmod(spare, len(scores))
        for n, column in enumerate(scores):
            out[column] += each + (1 if n < extra else 0)
    return {c: out[c] for c in scoring.HEAT_COLUMNS}, narrow


def label(column: str, narrow: bool) -> str:
    return (SHORT_LABELS if narrow else LABELS)[column]


def stage_label(stage: str, narrow: bool) -> str:
    full = method.STAGE_BY_ID[stage].label
    return name_fit.short_stage(full) if narrow else full


def fit_name(name: str, width: int, shared: int = 0) -> str:
    """The name in a column of `width` (a space each side), cut where it keeps what tells it
    from names that start alike (`shared`: see `name_fit.shared_prefixes`)."""
    return name_fit.one_line(name, width - 2, shared)


def shade_share(share: float) -> float:
    """How dark a cell is drawn, 0 (lightest) to 1 (darkest), for a share of points met.

    A light-to-dark ramp of one hue, so the map reads by brightness alone (colour-blind
    viewers, a washed-out projector); the floor keeps an empty cell visibly a cell."""
    return 0.12 + 0.78 * min(max(share, 0.0), 1.0)


def result_share(result: bool | None) -> float | None:
    """A test's shade: passing darkest, failing lightest, unanswered unshaded (None)."""
    if result is None:
        return None
    return 1.0 if result else 0.0


def longest(names: Sequence[str]) -> int:
    return max((len(n) for n in names), default=0)
