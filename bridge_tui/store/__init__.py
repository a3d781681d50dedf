"""The only package that touches SQLite (through sqlite-utils and the stdlib driver)."""

from bridge_tui.store.migrations import SCHEMA_VERSION
from bridge_tui.store.repo import ENTITIES, Store, Tx

__all__ = ["ENTITIES", "SCHEMA_VERSION", "Store", "Tx"]
