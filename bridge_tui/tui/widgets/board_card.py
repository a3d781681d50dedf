"""How one card on the board reads, as plain pieces of text with a style name each.

The column widget turns the pieces into strips; keeping the layout here (no Textual) lets the
column know a card's height from its flags alone, so 10,000 cards lay out without being scored:
the score is computed only for the cards on screen. The screen computes the flags (`flags`),
cheaply, from what it loaded: purgatory days from the stage histories, the forced mark only for
initiatives that carry a forced reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len

from bridge_tui import method, scoring
from bridge_tui.tui.widgets import name_fit
from bridge_tui.tui.widgets.name_fit import fit

if TYPE_CHECKING:
    from bridge_tui.board_model import Shown

#: (text, style name) pieces of one line; the style names are the column's component classes
Piece = tuple[str, str]
Line = list[Piece]

MARKS = {True: "✓", False: "✗", None: "·"}
MARK_STYLE = {True: "test-yes", False: "test-no", None: "test-unknown"}
NO_OWNER = "⚠ no owner"


def wrap2(text: str, width: int, shared: int = 0) -> list[str]:
    """One line, or two when it does not fit: the first words, then the last words.

    A name too long for two lines keeps its start and its end ("Document extraction" /
    "…bills of lading"), or, when it shares more than its first line with another name
    (`shared` leading characters), the words from where it differs (`name_fit.two_lines`).
    """
    return name_fit.two_lines(text, width, shared)


def flags(
    initiative: Shown,
    today: date,
    extra: Sequence[str] = (),
    *,
    purgatory_days: int = 0,
    forced: bool = False,
) -> list[str]:
    """The warnings a card carries, most urgent first. `extra` are the sustain flags the screen
    worked out (`sustain.card_flags`); `purgatory_days`: its days in Pilot and Validate
    together (`scoring.purgatory_days`); `forced`: its forced mark holds (`scoring.forced_mark`).
    The purgatory flag says its count when that differs from the days in the stage the card
    shows first."""
    out: list[str] = []
    if scoring.purgatory_flag(purgatory_days):
        days = scoring.days_in_stage(initiative, today)
        out.append("purgatory" if purgatory_days == days else f"purgatory {purgatory_days}d")
    if scoring.review_overdue(initiative, today):
        out.append("review overdue")
    if forced:
        out.append("forced")
    out += extra
    if initiative.blockers and initiative.stage != method.KILLED:
        n = len(initiative.blockers)
        out.append(f"{n} blocker{'s' if n > 1 else ''}")
    return out


def card_flags(card: scoring.Card, today: date, extra: Sequence[str] = ()) -> list[str]:
    """`flags` of a scored card (`extra`: its sustain flags)."""
    return flags(
        card.initiative, today, extra, purgatory_days=card.purgatory_days, forced=card.forced
    )


def _status_tokens(initiative: Shown, today: date, card_flags: Sequence[str]) -> list[Piece]:
    days = scoring.days_in_stage(initiative, today)
    return [(f"{days}d", "muted")] + [(f, "flag") for f in card_flags]


def _status_lines(
    initiative: Shown, today: date, width: int, card_flags: Sequence[str]
) -> list[Line]:
    """Days in stage, then the flags, wrapped word-token by token (never cut mid-flag)."""
    lines: list[Line] = [[]]
    used = 0
    for text, style in _status_tokens(initiative, today, card_flags):
        size = cell_len(text)
        if lines[-1] and used + 1 + size > width:
            lines.append([])
            used = 0
        if lines[-1]:
            lines[-1].append((" ", "muted"))
            used += 1
        lines[-1].append((text, style))
        used += size
    return [_clip(line, width) for line in lines]


#: the fewest rows a card takes: its name, its owner, its score and tests, its status line
#: and the blank row after it (`height` of a short name with no flags)
MIN_ROWS = 5


def height(initiative: Shown, today: date, width: int, card_flags: Sequence[str]) -> int:
    """Rows the card takes at `width` (text width), including the blank row after it;
    `card_flags` are its `flags`.

    Called for every card on every layout, so it counts instead of building the lines.
    """
    name = 1 if len(initiative.name) <= width or width < 4 else 2
    status = 1
    used = len(str(scoring.days_in_stage(initiative, today))) + 1
    for flag in card_flags:
        if used + 1 + len(flag) > width:
            status += 1
            used = len(flag)
        else:
            used += 1 + len(flag)
    return name + 1 + 1 + status + 1  # MIN_ROWS when name and status take a row each


def _clip(line: Line, width: int) -> Line:
    out: Line = []
    used = 0
    for text, style in line:
        room = width - used
        if room <= 0:
            break
        piece = fit(text, room) if cell_len(text) > room else text
        out.append((piece, style))
        used += cell_len(piece)
        if piece != text:
            break
    return out


def lines(
    card: scoring.Card,
    today: date,
    width: int,
    extra: Sequence[str] = (),
    *,
    flags: Sequence[str] | None = None,
    shared: int = 0,
) -> list[Line]:
    """The card's rows (without the blank row after it); as many as `height` says minus one.
    `extra`: its sustain flags; `flags`: all its flags when the caller has them already."""
    i = card.initiative
    rows: list[Line] = []
    if len(i.name) <= width or width < 4:
        name_lines = [fit(i.name, width)]
    else:
        name_lines = wrap2(i.name, width, shared)
        if len(name_lines) == 1:
            name_lines.append("")
    rows += [[(n, "name")] for n in name_lines]
    if i.owner:
        rows.append([(fit(i.owner, width), "owner")])
    else:
        rows.append([(fit(NO_OWNER, width), "no-owner")])
    r = card.readiness
    metrics: Line = [(f"{r.total}/{r.max}", "pass" if r.passing else "fail"), (" ", "muted")]
    for test in method.TESTS:
        v = card.tests[test.id]
        metrics.append((MARKS[v], MARK_STYLE[v]))
    rows.append(_clip(metrics, width))
    shown = card_flags(card, today, extra) if flags is None else flags
    rows += _status_lines(i, today, width, shown)
    return rows
