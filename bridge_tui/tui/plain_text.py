"""The last line of defence between a file's text and the terminal: no control character out.

Every widget's lines pass through the app's line filters before they are written. Text typed
into bridge cannot hold control characters (the models refuse them), but an old or foreign file
may: an ESC in a name would otherwise reach the terminal as a command (retitle it, clear it).
Control characters take no cell on screen, so removing them never moves anything.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from bridge_tui.text import CONTROL, strip_controls


class ControlFilter(LineFilter):
    """Removes control characters (Unicode Cc) from every rendered segment."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        search = CONTROL.search
        if not any(search(segment.text) for segment in segments):
            return segments
        out: list[Segment] = []
        for segment in segments:
            text, style, control = segment
            out.append(Segment(strip_controls(text), style, control) if search(text) else segment)
        return out
