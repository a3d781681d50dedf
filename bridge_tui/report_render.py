"""The portfolio report rendered: JSON, Markdown and CSV from one typed `report.Report`.

Pure: imports neither the UI, nor the database, nor the service; `Service.report` and the CLI
call it. The JSON (`report_json`) is the document whose schema `bridge_tui.report` describes;
Markdown and CSV are read from that same document, so the three formats always agree.

The CSV report has one row per initiative (the columns of `CSV_COLUMNS`): the heat map's
figures and the answers to the four questions per initiative (`stage_three`, `next_gate_unmet`,
`blockers`, `kill_candidate`, `missing`); then, so that `bridge import` can read the report back
into a new file, the other fields (`team_name`, `summary`, `pilot_budget`, `integration_budget`,
`owner_is_operational`, `kill_reason`, `last_review_at`, `created`) and one `answer:ID` column
per answer (yes, no or ?), in the order of domain.md's tables. Columns are only ever added at
the end. A text cell that a spreadsheet would run as a formula (starting with = + - @) is
written with a leading apostrophe; `bridge import` drops it again.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date
from typing import Any

from bridge_tui import flow_report, method, sustain_report
from bridge_tui.report import Report, Section, Summary
from bridge_tui.text import csv_cell, md, number_text, reading_text

REPORT_FORMATS: tuple[str, ...] = ("md", "json", "csv")

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "stage",
    "owner",
    "days_in_stage",
    "score",
    "passing",
    *(c.id for c in method.CATEGORIES),
    *(t.id for t in method.TESTS),
    "stage_three",
    "next_stage",
    "next_gate_unmet",
    "blockers",
    "pilot_purgatory",
    "review_overdue",
    "kill_candidate",
    "maintenance_budget",
    "missing",
    "plan",
    "last_review",
    "last_decision",
    *sustain_report.CSV_COLUMNS,
    # added for `bridge import` (a report reads back into a new file): fields, then answers;
    # "team_name", as "team" already names the Team readiness category's points
    "team_name",
    "summary",
    "pilot_budget",
    "integration_budget",
    "owner_is_operational",
    "kill_reason",
    "last_review_at",
    "created",
    *(f"answer:{k}" for k in method.ANSWER_KEYS),
    *flow_report.CSV_COLUMNS,
)


def _label(stage: str | None) -> str:
    return method.STAGE_BY_ID[stage].label if stage else ""


def _test_mark(v: bool | None) -> str:
    return "yes" if v is True else "no" if v is False else "?"


# JSON -----------------------------------------------------------------------------------------

#: fields a section or the summary writes in its own way (after the others)
_ADDED = ("sustain", "flow")


#: values written as they are (JSON's own kinds)
_AS_IS: frozenset[type] = frozenset({str, int, float, bool, type(None)})

#: each kind of value met: the names of the fields it writes, in order, or None when it is not
#: a dataclass (asking `dataclasses` again for each of a large report's million values took
#: more than half of the document's time)
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields a dataclass writes, or None for a type that is not one."""
    try:
        return _FIELD_NAMES[kind]
    except KeyError:
        found = None
        if dataclasses.is_dataclass(kind):
            found = tuple(f.name for f in dataclasses.fields(kind) if f.name not in _ADDED)
        _FIELD_NAMES[kind] = found
        return found


def _plain(value: Any) -> Any:
    """A report value as JSON-ready data: a dataclass as its fields in order, a tuple as a
    list, a date as YYYY-MM-DD."""
    kind = type(value)
    if kind in _AS_IS:
        return value
    names = _field_names(kind)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def _summary_json(s: Summary) -> dict[str, Any]:
    out: dict[str, Any] = _plain(s)
    if s.sustain is not None:
        out.update(_plain(s.sustain))
    return out


def _section_json(s: Section, today: date) -> dict[str, Any]:
    out: dict[str, Any] = _plain(s)
    if s.sustain is not None:
        out["flags"].update(sustain_report.flags_json(s.sustain))
        out["sustain"] = sustain_report.sustain_json(s.sustain)
    if s.flow is not None:
        out["flow"] = flow_report.initiative_json(s.flow, today)
    return out


