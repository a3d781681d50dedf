"""Commands for the 90-day plan and its tasks."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add this module's commands to the `bridge` group."""
