"""The board: one column per stage with the initiatives in it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from bridge_tui import method
from bridge_tui.tui.screens.base import BridgeScreen


class BoardScreen(BridgeScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="columns"):
            for stage in method.STAGES:
                with Vertical(classes="column", id=f"col-{stage.id}"):
                    yield Label(stage.label, classes="column-title")
                    yield OptionList(id=f"list-{stage.id}")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        board = self.service.board()
        by_stage: dict[str, list[Option]] = {s: [] for s in method.STAGE_IDS}
        for i in sorted(board.initiatives, key=lambda i: i.name.casefold()):
            by_stage[i.stage].append(Option(i.name, id=i.id))
        for stage, options in by_stage.items():
            column = self.query_one(f"#list-{stage}", OptionList)
            column.clear_options()
            column.add_options(options)
            title = self.query_one(f"#col-{stage} .column-title", Label)
            title.update(f"{method.STAGE_BY_ID[stage].label} ({len(options)})")
