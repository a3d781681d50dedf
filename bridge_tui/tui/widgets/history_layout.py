"""How the History table fits a terminal: which columns, how wide. Pure (no Textual).

The description of the change ("What") takes whatever the others leave; the others are as
wide as their longest value, within a share of the width, so From and To stay on screen at 80
columns. A per-initiative view leaves out the Initiative column (the line above names it).
"""

from __future__ import annotations

from collections.abc import Mapping

#: the When column: "2026-11-01 16:19" or "16:19 today"
WHEN = 16
#: the least the description gets before the other columns give way
MIN_WHAT = 12
#: the share of the room (1/n) each capped column may take at most
_SHARE = {"who": 8, "initiative": 6, "from": 7, "to": 7}
_FLOOR = {"who": 4, "initiative": 10, "from": 6, "to": 6}
LABELS = {
    "when": "When",
    "who": "Who",
    "initiative": "Initiative",
    "what": "What",
    "from": "From",
    "to": "To",
}


def columns(with_initiative: bool) -> tuple[str, ...]:
    if with_initiative:
        return ("when", "who", "initiative", "what", "from", "to")
    return ("when", "who", "what", "from", "to")


def widths(
    available: int, longest: Mapping[str, int], *, with_initiative: bool, padding: int = 2
) -> dict[str, int]:
    """Content widths for `available` cells; `longest`: the longest value of each column
    (the header counts too); `padding`: the cells the table adds around each column."""
    cols = columns(with_initiative)
    room = max(available - padding * len(cols), 0)
    out: dict[str, int] = {"when": WHEN}
    for col in cols:
        if col in ("when", "what"):
            continue
        need = max(longest.get(col, 0), len(LABELS[col]))
        out[col] = max(_FLOOR[col], min(need, room // _SHARE[col]))
    # room beyond what the longest description needs widens the capped columns to whole
    extra = room - sum(out.values()) - max(longest.get("what", 0), MIN_WHAT)
    for col in ("initiative", "from", "to", "who"):
        if col in out and extra > 0:
            need = max(longest.get(col, 0), len(LABELS[col]))
            grow = min(max(need - out[col], 0), extra)
            out[col] += grow
            extra -= grow
    out["what"] = max(MIN_WHAT, room - sum(out.values()))
    return {c: out[c] for c in cols}
