"""The words people put in a portfolio spreadsheet, and what each means to bridge.

Pure data and small parsers for the spreadsheet import (`sheet_map` uses them): header names of
the initiative's fields, stage synonyms, yes/no spellings, money and dates as people type them.
Everything is compared "squashed": lower case, letters and digits only, so "Use-case name",
"use_case_name" and "UseCaseName" are one word. The README lists these words; keep them in step.
"""

from __future__ import annotations

import re
import unicodedata

from bridge_tui import method

#: Initiative fields a column can fill, with the header words that name each (first: the label).
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "initiative",
        "initiative name",
        "use case",
        "use case name",
        "ai use case",
        "ai initiative",
        "project",
        "project name",
        "title",
    ),
    "stage": (
        "stage",
        "status",
        "phase",
        "current stage",
        "current status",
        "current phase",
        "lifecycle stage",
        "maturity",
    ),
    "owner": (
        "owner",
        "named owner",
        "business owner",
        "accountable owner",
        "accountable",
        "owner name",
        "product owner",
        "responsible",
        "lead",
    ),
    "team": (
        "team",
        "team name",
        "department",
        "dept",
        "business unit",
        "function",
        "unit",
        "owning team",
    ),
    "summary": (
        "summary",
        "description",
        "desc",
        "details",
        "about",
        "purpose",
        "problem statement",
        "use case description",
    ),
    "pilot_budget": (
        "pilot budget",
        "poc budget",
        "proof of concept budget",
        "pilot cost",
        "pilot spend",
        "pilot funding",
        "budget pilot",
    ),
    "integration_budget": (
        "integration budget",
        "integration cost",
        "integration spend",
        "rollout budget",
        "scale up budget",
        "budget integration",
    ),
    "maintenance_budget": (
        "maintenance budget",
        "maintenance cost",
        "maintenance spend",
        "annual maintenance",
        "run budget",
        "run cost",
        "running cost",
        "budget maintenance",
    ),
    "blockers": ("blockers", "blocker", "blocked by", "obstacles", "impediments"),
    "last_review_at": (
        "last review",
        "last reviewed",
        "last review date",
        "review date",
        "reviewed on",
    ),
    "kill_reason": (
        "kill reason",
        "reason killed",
        "killed because",
        "why killed",
        "reason for killing",
        "stop reason",
        "reason stopped",
        "cancellation reason",
    ),
    "owner_is_operational": ("owner is operational", "operational owner flag"),
    "stage_entered_at": (
        "in stage since",
        "stage since",
        "stage entered",
        "entered stage",
        "stage date",
        "stage start",
    ),
    "days_in_stage": ("days in stage", "days in current stage"),
    "created_at": ("created", "created at", "created on", "date created", "date added", "added on"),
    # The report's id column: recognised so it can say why it is not used.
    "id": ("id", "initiative id", "uuid"),
}
#: How the preview names each field.
FIELD_LABEL: dict[str, str] = {
    "name": "name",
    "stage": "stage",
    "owner": "owner",
    "team": "team",
    "summary": "summary",
    "pilot_budget": "pilot budget",
    "integration_budget": "integration budget",
    "maintenance_budget": "maintenance budget",
    "blockers": "blockers",
    "last_review_at": "last review",
    "kill_reason": "kill reason",
    "owner_is_operational": "owner is operational",
    "stage_entered_at": "in stage since",
    "days_in_stage": "days in stage",
    "created_at": "created",
    "id": "id",
}
MONEY_FIELDS = frozenset({"pilot_budget", "integration_budget", "maintenance_budget"})
DATE_FIELDS = frozenset({"last_review_at", "stage_entered_at", "created_at"})
ONE_LINE_FIELDS = frozenset({"name", "owner", "team"})
ANSWER_PREFIX = "answer:"

#: Stage words: each stage's id and label, plus what sheets say instead.
STAGE_WORDS: dict[str, tuple[str, ...]] = {
    "experiment": (
        "experiment",
        "experimentation",
        "experimental",
        "experimenting",
        "idea",
        "ideation",
        "exploration",
        "exploring",
        "discovery",
        "research",
        "backlog",
    ),
    "pilot": (
        "pilot",
        "piloting",
        "in pilot",
        "poc",
        "proof of concept",
        "prototype",
        "prototyping",
        "trial",
        "mvp",
        "feasibility",
    ),
    "validate": (
        "validate",
        "validation",
        "validating",
        "in validation",
        "beta",
        "uat",
        "user acceptance testing",
        "testing",
        "limited release",
        "soft launch",
    ),
    "productionize": (
        "productionize",
        "productionise",
        "productionizing",
        "productionising",
        "rollout",
        "roll out",
        "rolling out",
        "scaling",
        "scale up",
        "implementation",
        "deployment",
        "deploying",
        "go live",
        "90 day bridge",
    ),
    "infrastructure": (
        "infrastructure",
        "live",
        "production",
        "in production",
        "prod",
        "operational",
        "deployed",
        "launched",
        "in use",
        "bau",
        "business as usual",
    ),
    "killed": (
        "killed",
        "kill",
        "stopped",
        "cancelled",
        "canceled",
        "abandoned",
        "dropped",
        "shelved",
        "retired",
        "discontinued",
        "decommissioned",
        "rejected",
    ),
}

