"""The method of domain.md as data: the one place that names stages, items, tests and signals.

Everything else (scoring, the store, screens, the CLI, the sample) reads these tables, so an id
is spelled once. Texts are our own words; ids, numbers and order follow domain.md exactly.
"""

from __future__ import annotations

from typing import Literal, NamedTuple


class Stage(NamedTuple):
    id: str
    label: str
    meaning: str


class ExitCondition(NamedTuple):
    id: str
    stage: str
    text: str


class Category(NamedTuple):
    id: str
    label: str
    max_points: int


class Item(NamedTuple):
    id: str
    category: str
    text: str


class Test(NamedTuple):
    id: str
    label: str
    text: str


class Signal(NamedTuple):
    id: str
    label: str
    text: str
    real: bool
    #: for a false signal: why it is not readiness, in plain words (the verdict says it)
    why_not: str = ""


class Blocker(NamedTuple):
    id: str
    label: str
    text: str


class PlanMonth(NamedTuple):
    month: int
    label: str
    tasks: tuple[str, ...]


STAGES: tuple[Stage, ...] = (
    Stage(
        "experiment",
        "Experiment",
        "someone tries AI informally on a task; no owner, no measurement",
    ),
    Stage("pilot", "Pilot", "a chosen use case and a small team prove it is feasible and worth it"),
    Stage(
        "validate", "Validate", "real users, real data and real expectations, short of production"
    ),
    Stage(
        "productionize",
        "Productionize",
        "the 90-day bridge: monitoring, runbooks, ownership, rollout",
    ),
    Stage(
        "infrastructure",
        "Infrastructure",
        "embedded, owned, measured and maintained; improved by a process",
    ),
    Stage("killed", "Killed", "stopped on purpose, with a reason; can be revived later"),
)
STAGE_IDS: tuple[str, ...] = tuple(s.id for s in STAGES)
#: The stages an initiative moves through, in order (Killed stands apart).
FLOW: tuple[str, ...] = STAGE_IDS[:5]
KILLED = "killed"
INFRASTRUCTURE = "infrastructure"
PRODUCTIONIZE = "productionize"
PURGATORY_STAGES: frozenset[str] = frozenset({"pilot", "validate"})

EXIT_CONDITIONS: tuple[ExitCondition, ...] = (
    ExitCondition("scoped", "experiment", "Scoped to one use case, one dataset and one team"),
    ExitCondition("team_assigned", "experiment", "Leadership has assigned a small team to it"),
    ExitCondition(
        "accuracy_on_real_data", "pilot", "Accuracy measured on real data, not a toy sample"
    ),
    ExitCondition("business_case_reviewed", "pilot", "Finance has reviewed a rough business case"),
    ExitCondition("usage_data_30d", "validate", "30 to 60 days of real-world usage data collected"),
    ExitCondition("failure_modes_known", "validate", "Failure modes are known and written down"),
    ExitCondition(
        "incident_recovered", "validate", "Recovered cleanly from at least one real incident"
    ),
    ExitCondition(
        "unattended_30d", "productionize", "Ran 30 days with no manual intervention to stay alive"
    ),
    ExitCondition("dashboards", "productionize", "Dashboards exist and people look at them"),
    ExitCondition("on_call", "productionize", "An on-call rotation covers it"),
    ExitCondition(
        "eval_process",
        "infrastructure",
        "A written process evaluates model improvements before they are deployed",
    ),
    ExitCondition(
        "improvement_shipped",
        "infrastructure",
        "At least one improvement has shipped through that process",
    ),
)

CATEGORIES: tuple[Category, ...] = (
    Category("data", "Data infrastructure", 5),
    Category("governance", "Model governance", 4),
    Category("operations", "Operational readiness", 5),
    Category("security", "Security and compliance", 3),
    Category("team", "Team readiness", 3),
)

