"""The sample portfolio's story: its initiatives (`SPECS`), their metric readings and the seeds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SEED = 20261122


def id_seed(today: date) -> int:
    """The seed of the sample's ids: its build day as YYYYMMDD, so two builds on one day are
    the same file, while samples built on different days never share an id (merging one into
    the other adds it, rather than finding "nothing new" in different contents under the same
    ids). The story's choices keep `SEED`: every day tells the same story. The committed
    sample.db was built on 2026-11-22, whose seed is `SEED` itself."""
    return today.year * 10_000 + today.month * 100 + today.day


@dataclass
class Spec:
    name: str
    summary: str
    owner: str = ""
    operational: bool = False
    team: str = ""
    budgets: tuple[float, float, float] = (0, 0, 0)
    blockers: tuple[str, ...] = ()
    #: (days ago, stage) for creation and every later move; the first entry is creation
    path: list[tuple[int, str]] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    #: keys first answered "no", later flipped to their final value (gives the history a shape)
    flipped: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    kill_reason: str = ""
    last_review_ago: int | None = None
    author: str = "maya"


def _yes(*keys: str) -> dict[str, str]:
    return dict.fromkeys(keys, "yes")


def _items(yes: str, no: str = "") -> dict[str, str]:
    out = dict.fromkeys(yes.split(), "yes")
    out.update(dict.fromkeys(no.split(), "no"))
    return out


SPECS: tuple[Spec, ...] = (
    Spec(
        "Dispatch routing",
        "Suggests the next load for each dispatcher from live truck positions and dock slots.",
        owner="Priya Natarajan",
        operational=True,
        team="Dispatch operations",
        budgets=(40_000, 150_000, 60_000),
        path=[(300, "experiment"), (270, "pilot"), (190, "validate"), (37, "productionize")],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "incident_recovered",
                "stable_performance",
                "operational_owner",
                "integration_plan",
                "maintenance_budget",
            ),
            # ready means none of the false signals is marked (seed 1)
            "enthusiasm": "no",
            **_yes("embedded", "owned", "dashboards"),
            **_items("D1 D2 D3 D4 G1 G2 G4 O1 O2 O5 S1 S2 T1 T3", "D5 G3 O4"),
            "measured": "no",
            "maintained": "unknown",
            "unattended_30d": "no",
        },
        flipped=("O2", "S2", "stable_performance"),
        notes={
            "stable_performance": "8 weeks at or above 92% on-time dispatch",
            "G3": "Rollback runbook written, not yet rehearsed",
        },
        author="priya",
    ),
    Spec(
        "Contract review",
        "Flags non-standard clauses in carrier and customer contracts before legal sign-off.",
        owner="Tomás Herrera",
        operational=True,
        team="Legal operations",
        budgets=(30_000, 110_000, 45_000),
        path=[
            (540, "experiment"),
            (500, "pilot"),
            (420, "validate"),
            (330, "productionize"),
            (200, "infrastructure"),
        ],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "incident_recovered",
                "stable_performance",
                "operational_owner",
                "integration_plan",
                "maintenance_budget",
                "unattended_30d",
                "dashboards",
                "on_call",
                "embedded",
                "owned",
                "measured",
                "maintained",
                "eval_process",
            ),
            **_items("D1 D2 D3 D4 G1 G2 G3 G4 O1 O2 O3 O5 S1 S2 S3 T1 T3", "D5 O4 T2"),
            "improvement_shipped": "no",
        },
        flipped=("G3", "O3", "S3"),
        notes={
            "G3": "Rollback rehearsed in March; took 12 minutes",
            "measured": "Monthly accuracy review with legal",
        },
        last_review_ago=30,
        author="tomas",
    ),
    Spec(
        "Email triage",
        "Routes inbound customer e-mail to the right desk and drafts the first reply.",
        owner="Grace Okafor",
        operational=True,
        team="Customer service",
        budgets=(15_000, 60_000, 20_000),
        path=[
            (640, "experiment"),
            (600, "pilot"),
            (520, "validate"),
            (430, "productionize"),
            (330, "infrastructure"),
        ],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "incident_recovered",
                "stable_performance",
                "operational_owner",
                "integration_plan",
                "maintenance_budget",
                "unattended_30d",
                "dashboards",
                "on_call",
                "embedded",
                "owned",
                "measured",
                "maintained",
            ),
            **_items("D1 D2 D3 G1 G2 G3 G4 O1 O2 O3 O5 S1 S2 S3 T3", "D4 D5 O4 T1 T2"),
            "eval_process": "no",
        },
        notes={"maintained": "Budget renewed last year; not reviewed since"},
        last_review_ago=124,
        author="grace",
    ),
    Spec(
        "Customer service assistant",
        "Suggests answers to agents on shipment-status chats.",
        owner="",
        team="Customer service",
        budgets=(60_000, 0, 0),
        blockers=("ownership", "change_management", "funding"),
        path=[(420, "experiment"), (380, "pilot")],
        answers={
            **_yes("scoped", "team_assigned", "enthusiasm", "executive_pressure"),
            **_items("D1 S2 T1", "D2 D3 G1 G3 O1 O2 O3 T3"),
            "accuracy_on_real_data": "yes",
            "business_case_reviewed": "no",
            "operational_owner": "no",
        },
        flipped=("accuracy_on_real_data",),
        notes={
            "business_case_reviewed": "Finance asked for adoption numbers first",
            "operational_owner": "Pilot lead moved to another team in May",
        },
        author="maya",
    ),
    Spec(
        "Route optimisation",
        "Re-plans multi-stop routes overnight from order, traffic and driver-hour data.",
        owner="Lars Eriksen",
        operational=False,
        team="Network planning",
        budgets=(80_000, 120_000, 0),
        blockers=("integration", "data_readiness"),
        path=[(500, "experiment"), (450, "pilot"), (230, "validate")],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "integration_plan",
                "vendor_readiness",
            ),
            **_items("D1 D2 G1 G4 O5 S2 T1", "D3 D4 D5 O1 O2 O3 O4 S1 S3"),
            "incident_recovered": "no",
            "stable_performance": "no",
            "maintenance_budget": "no",
        },
        flipped=("D2", "usage_data_30d"),
        notes={
            "stable_performance": "Savings swing between 2% and 9% week to week",
            "integration_plan": "TMS export agreed with IT",
        },
        author="lars",
    ),
    Spec(
        "Invoice processing",
        "Matches carrier invoices to delivered loads and flags mismatches for accounts payable.",
        owner="Aisha Rahman",
        operational=True,
        team="Finance operations",
        budgets=(50_000, 90_000, 30_000),
        blockers=("funding",),
        path=[(330, "experiment"), (290, "pilot"), (120, "validate")],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "operational_owner",
                "stable_performance",
                "integration_plan",
            ),
            **_items("D1 D2 D3 G1 G2 G4 O1 O5 S1 S2 S3 T1 T3", "D4 G3 O3"),
            "maintenance_budget": "no",
        },
        notes={"maintenance_budget": "Year-two funding waits for the budget round"},
        author="aisha",
    ),
    Spec(
        "Document extraction: bills of lading",
        "Reads scanned bills of lading into the shipment record.",
        owner="Jonas Weber",
        team="Document desk",
        budgets=(35_000, 0, 0),
        blockers=("funding", "people"),
        path=[(330, "experiment"), (250, "pilot")],
        answers={
            **_yes(
                "scoped", "team_assigned", "accuracy_on_real_data", "vendor_readiness", "enthusiasm"
            ),
            **_items("D1 S2", "D2 D3 G1 G2 O1 O2"),
            "business_case_reviewed": "no",
        },
        notes={"accuracy_on_real_data": "94% field accuracy on 2,000 real scans"},
        author="jonas",
    ),
    Spec(
        "Document extraction: customs declarations",
        "Pre-fills customs declarations from commercial invoices.",
        owner="Jonas Weber",
        team="Document desk",
        budgets=(25_000, 0, 0),
        path=[(300, "experiment"), (260, "pilot"), (90, "killed")],
        answers={**_yes("scoped", "team_assigned"), "accuracy_on_real_data": "no"},
        kill_reason="Broker's own tool covers it; focus the document desk on bills of lading.",
        author="maya",
    ),
    Spec(
        "Document extraction: proof of delivery",
        "Checks signed proof-of-delivery photos for missing signatures and damage notes.",
        owner="",
        team="Document desk",
        path=[(45, "experiment")],
        answers={"scoped": "yes"},
        author="jonas",
    ),
    Spec(
        "Demand forecasting",
        "Forecasts weekly volume per depot to plan driver shifts.",
        owner="Mei Chen",
        operational=False,
        team="Network planning",
        budgets=(45_000, 160_000, 40_000),
        path=[(200, "experiment"), (95, "pilot")],
        answers={
            **_yes("scoped", "team_assigned", "accuracy_on_real_data"),
            **_items("D1 D2 D4 G1 G4 T1", "D5 O4"),
        },
        notes={"accuracy_on_real_data": "MAPE 11% against 18% for the spreadsheet"},
        author="mei",
    ),
    Spec(
        "Warehouse slotting",
        "Suggests where fast-moving SKUs should sit each week.",
        owner="",
        team="Warehouse ops",
        path=[(20, "experiment")],
        answers={},
        author="maya",
    ),
    Spec(
        "Fleet maintenance prediction",
        "Predicts truck component failures from telematics to schedule workshop time.",
        owner="Sam O'Brien",
        operational=False,
        team="Fleet",
        budgets=(70_000, 140_000, 0),
        blockers=("maintenance", "governance"),
        path=[(400, "experiment"), (330, "pilot"), (60, "validate")],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "executive_pressure",
                "vendor_readiness",
                "enthusiasm",
            ),
            **_items("D1 D2 S2 T1", "D3 G1 G2 G3 O1 O2 O3"),
            "failure_modes_known": "no",
            "operational_owner": "no",
            "maintenance_budget": "no",
        },
        notes={"executive_pressure": "COO wants it live before the winter peak"},
        author="sam",
    ),
    Spec(
        "Driver safety coaching",
        "Turns dash-cam events into weekly coaching notes for drivers.",
        owner="",
        team="Fleet",
        budgets=(55_000, 0, 0),
        path=[(480, "experiment"), (430, "pilot"), (150, "killed")],
        answers={**_yes("scoped", "team_assigned", "accuracy_on_real_data")},
        kill_reason="No owner after the pilot and adoption stalled at 22%.",
        author="maya",
    ),
)

#: name -> (metric, unit, target, weekly values oldest first, weeks ago of the last reading)
METRICS: dict[str, list[tuple[str, str, float | None, list[float]]]] = {
    "Dispatch routing": [
        ("On-time dispatch", "%", 92.0, [88.5, 90.1, 92.4, 93.0, 92.8, 93.6, 94.1, 93.7]),
        ("Adoption", "%", 80.0, [31.0, 38.0, 44.0, 51.0, 55.0, 58.0, 61.0, 64.0]),
    ],
    "Contract review": [
        ("Clause recall", "%", 95.0, [95.8, 96.1, 95.4, 96.7, 96.2, 95.9]),
    ],
    "Customer service assistant": [
        ("Adoption", "%", 60.0, [18.0, 22.0, 26.0, 24.0, 27.0, 23.0, 25.0, 26.0]),
    ],
    "Route optimisation": [
        ("Cost saving", "%", 6.0, [2.1, 8.7, 3.4, 9.2, 4.0, 7.5]),
    ],
}
