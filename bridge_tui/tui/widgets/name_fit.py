"""Names cut to fit a narrow column, keeping the part that tells similar names apart.

Pure (no Textual). Three cards "Document extraction: proof of delivery", "...: bills of
lading" and "...: customs declarations" must not all read "Document extra…": each name is
cut knowing how many of its first characters it shares with another name (`shared_prefixes`),
and when that shared start would fill the room, the text jumps ("…") to the word where it
differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from rich.cells import cell_len

ELLIPSIS = "…"
#: stage names where the full one does not fit (a narrow column header, the heat map)
SHORT_STAGES: dict[str, str] = {
    "Experiment": "Exp",
    "Pilot": "Pilot",
    "Validate": "Valid",
    "Productionize": "Prod",
    "Infrastructure": "Infra",
    "Killed": "Killed",
}


def short_stage(label: str) -> str:
    """A stage's label, shortened ("Infrastructure" -> "Infra"); other text as it is."""
    return SHORT_STAGES.get(label, label)


def _common(a: str, b: str) -> int:
    """How many leading characters `a` and `b` share: a binary search over slices, which
    compares in C instead of one character at a time (names at 10,000 share long starts)."""
    if a[:1] != b[:1]:
        return 0
    hi = min(len(a), len(b))
    if a[:hi] == b[:hi]:
        return hi
    lo = 1  # a[:lo] == b[:lo] and a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def shared_prefixes(names: Sequence[str]) -> dict[str, int]:
    """For each name, how many leading characters it shares with its closest other name
    (0 when none starts alike). Sorting puts the closest next to it: O(n log n), and each
    neighbouring pair is compared once."""
    ordered = sorted(set(names))
    if not ordered:
        return {}
    between = [_common(a, b) for a, b in pairwise(ordered)]
    before = [0, *between]
    after = [*between, 0]
    return {name: max(b, a) for name, b, a in zip(ordered, before, after, strict=True)}


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, ending in an ellipsis when it had to be cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + ELLIPSIS


def _differing_word(name: str, shared: int, room: int) -> int:
    """Where to start showing `name` so its first differing character (at `shared`) is in
    view: the start of that word, unless the word is too long for `room`."""
    start = name.rfind(" ", 0, shared) + 1
    if shared - start > max(room // 2, 1):
        start = max(shared - max(room // 2, 1), 0)
    return start


def one_line(name: str, width: int, shared: int = 0) -> str:
    """`name` in `width` cells on one line. Cut at the end when its first `shared`
    characters (what it has in common with another name) leave the difference in view;
    otherwise a short head, an ellipsis, and the text from the word where it differs."""
    if cell_len(name) <= width or width < 6:
        return fit(name, width)
    if shared < width - 1:
        return fit(name, width)
    first = name.split(" ", 1)[0]
    head = fit(first, max(3, width // 3) + 1).rstrip(ELLIPSIS)[: max(3, width // 3)]
    room = width - cell_len(head) - 1
    start = _differing_word(name, shared, room)
    return head + ELLIPSIS + fit(name[start:], room)


def two_lines(name: str, width: int, shared: int = 0) -> list[str]:
    """One line, or two when it does not fit: the first words, then the rest. A rest too
    long for the second line shows its end ("…bills of lading"), or, when the name shares
    more than its first line with another name, the text from the word where it differs."""
    if cell_len(name) <= width or width < 4:
        return [fit(name, width)]
    words = name.split()
    first = ""
    rest_at = 0
    for n, word in enumerate(words):
        candidate = f"{first} {word}" if first else word
        if cell_len(candidate) > width:
            break
        first = candidate
        rest_at = n + 1
    if not first:  # one very long first word: hard cut
        first = fit(name, width + 1)[:width]
        rest = name[len(first) :].strip()
    else:
        rest = " ".join(words[rest_at:])
    if cell_len(rest) <= width:
        return [first, rest]
    if shared >= len(first):
        start = max(_differing_word(name, shared, width - 1), len(first))
        return [first, ELLIPSIS + fit(name[start:].strip(), width - 1)]
    tail = ""
    for word in reversed(rest.split()):
        candidate = f"{word} {tail}" if tail else word
        if cell_len(candidate) > width - 1:
            break
        tail = candidate
    if not tail:
        return [first, fit(rest, width)]
    return [first, ELLIPSIS + tail]
