"""Use cases for sharing the file: history, undo, safe copies, merge."""

from __future__ import annotations

from bridge_tui.service.core import CoreService


class SharingOps(CoreService):
    """Mixed into `Service`."""
