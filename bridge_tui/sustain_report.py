"""Sustain and extend in the reports: the JSON keys, the Markdown lines and the CSV columns.

`SustainOps.report_data` adds to the report (`report.SustainSummary`, `Section.sustain`), and so
`report_render` to its document (schema "bridge.report/1", new keys only):

    "summary": {
      ...,
      "not_optimising": [id, ...],        # Infrastructure short of an Optimize exit condition
      "metrics_stale": [id, ...],         # a metric with no reading for 30 days or more
      "maintenance_commitment": [id, ...], # commitment expired or under 12 months ahead
      "volume_under": [id, ...],          # Infrastructure, > 12 months past Productionize, < 70%
      "productionize_now": [id, ...],     # active initiatives in Productionize, board order
      "focus_warning": bool,              # more than one of them at once
      "extensions": [{"id", "name", "extended_by": [id, ...]}]  # each Infrastructure initiative
    },
    "initiatives": [{
      ...,
      "flags": {..., "not_optimising", "metrics_stale", "maintenance_commitment", "volume_under"},
      "sustain": {
        "optimising": null (not Infrastructure) | bool, "optimise_missing": [exit id, ...],
        "stale_metrics": [{"name", "last": "YYYY-MM-DD", "days": int}],
        "maintenance_committed_until": null | "YYYY-MM-DD",
        "commitment": "none" | "expired" | "short" | "ok",
        "designed_volume": null | number, "volume_metric": str,
        "volume": null | {"metric", "latest", "at", "percent", "entered_productionize",
                          "due", "under", "flagged"},
        "builds_on": null | {"id", "name", "stage"},
        "extended_by": [{"id", "name", "stage"}, ...]
      }
    }]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bridge_tui import method, sustain
from bridge_tui.text import md, number_text

if TYPE_CHECKING:  # the report's types load when a report is made (`summary`)
    from bridge_tui.report import SustainSummary

#: columns the CSV report adds after its first ones
CSV_COLUMNS: tuple[str, ...] = (
    "not_optimising",
    "metrics_stale",
    "maintenance_committed_until",
    "commitment",
    "volume_percent",
    "volume_under",
    "builds_on",
)
#: the report's flag keys -> the `Sustain` property behind each
FLAG_KEYS: dict[str, str] = {
    "not_optimising": "not_optimising",
    "metrics_stale": "metrics_stale",
    "maintenance_commitment": "commitment_flagged",
    "volume_under": "volume_flagged",
}


def _link(link: sustain.Link) -> dict[str, str]:
    return {"id": link.id, "name": link.name, "stage": link.stage}


def sustain_json(s: sustain.Sustain) -> dict[str, Any]:
    """One initiative's `sustain` document (also in `bridge show --json`)."""
    v = s.volume
    return {
        "optimising": None if s.stage != method.INFRASTRUCTURE else not s.optimise_missing,
        "optimise_missing": list(s.optimise_missing),
        "stale_metrics": [
            {"name": m.name, "last": m.last.isoformat(), "days": m.days} for m in s.stale
        ],
        "maintenance_committed_until": (
            s.commitment.until.isoformat() if s.commitment.until is not None else None
        ),
        "commitment": s.commitment.state,
        "designed_volume": s.designed_volume,
        "volume_metric": s.volume_metric,
        "volume": None
        if v is None
        else {
            "metric": v.metric,
            "latest": v.latest,
            "at": v.at.isoformat(),
            "percent": round(v.percent, 1),
            "entered_productionize": v.entered.isoformat() if v.entered else None,
            "due": v.due,
            "under": v.under,
            "flagged": s.volume_flagged,
        },
        "builds_on": _link(s.builds_on) if s.builds_on is not None else None,
        "extended_by": [_link(x) for x in s.extended_by],
    }


def flags_json(s: sustain.Sustain) -> dict[str, bool]:
    return {key: bool(getattr(s, prop)) for key, prop in FLAG_KEYS.items()}


def summary(ov: sustain.SustainOverview, names: Mapping[str, str]) -> SustainSummary:
    """The summary's sustain keys, typed (`report_render` writes them as JSON)."""
    from bridge_tui.report import Extension, SustainSummary

    flagged = {key: ov.ids_where(prop) for key, prop in FLAG_KEYS.items()}
    return SustainSummary(
        not_optimising=flagged["not_optimising"],
        metrics_stale=flagged["metrics_stale"],
        maintenance_commitment=flagged["maintenance_commitment"],
        volume_under=flagged["volume_under"],
        productionize_now=tuple(ov.productionize),
        focus_warning=ov.crowded,
        extensions=tuple(
            Extension(iid, names[iid], tuple(x.id for x in ov.by_id[iid].extended_by))
            for iid in ov.infrastructure
        ),
    )


# Markdown --------------------------------------------------------------------------------------


def _md(text: str) -> str:
    """A person's text as literal Markdown (`text.md`)."""
    return md(text)


def _names(data: dict[str, Any], ids: list[str]) -> str:
    by_id = {i["id"]: i["name"] for i in data["initiatives"]}
    return ", ".join(_md(by_id[i]) for i in ids) if ids else "none"