ITEMS: tuple[Item, ...] = (
    Item(
        "D1",
        "data",
        "Training and inference data sources are documented, versioned and access-controlled",
    ),
    Item("D2", "data", "Automatic data-quality checks run before every training job"),
    Item(
        "D3",
        "data",
        "Legal or compliance has reviewed and approved PII and sensitive-data handling",
    ),
    Item("D4", "data", "Lineage is tracked: any training example can be traced to its origin"),
    Item("D5", "data", "Input data distributions are monitored for drift"),
    Item("G1", "governance", "An up-to-date model card exists"),
    Item("G2", "governance", "An approval step runs before any model version goes live"),
    Item("G3", "governance", "Rollback has been tested for real, not just written down"),
    Item("G4", "governance", "Performance is compared with a baseline, not only in absolute terms"),
    Item("O1", "operations", "Inference endpoints have uptime SLAs and are monitored against them"),
    Item("O2", "operations", "Alerts fire before users notice a problem"),
    Item("O3", "operations", "An on-call rotation exists for the AI service"),
    Item("O4", "operations", "Monitoring thresholds, not the calendar, trigger retraining"),
    Item(
        "O5", "operations", "Every production model version is logged with time and deploying owner"
    ),
    Item("S1", "security", "Model inputs and outputs are logged for audit"),
    Item("S2", "security", "Model endpoints are authenticated and rate-limited"),
    Item("S3", "security", "The security team has reviewed the deployment architecture"),
    Item(
        "T1", "team", "At least two people can explain how the model works, not just what it does"
    ),
    Item("T2", "team", "There is a process for user complaints about model outputs"),
    Item("T3", "team", "One named person is accountable for the service's ongoing performance"),
)
MAX_SCORE = len(ITEMS)
PASSING_SCORE = 14

TESTS: tuple[Test, ...] = (
    Test(
        "embedded",
        "Embedded",
        "Lives inside the workflow the team already uses: no extra tab or login",
    ),
    Test(
        "owned",
        "Owned",
        "A named owner is accountable, watches it and gets the call when it breaks",
    ),
    Test(
        "measured",
        "Measured",
        "Throughput, accuracy, adoption and failure modes are known continuously, reviewed monthly",
    ),
    Test(
        "maintained",
        "Maintained",
        "A budgeted, staffed process handles drift, broken prompts and shifting data",
    ),
)

SIGNALS: tuple[Signal, ...] = (
    Signal(
        "stable_performance",
        "Stable performance",
        "Weeks of data at or above target, without big swings",
        True,
    ),
    Signal(
        "operational_owner",
        "Operational owner",
        "A named owner on the operations side, with the authority and the time",
        True,
    ),
    Signal(
        "integration_plan",
        "Integration plan",
        "How it plugs into workflows, what changes up- and downstream, who does what",
        True,
    ),
    Signal(
        "maintenance_budget",
        "Maintenance budget",
        "Funding committed for 12 months: tools, oversight, retraining, recovery",
        True,
    ),
    Signal(
        "enthusiasm",
        "Enthusiasm",
        "People are excited about it",
        False,
        "excitement is energy, not readiness",
    ),
    Signal(
        "executive_pressure",
        "Executive pressure",
        "Leadership wants it live now",
        False,
        "pressure to announce progress is theatre, not readiness",
    ),
    Signal(
        "vendor_readiness",
        "Vendor readiness",
        "The vendor says it is ready",
        False,
        "the vendor's readiness is not yours",
    ),
)
REAL_SIGNALS: tuple[Signal, ...] = tuple(s for s in SIGNALS if s.real)
FALSE_SIGNALS: tuple[Signal, ...] = tuple(s for s in SIGNALS if not s.real)

BLOCKERS: tuple[Blocker, ...] = (
    Blocker("ownership", "Ownership", "Nobody owns it now that the pilot is over"),
    Blocker("funding", "Funding", "The budget ended with the proof of concept"),
    Blocker("change_management", "Change management", "Adoption stalls"),
    Blocker("maintenance", "Maintenance", "No plan for drift"),
    Blocker("data_readiness", "Data readiness", "The data is not ready"),
    Blocker("governance", "Governance", "Nobody approves, watches drift or owns rollback"),
    Blocker("integration", "Integration", "ERP, CRM, warehouse or legacy systems in the way"),
    Blocker("people", "People", "No MLOps or data-engineering depth"),
)
BLOCKER_IDS: tuple[str, ...] = tuple(b.id for b in BLOCKERS)

