"""Fixtures the TUI tests share."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Answer dates and history times are shown in local time: pin the zone to UTC so the
    pictures do not depend on the host. Snapshot modules that show times use it for every
    test: `pytestmark = pytest.mark.usefixtures("utc")`."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
