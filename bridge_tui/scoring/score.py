"""The readiness score, the four infrastructure tests and the scale verdict, read from answers.

Answers are a mapping of answer key -> "yes" / "no" / "unknown"; a missing key is unanswered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal, NamedTuple

from bridge_tui import method
from bridge_tui.ownership import effective_answers, owner_issue

if TYPE_CHECKING:
    from bridge_tui.models import Answer
    from bridge_tui.records import InitiativeFacts

AnswerMap = Mapping[str, str]
Band = Literal["pass", "fail", "warn"]


def answer_map(answers: Iterable[Answer]) -> dict[str, str]:
    """Key -> value for the live answers of one initiative."""
    return {a.key: a.value for a in answers if not a.deleted}


def _value(answers: AnswerMap, key: str) -> str:
    return answers.get(key, "unknown")


def tristate(answers: AnswerMap, key: str) -> bool | None:
    """True for met, False for not met, None for unanswered."""
    v = _value(answers, key)
    return True if v == "yes" else False if v == "no" else None


# Readiness score -----------------------------------------------------------------------------


class CategoryScore(NamedTuple):
    id: str
    met: int
    max: int
    unanswered: int

    @property
    def share(self) -> float:
        return self.met / self.max


class Readiness(NamedTuple):
    total: int
    max: int
    threshold: int
    passing: bool
    unanswered: int
    #: answered "no" (kept apart from unanswered)
    not_met: int
    categories: tuple[CategoryScore, ...]
    weakest: tuple[str, ...]
    unmet: tuple[str, ...]

    @property
    def band(self) -> Band:
        return "pass" if self.passing else "fail"

    def category(self, category_id: str) -> CategoryScore:
        return next(c for c in self.categories if c.id == category_id)


_CATEGORY_ORDER = {c.id: n for n, c in enumerate(method.CATEGORIES)}


def readiness(answers: AnswerMap) -> Readiness:
    cats: list[CategoryScore] = []
    unmet: list[str] = []
    get = answers.get
    for cat in method.CATEGORIES:
        met = unanswered = 0
        for item in method.items_in(cat.id):
            v = get(item.id, "unknown")
            if v == "yes":
                met += 1
            else:
                unmet.append(item.id)  # categories and items share the table's order
                if v != "no":
                    unanswered += 1
        cats.append(CategoryScore(cat.id, met, cat.max_points, unanswered))
    total = sum(c.met for c in cats)
    unanswered_total = sum(c.unanswered for c in cats)
    # The three weakest areas: lowest share first, ties in the table's order; a category at
    # full marks is not weak, so at 20/20 there are none.
    below_full = [c for c in cats if c.met < c.max]
    weakest = sorted(below_full, key=lambda c: (c.share, _CATEGORY_ORDER[c.id]))[:3]
    return Readiness(
        total=total,
        max=method.MAX_SCORE,
        threshold=method.PASSING_SCORE,
        passing=total >= method.PASSING_SCORE,
        unanswered=unanswered_total,
        not_met=method.MAX_SCORE - total - unanswered_total,
        categories=tuple(cats),
        weakest=tuple(c.id for c in weakest),
        unmet=tuple(unmet),
    )


# Infrastructure tests and stage three --------------------------------------------------------


def tests(answers: AnswerMap) -> dict[str, bool | None]:
    return {t.id: tristate(answers, t.id) for t in method.TESTS}


def all_tests_pass(answers: AnswerMap) -> bool:
    return all(v is True for v in tests(answers).values())


def stage_three(initiative: InitiativeFacts, answers: AnswerMap) -> bool:
    """Real infrastructure: in the last stage AND passing all four tests (`owned` only with a
    named owner who is not the pilot builder and not a group)."""
    return initiative.stage == method.INFRASTRUCTURE and all_tests_pass(
        effective_answers(initiative, answers)
    )


def _stage_three(initiative: InitiativeFacts, results: Mapping[str, bool | None]) -> bool:
    """`stage_three` from test results already computed (`tests(answers)`)."""
    return initiative.stage == method.INFRASTRUCTURE and all(v is True for v in results.values())


# Readiness to scale --------------------------------------------------------------------------


class ScaleVerdict(NamedTuple):
    """Seed 1: "the four real signals and none of the three false ones"."""

    ready: bool
    missing: tuple[str, ...]
    false_signals: tuple[str, ...]
    #: a false signal is marked while a real one is missing: the push rests on false signals
    warning: bool
    #: why `operational_owner` does not hold although it was answered yes (the owner on
    #: record is missing, the pilot builder or a group); "" otherwise
    owner_note: str = ""

    @property
    def band(self) -> Band:
        return "pass" if self.ready else "warn" if self.warning else "fail"

    def _missing_text(self) -> str:
        out = []
        for s in self.missing:
            label = method.SIGNAL_BY_ID[s].label.lower()
            if s == "operational_owner" and self.owner_note:
                label += f" ({self.owner_note})"
            out.append(label)
        return ", ".join(out)

    def _false_text(self) -> str:
        return "; ".join(
            f"{method.SIGNAL_BY_ID[s].label.lower()} ({method.SIGNAL_BY_ID[s].why_not})"
            for s in self.false_signals
        )

    def sentence(self) -> str:
        """The verdict in plain words: the app, the CLI and the reports all print this."""
        if self.ready:
            return f"Ready to start the {method.PLAN_DAYS}-day bridge."
        if self.warning:
            return (
                f"Warning: the push rests on false signals, not readiness: {self._false_text()}; "
                f"still missing {self._missing_text()}."
            )
        if self.false_signals:
            return f"Not ready: false signals are marked: {self._false_text()}."
        return f"Not ready: missing {self._missing_text()}."


def scale_verdict(answers: AnswerMap, owner_note: str = "") -> ScaleVerdict:
    """Ready only with all four real signals AND no false signal marked. `answers` are read as
    given: pass `effective_answers` (the owner rule) when an initiative is at hand."""
    missing = tuple(s.id for s in method.REAL_SIGNALS if _value(answers, s.id) != "yes")
    false = tuple(s.id for s in method.FALSE_SIGNALS if _value(answers, s.id) == "yes")
    return ScaleVerdict(
        ready=not missing and not false,
        missing=missing,
        false_signals=false,
        warning=bool(false) and bool(missing),
        owner_note=owner_note if "operational_owner" in missing else "",
    )


def initiative_scale(initiative: InitiativeFacts, answers: AnswerMap) -> ScaleVerdict:
    """The scale verdict of one initiative, the owner rule applied and explained."""
    issue = owner_issue(initiative)
    yes = answers.get("operational_owner") == "yes"
    note = issue.sentence() if issue is not None and yes else ""
    return scale_verdict(effective_answers(initiative, answers, issue), note)