PLAN_DAYS = 90
MONTH_DAYS = 30
QUARTER_DAYS = 91
#: what the plan is called on screen and in reports: "90-day plan"
PLAN_NAME = f"{PLAN_DAYS}-day plan"

# The method's numbers (domain.md). `scoring` decides with them; every text that shows one
# formats it from here, so a number is typed once.

#: pilot purgatory: more than this many days in Pilot and Validate together
PURGATORY_DAYS = 180
#: review overdue: an Infrastructure initiative with no review in more than this many days
REVIEW_DAYS = 90
#: integration and operation cost 3 to 5 times the pilot: warn under the low end
BUDGET_MULTIPLE = 3
BUDGET_MULTIPLE_HIGH = 5
#: kill candidate: readiness below this many points ...
KILL_SCORE_FLOOR = 8
#: ... more than this many days after the initiative was created
KILL_AFTER_DAYS = 180
#: adoption that stalls at 20 to 30 percent: flag an adoption metric under the high end
ADOPTION_STALL_LOW = 20.0
ADOPTION_FLOOR = 30.0
#: stable performance: the last this-many readings of a metric at or above its target
STABLE_READINGS = 4
#: a maintenance budget is committed for (at least) the next this-many months
COMMITMENT_MONTHS = 12
#: heat-map colour bands: a category's share of its points that passes, and that warns
SHARE_PASS = 0.8
SHARE_WARN = 0.5

#: "a named owner, not a committee": an owner holding one of these words reads as a group
GROUP_WORDS: tuple[str, ...] = ("committee", "team", "board", "group", "council")
#: ... and so does one that joins several names with one of these
NAME_JOINERS: tuple[str, ...] = ("and", "&", ",", "/")
PLAN_TEMPLATE: tuple[PlanMonth, ...] = (
    PlanMonth(
        1,
        "Stabilize",
        (
            "Lock the scope",
            "Write the standard operating procedure for the workflow",
            "Agree success metrics with operations leadership",
            "Set service-level expectations",
            "Name the owner and write down their responsibilities",
            "Surface disagreements now",
        ),
    ),
    PlanMonth(
        2,
        "Integrate",
        (
            "Wire it into the tools the team already uses",
            "Track the hidden integration costs",
            "Run the integrated workflow with a pilot team of 5 to 10 people",
            "Refine the workflow from their feedback",
        ),
    ),
    PlanMonth(
        3,
        "Harden and expand",
        (
            "Monitoring and alerting that reach the owner before users complain",
            "Runbooks for the common failures",
            "Train the broader team",
            "Roll out in waves",
            "By day 90: one full team runs it in production with monitoring",
        ),
    ),
)

# Lookups -------------------------------------------------------------------------------------

STAGE_BY_ID = {s.id: s for s in STAGES}
ITEM_BY_ID = {i.id: i for i in ITEMS}
CATEGORY_BY_ID = {c.id: c for c in CATEGORIES}
TEST_BY_ID = {t.id: t for t in TESTS}
SIGNAL_BY_ID = {s.id: s for s in SIGNALS}
EXIT_BY_ID = {e.id: e for e in EXIT_CONDITIONS}
BLOCKER_BY_ID = {b.id: b for b in BLOCKERS}

#: Every key an answer can carry, in the order of domain.md's tables.
ANSWER_KEYS: tuple[str, ...] = (
    tuple(i.id for i in ITEMS)
    + tuple(t.id for t in TESTS)
    + tuple(s.id for s in SIGNALS)
    + tuple(e.id for e in EXIT_CONDITIONS)
)
ANSWER_KEY_SET = frozenset(ANSWER_KEYS)
AnswerValue = Literal["yes", "no", "unknown"]
#: every value an answer can hold
ANSWER_VALUES: tuple[AnswerValue, ...] = ("yes", "no", "unknown")
#: Pseudo-requirement reported by a gate when the readiness score is under the pass line.
READINESS_REQUIREMENT = "readiness"


