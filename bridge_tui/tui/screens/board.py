"""The board: the home screen, one column per stage, driven from the keyboard in a meeting.

`board_view.BoardView` shows the board and moves the selection; this screen adds the keys that
change things (move through a gate, kill, revive, add, edit) and the command palette. Every
change is one service call; what the service refuses is shown as it says it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bridge_tui import method
from bridge_tui.errors import BridgeError, GateRefused, StaleRevision
from bridge_tui.tui.screens import board_keys
from bridge_tui.tui.screens.base import PaletteEntry
from bridge_tui.tui.screens.board_view import BoardView

if TYPE_CHECKING:
    from bridge_tui.models import Initiative
    from bridge_tui.service.conflicts import StaleChanges


class BoardScreen(BoardView):
    """The home screen."""

    # keys: changing things -------------------------------------------------------------------

    def _target(self) -> Initiative | None:
        """The selected initiative as its model (what the service's writes take), with the
        revision the user saw on the card."""
        if self.refuse_if_read_only():
            return None
        current = self.selected
        if current is None:
            self.notify("Select an initiative first.", timeout=3, markup=False)
            return None
        from bridge_tui.models import initiative_of

        return initiative_of(current)

    def _movable(self) -> Initiative | None:
        """The selected initiative when a stage key may move it (a killed one is revived)."""
        current = self._target()
        if current is not None and current.stage == method.KILLED:
            self.notify(
                f"{current.name} is killed: v revives it into Experiment.", timeout=5, markup=False
            )
            return None
        return current

    def action_forward(self) -> None:
        current = self._movable()
        if current is None:
            return
        target = method.next_stage(current.stage)
        if target is None:
            self.notify(
                f"{current.name} is already in Infrastructure, the last stage.",
                timeout=5,
                markup=False,
            )
            return
        # the service evaluates the gate: a refusal brings what the gate dialog shows
        self._move(current, target)

    def _ask_force(self, current: Initiative, target: str, refused: GateRefused) -> None:
        def done(reason: str | None) -> None:
            if reason:
                self._move(current, target, force=True, reason=reason)

        from bridge_tui.tui.dialogs.gate import GateDialog  # loaded when first used

        dialog = GateDialog(
            current.name, target, refused.unmet, warnings=refused.warnings, lines=refused.lines
        )
        self._push(dialog, done)

    def action_back(self) -> None:
        current = self._movable()
        if current is None:
            return
        target = method.previous_stage(current.stage)
        if target is None:
            self.notify(
                "Experiment is the first stage; x kills an initiative.", timeout=5, markup=False
            )
            return
        label = method.STAGE_BY_ID[target].label

        def done(reason: str | None) -> None:
            if reason:
                self._move(current, target, reason=reason)

        from bridge_tui.tui.dialogs.common import ReasonDialog  # loaded when first used

        self._push(
            ReasonDialog(
                f"Move {current.name} back to {label}?",
                details="A backward move needs a reason; it is kept in the history.",
                confirm_label="Move back",
            ),
            done,
        )

    def _refused(self, exc: BridgeError) -> None:
        """Say why a change was refused; a teammate's newer save also reloads the board."""
        self.report(exc)
        if isinstance(exc, StaleRevision):
            self.refresh_data()

    def _move(
        self, current: Initiative, target: str, *, force: bool = False, reason: str = ""
    ) -> None:
        try:
            result = self.service.move(current, target, force=force, reason=reason)
        except GateRefused as refused:
            # what is missing now (the answers may have changed since the card was drawn)
            self._ask_force(current, target, refused)
            return
        except BridgeError as exc:
            self._refused(exc)
            return
        moved = result.initiative
        self._rebuild(moved.id, self._replace(moved, current))
        label = method.STAGE_BY_ID[moved.stage].label
        forced = " (forced; the card says so)" if result.forced else ""
        self.say(f"✓ {moved.name} moved to {label}{forced} · ctrl+z undoes")
        for warning in result.warnings:
            self.notify(warning, title="Warning", severity="warning", timeout=12, markup=False)
        if result.plan_created:
            self.notify(
                f"The {method.PLAN_DAYS}-day plan for {moved.name} was created: press 3 to see it.",
                title=method.PLAN_NAME,
                timeout=8,
                markup=False,
            )

    def action_kill(self) -> None:
        current = self._target()
        if current is None:
            return
        if current.stage == method.KILLED:
            self.notify(f"{current.name} is already killed.", timeout=4, markup=False)
            return

        def done(reason: str | None) -> None:
            if not reason:
                return
            try:
                result = self.service.kill(current, reason)
            except BridgeError as exc:
                self._refused(exc)
                return
            column = self.current_column
            row = column.cursor
            self._rebuild(None, self._replace(result.initiative, current))
            column.move_cursor(row)
            self._selection_changed()
            hidden = "" if self.show_killed else " (K shows the Killed column)"
            self.say(f"✓ {current.name} killed{hidden} · v revives it · ctrl+z undoes")

        from bridge_tui.tui.dialogs.common import ReasonDialog  # loaded when first used

        self._push(
            ReasonDialog(
                f"Kill {current.name}?",
                details="It stops on purpose and moves to Killed; v revives it later. "
                "The reason is kept in the history.",
                confirm_label="Kill it",
            ),
            done,
        )

    def action_revive(self) -> None:
        current = self._target()
        if current is None:
            return
        if current.stage != method.KILLED:
            self.notify(
                f"{current.name} is not killed; only killed initiatives can be revived.",
                timeout=4,
                markup=False,
            )
            return
        self._move(current, method.FLOW[0])

    def action_new(self) -> None:
        if not self.refuse_if_read_only():
            self._open_form(None)

    def action_edit(self) -> None:
        if (current := self._target()) is not None:
            self._open_form(current)

    def _open_form(self, current: Initiative | None) -> None:
        from bridge_tui.tui.dialogs.initiative_form import InitiativeForm  # loaded when used

        today, extendable = self.service.today(), self.service.extendable()
        self._push(InitiativeForm(current, self._save_form, today, extendable=extendable))

    def _save_form(
        self, base: Initiative | None, values: dict[str, Any]
    ) -> str | StaleChanges[Initiative] | None:
        """The form's save: only the fields the user changed, onto the revision `base` read.
        A teammate's newer save comes back as what they changed (the form shows it)."""
        try:
            if base is None:
                name = values.pop("name")
                saved = self.service.create_initiative(name, **values)
            else:
                saved = self.service.edit_initiative(base, **values)
        except BridgeError as exc:
            return self.form_refusal(exc, base)
        if {"builds_on", "designed_volume", "volume_metric"} & values.keys():
            # a link reaches another card, volume the rules' facts: read the board again
            self.refresh_data(keep=saved.id)
            if self.filter_text and not self.model.matches(saved):
                self.action_clear_filter()
        else:
            touched = self._replace(saved, base)
            if self.filter_text and not self.model.matches(saved):
                self.action_clear_filter()
            self._rebuild(saved.id, None if self.filter_text else touched)
        self.say(f"✓ {saved.name} {'saved' if base else 'created in Experiment'} · ctrl+z undoes")
        return None

    # the command palette ---------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteEntry]:
        return self.key_palette(*board_keys.PALETTE)
