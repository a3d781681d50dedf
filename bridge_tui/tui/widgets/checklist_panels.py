"""The checklist screen's side panels: the score, readiness to scale, and the next gate.

Dumb widgets: each gets the results `scoring` computed and draws them; the band (pass / fail /
warn) becomes a CSS class so colours stay in the stylesheet. What a panel shows is a `var`:
the screen sets it and the panel redraws through its watcher, whose `update` also lays it out
again (the number of lines follows the data), even when the data is unchanged (a reload).
"""

from __future__ import annotations

import textwrap
from typing import NamedTuple

from textual.content import Content
from textual.geometry import Size
from textual.reactive import var
from textual.widgets import Static

from bridge_tui import method, scoring, sustain
from bridge_tui.models import Initiative
from bridge_tui.tui.widgets.fitted import FittedStatic

ContentPart = Content | str | tuple[str, str]

_BANDS = ("-pass", "-fail", "-warn")
_TEST_MARK: dict[bool | None, tuple[str, str]] = {
    True: ("✔", "$success"),
    False: ("✘", "$error"),
    None: ("·", "$text-muted"),
}


def _set_band(widget: Static, band: str) -> None:
    """Swap the band class only when it changes: each class change restyles the widget."""
    wanted = f"-{band}"
    if widget.has_class(wanted):
        return
    widget.remove_class(*_BANDS)
    widget.add_class(wanted)


def category_bar(score: scoring.CategoryScore) -> list[ContentPart]:
    """Two cells per point: met, then not met, then unanswered (kept apart, as in the count)."""
    not_answered = score.unanswered
    missed = score.max - score.met - not_answered
    return [
        ("██" * score.met, "$success"),
        ("██" * missed, "$error"),
        ("░░" * not_answered, "$text-muted"),
    ]


class ScorePanel(FittedStatic):
    """Total against the pass line, one bar per category, the three weakest areas."""

    DEFAULT_CSS = "ScorePanel { height: auto; }"

    #: setting it redraws the panel (its watcher's `update` lays it out again)
    readiness: var[scoring.Readiness | None] = var(None, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)

    def watch_readiness(self, r: scoring.Readiness | None) -> None:
        if r is None:
            return
        _set_band(self, r.band)
        verdict = (
            ("passes the line", "$success bold") if r.passing else ("below the line", "$error bold")
        )
        parts: list[ContentPart] = [
            ("Readiness ", "bold"),
            (f"{r.total}/{r.max}", "bold reverse" if r.passing else "bold"),
            f"  pass line {r.threshold} · ",
            verdict,
            "\n",
            (f"{r.not_met} not met", "$error" if r.not_met else "$text-muted"),
            " · ",
            (f"{r.unanswered} unanswered", "$warning" if r.unanswered else "$text-muted"),
        ]
        label_width = max(len(c.label) for c in method.CATEGORIES)
        for c in r.categories:
            cat = method.CATEGORY_BY_ID[c.id]
            weak = c.id in r.weakest
            parts += [
                "\n",
                (f"{cat.label:<{label_width}} ", "$warning bold" if weak else ""),
                *category_bar(c),
                " " * (2 * (5 - c.max) + 1),
                (f"{c.met}/{c.max}", "bold"),
                ("  weakest" if weak else "", "$warning"),
            ]
        weakest = ", ".join(method.CATEGORY_BY_ID[w].label.lower() for w in r.weakest)
        if weakest:
            parts += ["\n", ("Weakest areas: ", "bold"), (weakest, "$warning")]
        else:
            parts += ["\n", ("Weakest areas: ", "bold"), ("none, every area at full marks", "")]
        self.fit(Content.assemble(*parts))


class ScaleShown(NamedTuple):
    """What the scale panel shows. `owner_note`: why `owned` / `operational_owner` do not hold
    although answered yes."""

    tests: dict[str, bool | None]
    stage_three: bool
    verdict: scoring.ScaleVerdict
    evidence: scoring.MetricEvidence
    stable_answer: str
    owner_note: str = ""


class ScalePanel(FittedStatic):
    """The four tests, the scale verdict in plain words, and what the metrics say about it."""

    DEFAULT_CSS = "ScalePanel { height: auto; }"

    #: setting it redraws the panel (its watcher's `update` lays it out again)
    shown: var[ScaleShown | None] = var(None, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)

    @property
    def verdict(self) -> scoring.ScaleVerdict | None:
        return self.shown.verdict if self.shown is not None else None

    def watch_shown(self, shown: ScaleShown | None) -> None:
        if shown is None:
            return
        tests, stage_three, verdict, evidence, stable_answer, owner_note = shown
        _set_band(self, verdict.band)
        parts: list[ContentPart] = [("Infrastructure tests", "bold")]
        width = max(len(t.label) for t in method.TESTS) + 4
        for n, t in enumerate(method.TESTS):
            mark, style = _TEST_MARK[tests.get(t.id)]
            word = {True: "passes", False: "fails", None: "unanswered"}[tests.get(t.id)]
            parts += ["\n" if n % 2 == 0 else "", (f"{mark} ", style), f"{t.label} "]
            parts.append((f"{word:<{width + 2}}" if n % 2 == 0 else word, "$text-muted"))
        if owner_note:
            parts += ["\n", (f"Owned does not hold: {owner_note}.", "$warning")]
        if stage_three:
            parts += [
                "\n",
                ("Real infrastructure: in the last stage and all four tests pass.", "$success"),
            ]
        verdict_style = {"pass": "$success", "warn": "$warning", "fail": "$error"}[verdict.band]
        parts += ["\n", ("Ready to scale? ", "bold"), (verdict.sentence(), verdict_style)]
        if evidence.stable:
            names = ", ".join(evidence.stable)
            line = (
                f"Metrics back stable performance: {names} at or above target "
                f"for the last {method.STABLE_READINGS} readings."
            )
            parts += ["\n", (line, "$success")]
        elif stable_answer == "yes":
            line = (
                "Stable performance is marked met, but no metric shows "
                f"{method.STABLE_READINGS} readings at target yet."
            )
            parts += ["\n", (line, "$warning")]
        if evidence.stalled_adoption:
            names = ", ".join(evidence.stalled_adoption)
            line = (
                f"Warning: {names} stays under {method.ADOPTION_FLOOR:g} percent, the usual "
                "sign of missing change management."
            )
            parts += ["\n", (line, "$warning")]
        self.fit(Content.assemble(*parts))