def report_json(report: Report) -> dict[str, Any]:
    """The report as one JSON-ready document (schema in `bridge_tui.report`)."""
    doc: dict[str, Any] = {
        "schema": report.schema,
        "date": report.date.isoformat(),
        "file": report.file,
        "summary": _summary_json(report.summary),
        "heat_map": _plain(report.heat_map),
        "initiatives": [_section_json(s, report.date) for s in report.initiatives],
    }
    if report.flow is not None:
        doc["flow"] = flow_report.flow_json(report.flow)
    return doc


def render(report: Report, fmt: str) -> str:
    """The report as text in `fmt` (one of `REPORT_FORMATS`)."""
    data = report_json(report)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(data)
    return _markdown(data)


def report_markdown(report: Report) -> str:
    """The report as Markdown that reads well as-is in a mail or a wiki."""
    return _markdown(report_json(report))


def report_csv(report: Report) -> str:
    """One row per initiative (columns: `CSV_COLUMNS`)."""
    return _csv(report_json(report))


# Markdown and CSV -----------------------------------------------------------------------------


def _md(text: str) -> str:
    """A person's text as literal Markdown (`text.md`): no heading, link, emphasis or table cell
    of its own, whatever it holds."""
    return md(text)


def _category_short(cid: str) -> str:
    return {
        "data": "Data",
        "governance": "Gov.",
        "operations": "Ops",
        "security": "Sec.",
        "team": "Team",
    }.get(cid, cid)


def _requirement(key: str) -> str:
    return method.describe_requirement(key)


def _markdown(data: dict[str, Any]) -> str:
    s = data["summary"]
    by_id = {i["id"]: i for i in data["initiatives"]}
    day = date.fromisoformat(data["date"])
    out: list[str] = [
        f"# AI portfolio report: {_md(data['file'])}, {day.strftime('%d %B %Y').lstrip('0')}",
        "",
        "## The four questions",
        "",
    ]
    infra_names = ", ".join(_md(by_id[i]["name"]) for i in s["infrastructure_ids"]) or "none"
    out.append(
        f"1. **{s['active']} active initiatives; {s['infrastructure']} really infrastructure** "
        f"(in Infrastructure and passing all four tests): {infra_names}."
    )
    out.append(f"2. **What blocks the other {len(s['blocked'])}:**")
    for b in s["blocked"]:
        what = (
            "; ".join(_requirement(k) for k in b["unmet"])
            if b["unmet"]
            else "nothing unmet: the gate is open"
        )
        gate = f"gate into {_label(b['next_stage'])}" if b["next_stage"] else "the four tests"
        tags = (
            "; blockers: " + ", ".join(method.BLOCKER_BY_ID[t].label for t in b["blockers"])
            if b["blockers"]
            else ""
        )
        out.append(f"   - **{_md(b['name'])}** ({_label(b['stage'])}): {gate}: {what}{tags}.")
    kills = s["kill_candidates"]
    out.append(f"3. **Kill candidates: {len(kills)}**" + ("" if kills else " (none)."))
    for k in kills:
        out.append(f"   - **{_md(k['name'])}**: {'; '.join(k['reasons'])}.")
    promoted = s["promoted"]
    missing = [p for p in promoted if p["missing"]]
    out.append(
        f"4. **Being promoted: {len(promoted)}; missing an owner or a maintenance budget: "
        f"{len(missing)}**" + ("" if promoted else " (none).")
    )
    for p in promoted:
        owner = p["owner"] or "no named owner"
        budget = (
            f"maintenance budget {number_text(p['maintenance_budget'])}"
            if p["has_maintenance_budget"]
            else "no maintenance budget"
        )
        flag = f" **Missing: {', '.join(p['missing'])}.**" if p["missing"] else ""
        if p.get("owner_issue") and p["owner"]:
            owner += f" ({p['owner_issue']})"
        out.append(
            f"   - **{_md(p['name'])}** ({_label(p['stage'])}): {_md(owner)}; {budget}.{flag}"
        )
    purg = [_md(by_id[i]["name"]) for i in s["pilot_purgatory"]]
    overdue = [_md(by_id[i]["name"]) for i in s["review_overdue"]]
    out += [
        "",
        f"Pilot purgatory (more than {method.PURGATORY_DAYS} days in Pilot and Validate "
        f"together): {', '.join(purg) if purg else 'none'}.",
        "",
        f"Review overdue (Infrastructure with no review in {method.REVIEW_DAYS} days): "
        f"{', '.join(overdue) if overdue else 'none'}.",
    ]
    out += sustain_report.markdown_summary(data)
    out += flow_report.markdown_summary(data)
    out += [
        "",
        "## Stage funnel",
        "",
        "| Stage | Initiatives |",
        "| --- | ---: |",
    ]
    for stage, n in s["funnel"].items():
        out.append(f"| {_label(stage)} | {n} |")
    out += [
        "",
        "## Blockers across the portfolio",
        "",
        "| Blocker | Initiatives |",
        "| --- | ---: |",
    ]
    for b, n in s["blockers"].items():
        out.append(f"| {method.BLOCKER_BY_ID[b].label} | {n} |")
    cats = [c.id for c in method.CATEGORIES]
    tests_ = [t.id for t in method.TESTS]
    out += [
        "",
        "## Heat map",
        "",
        f"Points met per category, the total out of {method.MAX_SCORE} "
        f"({method.PASSING_SCORE} passes) and the four tests (yes, no, ? for unanswered).",
        "",
        "| Initiative | Stage | "
        + " | ".join(_category_short(c) for c in cats)
        + " | Total | "
        + " | ".join(method.TEST_BY_ID[t].label for t in tests_)
        + " |",
        "| --- | --- | "
        + " | ".join("---:" for _ in cats)
        + " | ---: | "
        + " | ".join(":---:" for _ in tests_)
        + " |",
    ]
    for h in data["heat_map"]:
        cells = [f"{h['categories'][c]['met']}/{h['categories'][c]['max']}" for c in cats]
        total = f"**{h['total']}**" if h["passing"] else str(h["total"])
        marks = [_test_mark(h["tests"][t]) for t in tests_]
        out.append(
            f"| {_md(h['name'])} | {_label(h['stage'])} | "
            + " | ".join(cells)
            + f" | {total} | "
            + " | ".join(marks)
            + " |"
        )
    out += ["", "## Initiatives", ""]
    for i in data["initiatives"]:
        out += _initiative_markdown(i)
    return "\n".join(out).rstrip("\n") + "\n"


