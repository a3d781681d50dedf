"""The flow section of the reports: JSON keys, Markdown lines and CSV cells.

The JSON report gains (new keys only; nothing above changes meaning)::

    "flow": {                                   # `bridge flow --json`, counted from the start
      "stages", "conversion", "killed_from", "quarters",
      "entries": {stage id: {"forced": int, "back": int, "revived": int}}
    },
    "initiatives": [{..., "flow": {
        "stays": [{"stage", "start", "end" (null: still there), "days", "forced", "back"}],
        "forced_moves": int, "moves_back": int,
        "days_pilot_to_infrastructure": null | int   # first entry into Pilot to the first
    }}]                                               # into Infrastructure after it

The CSV report gains four columns at the end (`CSV_COLUMNS`): the initiative's timeline as
text, its forced moves, its moves back, and its days from Pilot to Infrastructure.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bridge_tui import flow, method

CSV_COLUMNS: tuple[str, ...] = (
    "flow_timeline",
    "flow_forced_moves",
    "flow_moves_back",
    "flow_days_pilot_to_infrastructure",
)


def _label(stage: str) -> str:
    return method.STAGE_BY_ID[stage].label


def flow_json(f: flow.Flow) -> dict[str, Any]:
    doc = flow.to_json(f)
    doc["entries"] = {
        s: {"forced": sf.forced_in, "back": sf.back_in, "revived": sf.revived_in}
        for s, sf in f.stages.items()
    }
    return doc


def days_pilot_to_infrastructure(stays: Sequence[flow.Stay]) -> int | None:
    pilot: date | None = None
    for st in stays:
        if st.stage == flow.PILOT and pilot is None:
            pilot = st.start
        elif st.stage == method.INFRASTRUCTURE and pilot is not None:
            return (st.start - pilot).days
    return None


def initiative_json(stays: Sequence[flow.Stay], today: date) -> dict[str, Any]:
    return {
        "stays": [
            {
                "stage": st.stage,
                "start": st.start.isoformat(),
                "end": st.end.isoformat() if st.end else None,
                "days": st.days(today),
                "forced": st.forced,
                "back": st.back,
            }
            for st in stays
        ],
        "forced_moves": sum(st.forced for st in stays),
        "moves_back": sum(st.back for st in stays),
        "days_pilot_to_infrastructure": days_pilot_to_infrastructure(stays),
    }


def stay_text(st: dict[str, Any]) -> str:
    """`Pilot 2026-02-09, 60 days (forced)`: one stay, as the CSV and Markdown write it."""
    marks = [m for m in ("forced", "back") if st[m]]
    kept = " so far" if st["end"] is None else ""
    tail = f" ({', '.join('moved back' if m == 'back' else m for m in marks)})" if marks else ""
    return f"{_label(st['stage'])} {st['start']}, {st['days']} days{kept}{tail}"


def _days(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:g}"


def markdown_summary(data: dict[str, Any]) -> list[str]:
    """The report's "Flow over time" section: a table per stage, conversion, kills, quarters."""
    f = data.get("flow")
    if f is None:
        return []
    out = [
        "",
        "## Flow over time",
        "",
        "Read from the change log: every move into a stage counts as an entry (forced moves and "
        "moves back included, and counted apart); days in stage are calendar days between "
        "entries; medians and 90th percentiles of finished stays, and separately the age of "
        "those still there.",
        "",
        "| Stage | Entered | Forced | Back | Left | Median days | 90th pct | Still there "
        "| Median age | 90th pct age |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s, row in f["stages"].items():
        e = f["entries"][s]
        still = row["still_there"]
        out.append(
            f"| {_label(s)} | {row['entered']} | {e['forced']} | {e['back']} | {row['left']} | "
            f"{_days(row['median_days'])} | {_days(row['p90_days'])} | {still['count']} | "
            f"{_days(still['median_days'])} | {_days(still['p90_days'])} |"
        )
    conv = f["conversion"]
    parts = [
        f"{_label(a)} → {_label(b)} {_share(conv[flow.step_key(a, b)])}" for a, b in flow.STEPS
    ]
    out += [
        "",
        f"**Pilot to Infrastructure:** {_share(conv['pilot_to_infrastructure'])} of the "
        "initiatives that entered Pilot later reached Infrastructure. Stage to next: "
        + "; ".join(parts)
        + ".",
    ]
    kills = [f"{_label(s)} {n}" for s, n in f["killed_from"].items() if n]
    out += ["", f"**Killed from:** {', '.join(kills) if kills else 'no kills'}."]
    if f["quarters"]:
        out += [
            "",
            "| Quarter | " + " | ".join(_label(s) for s in method.STAGE_IDS) + " | Crossed |",
            "| --- | " + " | ".join("---:" for _ in method.STAGE_IDS) + " | ---: |",
        ]
        for q in f["quarters"]:
            cells = " | ".join(str(q["entered"][s]) for s in method.STAGE_IDS)
            out.append(f"| {q['quarter']} | {cells} | **{q['crossed']}** |")
    return out


def _share(v: float | None) -> str:
    return "–" if v is None else f"{round(v * 100)}%"


def markdown_initiative(i: dict[str, Any]) -> list[str]:
    f = i.get("flow")
    if not f or not f["stays"]:
        return []
    return ["- **Timeline:** " + "; ".join(stay_text(st) for st in f["stays"])]


def csv_cells(i: dict[str, Any]) -> list[object]:
    f = i.get("flow")
    if f is None:
        return [""] * len(CSV_COLUMNS)
    d = f["days_pilot_to_infrastructure"]
    return [
        "; ".join(stay_text(st) for st in f["stays"]),
        f["forced_moves"],
        f["moves_back"],
        "" if d is None else d,
    ]