class GateShown(NamedTuple):
    """What the gate panel shows. `forced_reason`: the forced mark, while the gates into its
    stage are unmet; `optimise_missing`: the Optimize exit conditions an Infrastructure
    initiative still needs (`sustain.optimise_missing`)."""

    initiative: Initiative
    check: scoring.GateCheck | None
    stage_three: bool
    forced_reason: str = ""
    optimise_missing: tuple[str, ...] = ()


class GatePanel(FittedStatic):
    """The next gate: what moving forward still needs, live as answers change."""

    DEFAULT_CSS = "GatePanel { height: auto; }"

    #: setting it redraws the panel (its watcher's `update` lays it out again)
    shown: var[GateShown | None] = var(None, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        #: the width the requirements were wrapped at
        self._hung_at = 0

    @property
    def check(self) -> scoring.GateCheck | None:
        return self.shown.check if self.shown is not None else None

    def on_resize(self) -> None:
        """The requirements wrap at the panel's width: a new width draws them again."""
        if self.shown is not None and self.content_region.width != self._hung_at:
            self.watch_shown(self.shown)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The layout asks the height at the width it gives the panel: the requirements are
        wrapped at that width first. The screen fills the panel as it opens, before it has a
        width: its first frame shows them wrapped as they settle (they were wrapped for no
        width, then again after the Resize, and the screen laid out once more)."""
        if self.shown is not None and width > 0 and width != self._hung_at:
            self.update(self._drawn(self.shown, width), layout=False)
        return super().get_content_height(container, viewport, width)

    @staticmethod
    def _hang(text: str, width: int) -> str:
        """Wrap a requirement under its own first word, after the two-cell mark."""
        room = width - 2
        if room < 20 or len(text) <= room:
            return text
        return "\n  ".join(textwrap.wrap(text, room, break_on_hyphens=False))

    def watch_shown(self, shown: GateShown | None) -> None:
        if shown is not None:
            self.fit(self._drawn(shown, self.content_region.width))

    def _drawn(self, shown: GateShown, width: int) -> Content:
        """What the panel shows, its requirements wrapped at `width`."""
        initiative, check, stage_three, forced_reason, optimise_missing = shown
        self._hung_at = width
        stage = method.STAGE_BY_ID[initiative.stage]
        if initiative.stage == method.KILLED:
            _set_band(self, "warn")
            reason = initiative.kill_reason or "no reason recorded"
            parts: list[ContentPart] = [
                ("Killed: ", "bold"),
                reason,
                "\n",
                ("Reviving it from the board puts it back in Experiment.", "$text-muted"),
            ]
        elif check is None:
            _set_band(self, "pass" if stage_three else "warn")
            parts = [("Last stage: ", "bold"), stage.label]
            if stage_three:
                parts += ["\n", ("It counts as real infrastructure.", "$success")]
            else:
                parts += [
                    "\n",
                    ("Not real infrastructure until all four tests pass.", "$warning"),
                ]
            if initiative.stage == method.INFRASTRUCTURE:
                if optimise_missing:
                    needs = ", ".join(sustain.condition_words(k) for k in optimise_missing)
                    parts += ["\n", (f"Not yet optimising: still needs {needs}.", "$warning")]
                else:
                    parts += [
                        "\n",
                        ("Optimising: improvements go through an evaluation process.", "$success"),
                    ]
        else:
            target = method.STAGE_BY_ID[check.target].label
            if check.allowed:
                _set_band(self, "pass")
                parts = [
                    ("Next gate: ", "bold"),
                    (f"into {target}", "bold"),
                    "\n",
                    (f"Everything is met: it can move to {target} from the board.", "$success"),
                ]
            else:
                _set_band(self, "fail")
                parts = [
                    ("Next gate: ", "bold"),
                    (f"into {target}", "bold"),
                    (f" · still needs {len(check.unmet)}", "$error"),
                ]
                for line in check.lines():
                    parts += ["\n", ("✘ ", "$error"), self._hang(line, width)]
        if forced_reason:
            parts += [
                "\n",
                ("⚑ Forced in: ", "$warning bold"),
                self._hang(
                    f"{forced_reason} (the gates into {stage.label} are not all met)", width
                ),
            ]
        return Content.assemble(*parts)