def _initiative_markdown(i: dict[str, Any]) -> list[str]:
    sc = i["score"]
    flags = []
    if i["flags"]["pilot_purgatory"]:
        flags.append("pilot purgatory")
    if i["flags"]["review_overdue"]:
        flags.append("review overdue")
    if i["flags"]["kill_candidate"]:
        flags.append("kill candidate")
    if i["flags"]["forced"]:
        flags.append(f"forced into this stage: {_md(i['forced_reason'])}")
    stage = f"{_label(i['stage'])} for {i['days_in_stage']} days"
    if flags:
        stage += f" ({', '.join(flags)})"
    owner = _md(i["owner"]) if i["owner"] else "no named owner"
    if i["owner"] and i["owner_is_operational"]:
        owner += " (operations side)"
    if i["pilot_builder"]:
        owner += f"; pilot built by {_md(i['pilot_builder'])}"
    if i["owner"] and i["owner_issue"]:
        owner += f"; does not count as owned: {_md(i['owner_issue'])}"
    if i["team"]:
        owner += f"; team: {_md(i['team'])}"
    cats = ", ".join(
        f"{method.CATEGORY_BY_ID[c].label} {v['met']}/{v['max']}"
        for c, v in sc["categories"].items()
    )
    weakest = (
        ", ".join(method.CATEGORY_BY_ID[c].label.lower() for c in sc["weakest"])
        or "none (full marks)"
    )
    verdict = "passing" if sc["passing"] else f"under the pass line of {sc['threshold']}"
    tests = ", ".join(
        f"{method.TEST_BY_ID[t].label} {_test_mark(v)}" for t, v in i["tests"].items()
    )
    if i["stage_three"]:
        tests += " (real infrastructure)"
    real = [s for s in method.REAL_SIGNALS]
    sig_real = ", ".join(f"{s.label.lower()} {i['signals'][s.id]}" for s in real)
    signals = f"{sig_real}. {i['scale']['sentence']}"
    if i["scale"]["stable_performance_supported_by_data"]:
        signals += " Stable performance is supported by the metrics."
    if i["scale"]["stalled_adoption"]:
        signals += (
            f" Adoption stalls under {method.ADOPTION_FLOOR:g}% ("
            + ", ".join(i["scale"]["stalled_adoption"])
            + ")."
        )
    ng = i["next_gate"]
    if ng is None:
        gate = "none (last stage)" if i["stage"] != method.KILLED else "none (killed)"
    elif ng["allowed"]:
        gate = f"into {_label(ng['to'])}: everything met"
    else:
        gate = f"into {_label(ng['to'])}: needs " + "; ".join(_requirement(k) for k in ng["unmet"])
    blockers = ", ".join(method.BLOCKER_BY_ID[b].label for b in i["blockers"]) or "none"
    plan = i["plan"]["text"] if i["plan"] else "no plan"
    rev = i["last_review"]
    last = (
        f"{rev['date']}, {rev['decision']} by {_md(rev['reviewer']) or 'unknown'}"
        + (f": {_md(rev['note'])}" if rev["note"] else "")
        if rev
        else "never reviewed"
    )
    lines = [
        f"### {_md(i['name'])}",
        "",
        f"- **Stage:** {stage}",
        f"- **Owner:** {owner}",
        f"- **Score:** {method.score_text(sc['total'])}, {verdict}. {cats}. Weakest: {weakest}.",
        f"- **Tests:** {tests}",
        f"- **Signals:** {signals}",
        f"- **Next gate:** {gate}",
        f"- **Blockers:** {blockers}",
        f"- **Plan:** {plan}",
        f"- **Last review:** {last}",
    ]
    if i["metrics"]:
        ms = "; ".join(
            f"{_md(m['name'])} {_md(reading_text(m['latest'], m['unit']))}"
            + (
                f" (target {_md(reading_text(m['target'], m['unit']))})"
                if m["target"] is not None
                else ""
            )
            for m in i["metrics"]
        )
        lines.append(f"- **Metrics (latest):** {ms}")
    if i["kill_candidate_reasons"]:
        lines.append(f"- **Kill candidate:** {'; '.join(i['kill_candidate_reasons'])}")
    if i["kill_reason"]:
        lines.append(f"- **Killed because:** {_md(i['kill_reason'])}")
    lines += sustain_report.markdown_initiative(i)
    lines += flow_report.markdown_initiative(i)
    lines.append("")
    return lines


