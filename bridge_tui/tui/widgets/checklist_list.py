"""The answerable list of the checklist screen: items by category, tests, signals, exit conditions.

A line-API OptionList (one option per answer, two lines each), so it stays fast and scrolls on
a small terminal. It draws what the screen sets in `shown` and knows nothing of the store; the
keys that change answers are the screen's.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.reactive import var
from textual.strip import Strip
from textual.widgets.option_list import Option, OptionDoesNotExist

from bridge_tui import method
from bridge_tui.models import Answer
from bridge_tui.scoring import Readiness
from bridge_tui.tui.widgets.kept_lines import KeptLinesOptionList

#: (mark, word, style) per kind of row and answer value
_WORDS: dict[str, dict[str, tuple[str, str, str]]] = {
    "item": {
        "yes": ("✔", "met", "$success"),
        "no": ("✘", "not met", "$error"),
        "unknown": ("·", "unanswered", "$text-muted"),
    },
    "test": {
        "yes": ("✔", "passes", "$success"),
        "no": ("✘", "fails", "$error"),
        "unknown": ("·", "unanswered", "$text-muted"),
    },
    "real": {
        "yes": ("✔", "holds", "$success"),
        "no": ("✘", "missing", "$error"),
        "unknown": ("·", "unanswered", "$text-muted"),
    },
    "false": {
        "yes": ("!", "present", "$warning"),
        "no": ("✔", "absent", "$success"),
        "unknown": ("·", "unanswered", "$text-muted"),
    },
}
_WORD_WIDTH = 14
#: a note's band (`sustain.Band`) -> its style
_NOTE_STYLE = {"warn": "$warning", "pass": "$success", "muted": "$text-muted"}
_NOTE_MARK = {"warn": "⚠ ", "pass": "", "muted": ""}


@dataclass(frozen=True)
class Row:
    key: str
    kind: str
    label: str
    text: str


def _rows_for(stage: str) -> list[tuple[str, list[Row]]]:
    """Groups in screen order: the 20 items by category, then tests, signals, exit conditions."""
    groups: list[tuple[str, list[Row]]] = []
    for cat in method.CATEGORIES:
        groups.append(
            (f"cat:{cat.id}", [Row(i.id, "item", i.id, i.text) for i in method.items_in(cat.id)])
        )
    groups.append(("tests", [Row(t.id, "test", t.label, t.text) for t in method.TESTS]))
    groups.append(("real", [Row(s.id, "real", s.label, s.text) for s in method.REAL_SIGNALS]))
    groups.append(("false", [Row(s.id, "false", s.label, s.text) for s in method.FALSE_SIGNALS]))
    exits = method.exit_conditions_for(stage)
    if exits:
        groups.append(("exits", [Row(e.id, "item", "", e.text) for e in exits]))
    return groups


def _day(answer: Answer) -> str:
    return answer.at.astimezone().strftime("%-d %b %Y") if answer.at else ""


class ChecklistShown(NamedTuple):
    """What the list shows: one initiative's answers at its stage, and its score for the
    group headings.

    `notes` puts a line under a row (answer key -> (text, band)): what the method's later
    rules say beside the person's answer, e.g. stale metrics beside `measured`. `start`:
    highlight that row (another initiative was opened); None keeps the highlighted row (and
    the scroll) when it can."""

    stage: str
    answers: Mapping[str, Answer]
    readiness: Readiness
    stage_label: str
    notes: Mapping[str, tuple[str, str]] = {}
    start: str | None = None


class ChecklistList(KeptLinesOptionList):
    """Every answer of one initiative; the highlighted one is what the keys act on."""

    #: j / k move as on the board, beside the arrows
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="checklist_list.down"),
        Binding("k", "cursor_up", "Up", show=False, id="checklist_list.up"),
    ]

    #: setting it redraws the rows (always: a reload redraws equal answers); when the rows are
    #: the same ones, only their prompts are replaced and the highlight and scroll stay
    shown: var[ChecklistShown | None] = var(None, always_update=True, init=False)
    #: wrap long texts under themselves (wide) or cut them with an ellipsis (narrow); setting
    #: another value redraws the rows
    wrap: var[bool] = var(True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._ids: list[str | None] = []
        self._width = 0

    @property
    def highlighted_key(self) -> str | None:
        option = self.highlighted_option
        if option is None or option.id is None or ":" in option.id or option.disabled:
            return None
        return option.id

    def keys(self) -> list[str]:
        """The answer keys in the order shown."""
        return [i for i in self._ids if i is not None and ":" not in i]

    def go_to(self, key: str) -> None:
        """Highlight the row of answer `key` (scrolled into view)."""
        if key in self.keys():
            self.highlighted = self.get_option_index(key)

    @staticmethod
    def first_unanswered(stage: str, answers: Mapping[str, Answer]) -> str | None:
        """Where a fresh look at an initiative starts: its first row (in screen order) with no
        answer yet, or its first row when every one is answered."""
        keys = [row.key for _, rows in _rows_for(stage) for row in rows]
        for key in keys:
            answer = answers.get(key)
            if answer is None or answer.value == "unknown":
                return key
        return keys[0] if keys else None

    def step(self, delta: int) -> None:
        """The next (or previous) answer row, stopping at either end."""
        keys = self.keys()
        current = self.highlighted_key
        if not keys or current is None:
            return
        at = max(0, min(len(keys) - 1, keys.index(current) + delta))
        self.go_to(keys[at])

    def group_starts(self) -> list[tuple[str, str]]:
        """(group id, its first answer key) for each group, in screen order."""
        out: list[tuple[str, str]] = []
        group = ""
        for option_id in self._ids:
            if option_id is None:
                continue
            if option_id.startswith("hdr:"):
                group = option_id[4:]
            elif group and (not out or out[-1][0] != group):
                out.append((group, option_id))
        return out

    def step_group(self, delta: int) -> str | None:
        """Go to the first row of the next (or previous) group; returns that group's id, or
        None at either end. The group's heading is scrolled into view above the row."""
        starts = self.group_starts()
        current = self.highlighted_key
        if not starts or current is None:
            return None
        keys = self.keys()
        here = keys.index(current)
        mine = max(n for n, (_, first) in enumerate(starts) if keys.index(first) <= here)
        if delta < 0 and keys.index(starts[mine][1]) < here:
            target = mine  # back to the top of this group first
        else:
            target = mine + (1 if delta > 0 else -1)
        if not 0 <= target < len(starts):
            return None
        group, first = starts[target]
        self.go_to(first)
        self.call_after_refresh(self._show_heading, group)
        return group

    def _show_heading(self, group: str) -> None:
        """Scroll the group's heading to the top (its first row sits just under it)."""
        self._update_lines()
        try:
            y = self._index_to_line[self.get_option_index(f"hdr:{group}")]
        except (KeyError, OptionDoesNotExist):
            return
        self.scroll_to(y=y, animate=False, immediate=True)
        self.scroll_to_highlight()

    def matches(self, needle: str) -> list[str]:
        """Answer keys whose row mentions `needle` (case-insensitive): its id, label, text,
        the answer's note and who gave it."""
        needle = needle.casefold().strip()
        if not needle or self.shown is None:
            return []
        stage, answers = self.shown.stage, self.shown.answers
        found: list[str] = []
        for _, rows in _rows_for(stage):
            for row in rows:
                answer = answers.get(row.key)
                extra = f"{answer.note} {answer.by}" if answer is not None else ""
                hay = f"{row.key} {row.label} {row.text} {extra}".casefold()
                if needle in hay:
                    found.append(row.key)
        return found

    def watch_shown(self, shown: ChecklistShown | None) -> None:
        if shown is not None:
            self._draw(*shown)

    def _draw(
        self,
        stage: str,
        answers: Mapping[str, Answer],
        readiness: Readiness,
        stage_label: str,
        notes: Mapping[str, tuple[str, str]],
        start: str | None,
    ) -> None:
        """Redraw for fresh answers, keeping the highlighted row (and scroll) when it can;
        `start`: highlight that row instead."""
        self._width = self.scrollable_content_region.width
        options: list[Option | None] = []
        for group, rows in _rows_for(stage):
            if options:
                options.append(None)
            options.append(
                Option(
                    self._header(group, readiness, stage_label), id=f"hdr:{group}", disabled=True
                )
            )
            for row in rows:
                prompt = self._prompt(row, answers.get(row.key))
                if row.key in notes:
                    prompt = Content.assemble(prompt, "\n", self._note(*notes[row.key]))
                options.append(Option(prompt, id=row.key))
        ids = [o.id if o is not None else None for o in options]
        if ids == self._ids:
            self.update_prompts(
                (o.id, o.prompt)
                for o in options
                if o is not None and o.id is not None and isinstance(o.prompt, Content)
            )
            if start is not None:
                self._start_at(start)
            return
        keep = start or self.highlighted_key
        self._ids = ids
        self.set_options(options)
        self.scrollbar_ahead()
        target = keep if keep in self.keys() else (self.keys()[0] if self.keys() else None)
        if target is not None:
            self.highlighted = self.get_option_index(target)
            if start is not None:
                self._start_at(start)

    def _start_at(self, key: str) -> None:
        """A fresh start: the row highlighted, with its group heading in view when it can."""
        self.go_to(key)
        group = next((g for g, first in self.group_starts() if first == key), None)
        if group is not None:
            self.call_after_refresh(self._show_heading, group)
        else:
            self.call_after_refresh(self.scroll_to_highlight)

    def watch_wrap(self) -> None:
        self._redraw()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows are laid out for the list's width. The screen first sets them before the
        list has one (as it opens): they are laid out again here, before the first frame, not
        after it on the Resize event (a first frame of rows laid out for no width)."""
        if self.scrollable_content_region.width != self._width:
            self._redraw()
        return super().render_lines(crop)

    def on_resize(self) -> None:
        # laid out for the new width as it drew (`render_lines`), before this event; the list
        # shrinks when the panels take the focus: keep the highlighted row in view
        self.call_after_refresh(self.scroll_to_highlight)

    def _redraw(self) -> None:
        """The same answers again at a new width or wrapping; the highlight stays."""
        if self.shown is not None:
            self._draw(*self.shown._replace(start=None))

    def _header(self, group: str, readiness: Readiness, stage_label: str) -> Content:
        if group.startswith("cat:"):
            cat = method.CATEGORY_BY_ID[group[4:]]
            score = readiness.category(cat.id)
            weak = cat.id in readiness.weakest
            return Content.assemble(
                (cat.label.upper(), "bold"),
                (f"  {score.met}/{score.max} met", "$text-muted"),
                ("  ◀ weakest" if weak else "", "$warning bold"),
            )
        titles = {
            "tests": ("THE FOUR INFRASTRUCTURE TESTS", "all four make it real infrastructure"),
            "real": ("READY TO SCALE: REAL SIGNALS", "all four are needed"),
            "false": ("FALSE SIGNALS", "they look like readiness and are not"),
            "exits": (f"EXIT CONDITIONS OF {stage_label.upper()}", "needed to move on"),
        }
        if group == "exits" and stage_label == method.STAGE_BY_ID[method.INFRASTRUCTURE].label:
            titles["exits"] = (
                "OPTIMIZE: EXIT CONDITIONS OF INFRASTRUCTURE",
                "both met: it is optimising, not only running",
            )
        title, hint = titles[group]
        return Content.assemble((title, "bold"), (f"  {hint}", "$text-muted"))

    def _note(self, text: str, band: str) -> Content:
        """A line under a row, in the band's colour, wrapped under the answer's text."""
        indent = " " * _WORD_WIDTH
        line = _NOTE_MARK.get(band, "") + text
        line = self._hang(line, self._width - _WORD_WIDTH - 1, _WORD_WIDTH)
        return Content.assemble(indent, (line, _NOTE_STYLE.get(band, "$text-muted")))

    def _hang(self, text: str, room: int, lead: int) -> str:
        """Wrap under the text's own start (a hanging indent) when wrapping is on."""
        if not self.wrap or room < 20 or len(text) <= room:
            return text
        first, *rest = textwrap.wrap(text, room, break_on_hyphens=False)
        more = textwrap.wrap(" ".join(rest), self._width - lead - 1, break_on_hyphens=False)
        hang = "\n" + " " * lead
        return first + "".join(hang + line for line in more)

    def _prompt(self, row: Row, answer: Answer | None) -> Content:
        value = answer.value if answer is not None else "unknown"
        mark, word, style = _WORDS[row.kind][value]
        label = f"{row.label}  " if row.kind == "item" and row.label else ""
        head = f"{row.label}: " if row.kind != "item" else ""
        indent = " " * _WORD_WIDTH
        lead = _WORD_WIDTH + len(label)
        text = self._hang(row.text, self._width - lead - len(head) - 1, lead)
        first = Content.assemble(
            (f"{mark} {word:<{_WORD_WIDTH - 2}}", style),
            (label, "bold"),
            (head, "bold"),
            text,
        )
        if answer is None or (answer.value == "unknown" and not answer.note and not answer.by):
            detail = Content.styled(f"{indent}not answered yet", "$text-muted")
        elif answer.value == "unknown" and not answer.note:
            # someone chose "unanswered" (or cleared an answer): say who and when
            when = _day(answer)
            detail = Content.styled(
                f"{indent}marked unanswered by {answer.by}" + (f", {when}" if when else ""),
                "$text-muted",
            )
        else:
            who = answer.by or "someone"
            when = _day(answer)
            stamp = f"{who}, {when}" if when else who
            if answer.note:
                note = f"“{answer.note}”"
                note = self._hang(note, self._width - _WORD_WIDTH - 1, _WORD_WIDTH)
                detail = Content.assemble(
                    indent,
                    (note, "italic"),
                    (f"  {stamp}", "$text-muted"),
                )
            else:
                detail = Content.assemble(
                    indent, ("no evidence note", "$text-muted"), (f"  {stamp}", "$text-muted")
                )
        return Content.assemble(first, "\n", detail)
