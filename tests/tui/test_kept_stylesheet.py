"""Each stylesheet is parsed once while the theme stays the same (issue 13: Textual parsed every
source again on each CSS refresh, at start-up and at each screen's first showing), and a new
theme still parses everything again and repaints in its colours."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from textual.css import stylesheet as textual_stylesheet
from textual.css.stylesheet import StylesheetError, StylesheetParseError
from textual.css.tokenizer import TokenError

from bridge_tui.tui.kept_stylesheet import KeptStylesheet
from bridge_tui.tui.widgets.footer import BridgeFooter as Footer
from tests.tui.helpers import sample_app, step


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each source (by where it was read from) is parsed from its text."""
    counts: Counter[str] = Counter()
    parse = textual_stylesheet.parse

    def counting(scope: str, css: str, read_from: Any, **kw: Any) -> Any:
        counts[str(read_from[0])] += 1
        return parse(scope, css, read_from, **kw)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return counts


def _ours(counts: Counter[str]) -> dict[str, int]:
    return {name: n for name, n in counts.items() if name.endswith(".tcss")}


async def test_start_up_and_first_showings_parse_each_stylesheet_once(
    sample_db: Path, parses: Counter[str]
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        ours = _ours(parses)
        # board.tcss; each screen's own sheet comes with its first showing
        assert len(ours) >= 1 and set(ours.values()) == {1}, ours
        for key in ("2", "3", "4", "1"):
            await step(pilot, key)
        assert len(_ours(parses)) > len(ours), _ours(parses)
        assert set(_ours(parses).values()) == {1}, _ours(parses)
        assert isinstance(app.stylesheet, KeptStylesheet)


async def test_a_new_theme_parses_again_and_repaints(sample_db: Path, parses: Counter[str]) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        before = footer.styles.background
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        assert set(_ours(parses).values()) == {2}, _ours(parses)
        assert app.screen.query_one(Footer).styles.background != before
        # the next showings parse only their own new sheets: the theme's parse is kept (a
        # saved theme is chosen just after start-up, so this was every first opening's cost)
        every = sum(parses.values())
        await step(pilot, "2")
        assert set(_ours(parses).values()) <= {1, 2}, _ours(parses)
        assert sum(parses.values()) - every < 20, "a showing after a new theme parsed everything"


def test_the_same_variables_keep_the_parse_and_new_ones_redo_it(parses: Counter[str]) -> None:
    sheet = KeptStylesheet(variables={"accent": "red"})
    sheet.add_source("Label { color: $accent; }", read_from=("a.tcss", ""))
    sheet.reparse()
    red = sheet.rules[0].styles.color
    sheet.set_variables({"accent": "red"})
    sheet.reparse()
    assert parses["a.tcss"] == 1
    sheet.set_variables({"accent": "blue"})
    sheet.reparse()
    assert parses["a.tcss"] == 2
    assert sheet.rules[0].styles.color != red


def test_a_broken_source_is_still_refused(parses: Counter[str]) -> None:
    sheet = KeptStylesheet(variables={})
    sheet.add_source("Label { color: red; }", read_from=("a.tcss", ""))
    sheet.reparse()
    sheet.add_source("Label { colour red }", read_from=("b.tcss", ""))
    with pytest.raises((StylesheetError, StylesheetParseError, TokenError)):
        sheet.reparse()
    # what was parsed before stands
    assert len(sheet.rules) == 1


# component classes: worked out once for widgets that are alike ----------------------------------


def _components(app: Any) -> dict[Any, dict[str, Any]]:
    """Every widget on the current screen with component classes -> the rules of each."""
    return {
        node: {c: (s._base_styles._rules, s._inline_styles._rules) for c, s in styles.items()}
        for node in app.screen.walk_children(with_self=True)
        if (styles := dict(node._component_styles))
    }


def _afresh(app: Any) -> dict[Any, dict[str, Any]]:
    """The same, each worked out again by Textual's own path, with nothing kept."""
    plain = textual_stylesheet.Stylesheet._process_component_classes
    for node in app.screen.walk_children(with_self=True):
        if node._get_component_classes():
            plain(app.stylesheet, node)
    return _components(app)


@pytest.mark.parametrize("theme", [None, "textual-light"])
async def test_component_styles_kept_for_alike_widgets_are_what_textual_works_out(
    sample_db: Path, theme: str | None
) -> None:
    """Board columns, lists and tables share their component classes' styles with the widgets
    alike to them (type, classes, the ids and pseudo-classes the rules test, up to the app):
    each screen's, with the selection on it and after a theme change, equals Textual's own."""
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        if theme:
            app.theme = theme
            await pilot.pause()
        for keys in (("1",), ("l",), ("2",), ("3",), ("4",), ("5",), ("1", "H"), ("escape", "e")):
            await step(pilot, *keys)
            kept = _components(app)
            assert kept, type(app.screen).__name__
            assert kept == _afresh(app), type(app.screen).__name__


def test_a_new_parse_forgets_the_kept_component_styles() -> None:
    sheet = KeptStylesheet(variables={"accent": "red"})
    sheet.add_source("Label > .x { color: $accent; }", read_from=("a.tcss", ""))
    sheet.reparse()
    sheet._components[("k",)] = {}
    sheet.set_variables({"accent": "blue"})
    sheet.reparse()
    from textual.widgets import Label

    class Marked(Label):
        COMPONENT_CLASSES = {"x"}

    node = Marked()
    sheet.apply(node)
    assert ("k",) not in sheet._components
    assert node._component_styles["x"].color.rgb == (0, 0, 255)