YES_WORDS = frozenset(
    {"yes", "y", "true", "x", "met", "done", "pass", "passed", "ok", "1", "✓", "✔", "☑", "✅"}
)
NO_WORDS = frozenset(
    {"no", "n", "false", "notmet", "fail", "failed", "0", "✗", "✘", "❌", "☐", "☒"}
)
UNKNOWN_WORDS = frozenset(
    {"", "?", "unknown", "na", "n/a", "tbd", "-", "–", "—", "unanswered", "notanswered"}
)
#: Names of rows that sum the others up rather than describe an initiative.
TOTAL_NAMES = frozenset({"total", "totals", "grandtotal", "sum", "subtotal"})

#: Unit words in a money column's header that scale its values.
THOUSANDS = frozenset({"k", "000", "000s", "thousand", "thousands", "keur", "kusd", "kgbp"})
MILLIONS = frozenset({"m", "mn", "mio", "million", "millions", "meur", "musd", "mgbp"})
CURRENCY = frozenset(
    {"eur", "euro", "euros", "usd", "dollar", "dollars", "gbp", "chf", "in", "amount"}
)


def words(text: str) -> list[str]:
    """Lower-case words of letters and digits: camelCase and punctuation split words."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).replace("&", " and ")
    return re.findall(r"[^\W_]+", text.casefold())


def squash(text: str) -> str:
    return "".join(words(text))


def _table(source: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {squash(w): key for key, ws in source.items() for w in ws}


FIELD_BY_WORD = _table(FIELD_WORDS)
#: Canonical field ids ("pilot_budget") are the strongest evidence a header can give.
FIELD_IDS = {squash(f): f for f in FIELD_WORDS}
STAGE_BY_WORD = {
    **_table(STAGE_WORDS),
    **{squash(s.label): s.id for s in method.STAGES},
}


def _answer_words() -> dict[str, str]:
    out: dict[str, str] = {}
    for key in method.ANSWER_KEYS:
        out[squash(key)] = key
    for t in method.TESTS:
        out.setdefault(squash(t.label), t.id)
        out.setdefault(squash(t.text), t.id)
    for s in method.SIGNALS:
        out.setdefault(squash(s.label), s.id)
        out.setdefault(squash(s.text), s.id)
    for i in method.ITEMS:
        out.setdefault(squash(i.text), i.id)
    for e in method.EXIT_CONDITIONS:
        out.setdefault(squash(e.text), e.id)
    return out


ANSWER_BY_WORD = _answer_words()
ITEM_IDS = {i.id.casefold(): i.id for i in method.ITEMS}
#: Words around an answer's name that say what kind it is ("Test: owned", "D1 check").
ANSWER_NOISE = frozenset(
    {"test", "signal", "real", "false", "exit", "condition", "item", "check", "criterion"}
)
BLOCKER_BY_WORD = {
    **{squash(b.id): b.id for b in method.BLOCKERS},
    **{squash(b.label): b.id for b in method.BLOCKERS},
    "owner": "ownership",
    "budget": "funding",
    "data": "data_readiness",
    "change": "change_management",
}


def answer_label(key: str) -> str:
    """How the preview names an answer column's target."""
    if key in method.ITEM_BY_ID:
        return f"readiness item {key}"
    if key in method.TEST_BY_ID:
        return f"test {method.TEST_BY_ID[key].label}"
    if key in method.SIGNAL_BY_ID:
        s = method.SIGNAL_BY_ID[key]
        return f"{'real' if s.real else 'false'} signal {s.label}"
    e = method.EXIT_BY_ID[key]
    return f"exit condition {key} ({method.STAGE_BY_ID[e.stage].label})"


def target_label(to: str) -> str:
    if to.startswith(ANSWER_PREFIX):
        return answer_label(to[len(ANSWER_PREFIX) :])
    return FIELD_LABEL.get(to, to)
