"""The review's decision dialog: a note (or a required reason) for keep, promote, kill, defer."""

from __future__ import annotations

from bridge_tui.tui.dialogs.common import ReasonDialog


class ReviewDecisionDialog(ReasonDialog):
    """Returns the note (possibly empty when not required), or None when cancelled."""

    def __init__(
        self,
        title: str,
        *,
        details: str = "",
        required: bool = False,
        placeholder: str = "Note for the minutes (optional)",
        confirm_label: str = "Record",
        danger: bool = False,
    ) -> None:
        super().__init__(
            title,
            details=details,
            required=required,
            placeholder=placeholder,
            confirm_label=confirm_label,
            danger=danger,
        )
