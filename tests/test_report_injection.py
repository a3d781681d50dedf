"""Reports and minutes carry a person's text as data: a kill reason cannot add a heading, a name
cannot become a link, a CSV cell cannot become a spreadsheet formula.

The Markdown is rendered with markdown-it (CommonMark + tables, what Textual itself uses) and
the HTML is checked, so the test sees what a reader of the report would see.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY

LINK_NAME = "[pay here](https://evil.example)"
HEADING_REASON = "budget gone\n\n## Injected\n\n- [click](https://evil.example) **now**"
HOSTILE_NOTE = "kept\n\n# Also injected\n| x | y |\n<img src=x onerror=alert(1)>"


def render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


@pytest.fixture
def svc(tmp_path: Path) -> Service:
    path = tmp_path / "hostile.db"
    Store.create(path).close()
    return Service(Store.open(path), "[/] *admin*", FROZEN_TODAY)


def _hostile_portfolio(svc: Service) -> None:
    a = svc.create_initiative(
        LINK_NAME, owner="**boss** <b>x</b>", team="ops | finance", summary="![i](x)"
    )
    svc.add_metric(a, "<script>m</script>", 12.5, target=10, unit="`%`")
    b = svc.create_initiative("Route_optimisation #2", owner="_it_")
    svc.kill(b, HEADING_REASON)


def test_markdown_report_shows_every_hostile_value_as_text(svc: Service) -> None:
    _hostile_portfolio(svc)
    md = svc.report("md")
    html = render(md)
    assert "<a " not in html and "<img" not in html and "<script" not in html
    assert "Injected</h2>" not in html
    assert "<strong>boss</strong>" not in html and "<strong>now</strong>" not in html
    # headings are only the report's own
    headings = re.findall(r"<h(\d)>(.*?)</h\1>", html)
    own = {
        "The four questions",
        "Stage funnel",
        "Blockers across the portfolio",
        "Heat map",
        "Sustain and extend",
        "Flow over time",
    }
    for level, text in headings:
        assert level in "123", text
        assert text in own or text.startswith(
            ("AI portfolio report", "Initiatives", "[pay", "Route")
        )
    # every value reads back exactly as typed
    text = re.sub(r"<[^>]+>", "", html)
    for shown in ("[pay here](https://evil.example)", "ops | finance", "Route_optimisation #2"):
        assert shown in text.replace("&quot;", '"').replace("&amp;", "&")
    assert "budget gone  ## Injected  - [click](https://evil.example) **now**" in text


def test_heat_map_rows_keep_their_cells_whatever_the_name(svc: Service) -> None:
    svc.create_initiative("a | b | c")
    html = render(svc.report("md"))
    heat = html.split("Heat map</h2>")[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", heat, flags=re.S)
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, flags=re.S) for r in rows]
    assert len({len(c) for c in cells}) == 1
    assert [c[0] == "a | b | c" for c in cells[1:]] == [True]


def test_minutes_escape_names_notes_and_the_reviewer(svc: Service) -> None:
    a = svc.create_initiative(LINK_NAME)
    b = svc.create_initiative("Plain one")
    session = svc.start_review([a.id, b.id])
    svc.record_decision(session, a, "keep", HOSTILE_NOTE)
    svc.record_decision(session, b, "kill", HEADING_REASON, reason=HEADING_REASON)
    minutes = svc.review_minutes(session)
    html = render(minutes)
    assert "<a " not in html and "<img" not in html
    assert "Injected</h2>" not in html and "Also injected</h1>" not in html
    assert "<em>admin</em>" not in html
    text = re.sub(r"<[^>]+>", "", html).replace("&quot;", '"').replace("&lt;", "<")
    assert "Led by: [/] *admin*" in text
    assert "[pay here](https://evil.example)" in text
    # the decisions table keeps one row per initiative, five cells each
    table = html.split("<table>")[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    assert [len(re.findall(r"<t[dh]>", r)) for r in rows] == [5, 5, 5]


def test_csv_cells_never_start_a_formula(svc: Service) -> None:
    svc.create_initiative("=cmd|' /C calc'!A0", owner='@HYPERLINK("https://evil.example")')
    svc.create_initiative("+SUM(A1:A9)", owner="-2+3")
    svc.create_initiative("Plain", owner="-5")
    rows = list(csv.DictReader(io.StringIO(svc.report("csv"))))
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"'=cmd|' /C calc'!A0", "'+SUM(A1:A9)", "Plain"}
    assert by_name["'=cmd|' /C calc'!A0"]["owner"] == '\'@HYPERLINK("https://evil.example")'
    assert by_name["'+SUM(A1:A9)"]["owner"] == "'-2+3"
    assert by_name["Plain"]["owner"] == "-5"  # a plain number stays a number
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            assert not value.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", value), value
