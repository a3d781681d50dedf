"""The review's decision dialog: a note (or a required reason) for keep, promote, kill, defer."""

from __future__ import annotations

from bridge_tui.tui.dialogs.common import ReasonDialog


class ReviewDecisionDialog(ReasonDialog):
    """Returns the note (possibly empty when not required), or None when cancelled."""

    PLACEHOLDER = "Note for the minutes (optional)"
    CONFIRM_LABEL = "Record"
    REQUIRED = False