def _csv(data: dict[str, Any]) -> str:
    """Every text cell goes through
    `text.csv_cell`: a name like `=cmd|...` or `@HYPERLINK(...)` opens as text, not a formula."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    missing = {p["id"]: p["missing"] for p in data["summary"]["promoted"]}
    for i in data["initiatives"]:
        ng = i["next_gate"]
        w.writerow(
            csv_cell(cell)
            for cell in [
                i["id"],
                i["name"],
                i["stage"],
                i["owner"],
                i["days_in_stage"],
                i["score"]["total"],
                "yes" if i["score"]["passing"] else "no",
                *(
                    f"{v['met']}/{v['max']}"
                    for v in (i["score"]["categories"][c.id] for c in method.CATEGORIES)
                ),
                *(_test_mark(i["tests"][t.id]) for t in method.TESTS),
                "yes" if i["stage_three"] else "no",
                ng["to"] if ng else "",
                " ".join(ng["unmet"]) if ng else "",
                " ".join(i["blockers"]),
                "yes" if i["flags"]["pilot_purgatory"] else "no",
                "yes" if i["flags"]["review_overdue"] else "no",
                "yes" if i["flags"]["kill_candidate"] else "no",
                i["budgets"]["maintenance"],
                "; ".join(missing.get(i["id"], [])),
                i["plan"]["text"] if i["plan"] else "no plan",
                i["last_review"]["date"] if i["last_review"] else "",
                i["last_review"]["decision"] if i["last_review"] else "",
                *sustain_report.csv_cells(i),
                i["team"],
                i["summary"],
                i["budgets"]["pilot"],
                i["budgets"]["integration"],
                "yes" if i["owner_is_operational"] else "no",
                i["kill_reason"],
                i["last_review_at"] or "",
                i["created"],
                *(_ANSWER_MARK[i["answers"][k]] for k in method.ANSWER_KEYS),
                *flow_report.csv_cells(i),
            ]
        )
    return buf.getvalue()


_ANSWER_MARK = {"yes": "yes", "no": "no", "unknown": "?"}