def markdown_summary(data: dict[str, Any]) -> list[str]:
    """The report's "Sustain and extend" part, after the four questions."""
    s = data["summary"]
    if "not_optimising" not in s:
        return []
    by_id = {i["id"]: i for i in data["initiatives"]}
    out = ["", "## Sustain and extend", ""]
    if s["focus_warning"]:
        names = [by_id[i]["name"] for i in s["productionize_now"]]
        out += [f"**Warning:** {sustain.focus_sentence([_md(n) for n in names])}", ""]

    def detail(iid: str, what: str) -> str:
        i = by_id[iid]["sustain"]
        if what == "not_optimising":
            return ", ".join(sustain.condition_words(k) for k in i["optimise_missing"])
        if what == "metrics_stale":
            return ", ".join(f"{_md(m['name'])} {m['days']} days" for m in i["stale_metrics"])
        if what == "maintenance_commitment":
            until = i["maintenance_committed_until"]
            return f"expired on {until}" if i["commitment"] == "expired" else f"until {until}"
        v = i["volume"]
        return f"{sustain.percent_text(v['percent'])} of the designed volume" if v else ""

    titles = {
        "not_optimising": "Not yet optimising (Infrastructure without an evaluation process "
        "and an improvement shipped through it)",
        "metrics_stale": f"Metrics stale (no reading for {method.METRICS_STALE_DAYS} days or "
        "more; the method reviews them at least monthly)",
        "maintenance_commitment": "Maintenance commitment expired or under "
        f"{method.MAINTENANCE_COMMIT_MONTHS} months ahead",
        "volume_under": f"Volume under {method.VOLUME_FLOOR_PERCENT}% of the design more than "
        f"{method.VOLUME_AFTER_MONTHS} months after entering Productionize",
    }
    for key, title in titles.items():
        ids = s[key]
        items = "; ".join(f"{_md(by_id[i]['name'])} ({detail(i, key)})" for i in ids)
        out.append(f"- {title}: {items or 'none'}.")
    out += ["", "Infrastructure and what builds on it:", ""]
    if not s["extensions"]:
        out.append("- no initiative is in Infrastructure yet.")
    for e in s["extensions"]:
        ext = e["extended_by"]
        built = (
            ", ".join(f"{_md(by_id[x]['name'])} ({_label(by_id[x]['stage'])})" for x in ext)
            if ext
            else "nothing yet: which adjacent workflows could extend it?"
        )
        out.append(f"- **{_md(e['name'])}**: {built}")
    return out


def _label(stage: str) -> str:
    return method.STAGE_BY_ID[stage].label


def markdown_initiative(i: dict[str, Any]) -> list[str]:
    """Lines of one initiative's section: what these rules say about it, and its links."""
    s = i.get("sustain")
    if s is None:
        return []
    out: list[str] = []
    said: list[str] = []
    if s["optimise_missing"]:
        needs = ", ".join(sustain.condition_words(k) for k in s["optimise_missing"])
        said.append(f"not yet optimising (needs {needs})")
    elif s["optimising"]:
        said.append("optimising (evaluation process and an improvement shipped)")
    if s["stale_metrics"]:
        each = ", ".join(f"{_md(m['name'])} {m['days']} days" for m in s["stale_metrics"])
        said.append(f"metrics stale ({each})")
    until = s["maintenance_committed_until"]
    if until is not None:
        state = {
            "expired": f"maintenance commitment expired on {until}",
            "short": f"maintenance committed only until {until} "
            f"(under {method.MAINTENANCE_COMMIT_MONTHS} months)",
            "ok": f"maintenance committed until {until}",
        }[s["commitment"]]
        said.append(state)
    v = s["volume"]
    if v is not None:
        text = (
            f"volume {sustain.percent_text(v['percent'])} of the designed "
            f"{number_text(s['designed_volume'])} ({_md(v['metric'])}, {v['at']})"
        )
        if v["flagged"]:
            text += (
                f", under {method.VOLUME_FLOOR_PERCENT}% after {method.VOLUME_AFTER_MONTHS} months"
            )
        said.append(text)
    elif s["designed_volume"] is not None:
        said.append(
            f"designed volume {number_text(s['designed_volume'])}, no reading of "
            f"'{_md(s['volume_metric'])}' yet"
        )
    if said:
        out.append(f"- **Sustain:** {'; '.join(said)}.")
    if s["builds_on"] is not None:
        b = s["builds_on"]
        where = "" if b["stage"] == method.EXTENDABLE_STAGE else f" (now {_label(b['stage'])})"
        out.append(f"- **Builds on:** {_md(b['name'])}{where}")
    if s["extended_by"]:
        names = ", ".join(f"{_md(x['name'])} ({_label(x['stage'])})" for x in s["extended_by"])
        out.append(f"- **Extended by:** {names}")
    elif i["stage"] == method.EXTENDABLE_STAGE:
        out.append("- **Extended by:** nothing yet; which adjacent workflows could extend it?")
    return out


def csv_cells(i: dict[str, Any]) -> list[object]:
    s = i.get("sustain")
    if s is None:
        return [""] * len(CSV_COLUMNS)
    v = s["volume"]
    yes = {True: "yes", False: "no"}
    return [
        yes[i["flags"]["not_optimising"]],
        yes[i["flags"]["metrics_stale"]],
        s["maintenance_committed_until"] or "",
        s["commitment"],
        v["percent"] if v is not None else "",
        yes[i["flags"]["volume_under"]],
        s["builds_on"]["id"] if s["builds_on"] is not None else "",
    ]