def exit_conditions_for(stage: str) -> tuple[ExitCondition, ...]:
    return tuple(e for e in EXIT_CONDITIONS if e.stage == stage)


_ITEMS_BY_CATEGORY: dict[str, tuple[Item, ...]] = {
    c.id: tuple(i for i in ITEMS if i.category == c.id) for c in CATEGORIES
}


def items_in(category: str) -> tuple[Item, ...]:
    return _ITEMS_BY_CATEGORY.get(category, ())


def stage_index(stage: str) -> int:
    """Position in the forward flow; Killed has none."""
    return FLOW.index(stage)


def next_stage(stage: str) -> str | None:
    if stage not in FLOW or stage == FLOW[-1]:
        return None
    return FLOW[FLOW.index(stage) + 1]


def previous_stage(stage: str) -> str | None:
    if stage not in FLOW or stage == FLOW[0]:
        return None
    return FLOW[FLOW.index(stage) - 1]


def describe_key(key: str) -> str:
    """A plain-words label for any answer key or gate requirement, for dialogs and reports."""
    if key in ITEM_BY_ID:
        return f"{key} {ITEM_BY_ID[key].text}"
    if key in TEST_BY_ID:
        t = TEST_BY_ID[key]
        return f"Test '{t.label}': {t.text}"
    if key in SIGNAL_BY_ID:
        s = SIGNAL_BY_ID[key]
        kind = "Real signal" if s.real else "False signal"
        return f"{kind} '{s.label}': {s.text}"
    if key in EXIT_BY_ID:
        e = EXIT_BY_ID[key]
        return f"{STAGE_BY_ID[e.stage].label} exit: {e.text}"
    if key == READINESS_REQUIREMENT:
        return f"Readiness score of at least {score_text(PASSING_SCORE)}"
    return key


def describe_requirement(key: str) -> str:
    """A gate requirement in plain words: like `describe_key`, except that a false signal in a
    gate's list is there because it is marked, and it says why that is not readiness."""
    sig = SIGNAL_BY_ID.get(key)
    if sig is not None and not sig.real:
        return f"False signal marked '{sig.label}': {sig.why_not}; ready means none is marked"
    return describe_key(key)


def score_text(points: int) -> str:
    """ "14/20": a number of readiness points out of the maximum."""
    return f"{points}/{MAX_SCORE}"


# Sustain and extend: the seeds' rules for after the bridge -----------------------------------

#: "Measured ... someone reviews them at least monthly": a metric with no reading in this many
#: days or more is stale.
METRICS_STALE_DAYS = 30
#: "Funding is committed for the next 12 months": a maintenance commitment ending sooner is short.
MAINTENANCE_COMMIT_MONTHS = COMMITMENT_MONTHS
#: "Roughly 70 percent of the volume they were designed for" ...
VOLUME_FLOOR_PERCENT = 70
#: ... "twelve months later", counted from the entry into Productionize.
VOLUME_AFTER_MONTHS = 12
#: The metric that carries volume readings when an initiative names none.
DEFAULT_VOLUME_METRIC = "Volume"
#: "Take it all the way through Phase 3 before touching anything else": more than this many
#: initiatives in Productionize at once earns a warning (never a block).
FOCUS_MAX_PRODUCTIONIZE = 1
#: Phase 4, Optimize: the exit conditions an Infrastructure initiative needs to be optimising.
OPTIMIZE_CONDITIONS: tuple[str, ...] = tuple(e.id for e in exit_conditions_for(INFRASTRUCTURE))
#: "New use cases get added as extensions of the infrastructure": the stage an initiative must
#: be in for another to build on it.
EXTENDABLE_STAGE = INFRASTRUCTURE
