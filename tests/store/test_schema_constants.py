"""The constants that let a file open without loading the migrations agree with them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bridge_tui.store import checks, schema
from bridge_tui.store import migrations as migmod
from bridge_tui.store.db import create_file


def test_names_and_version_are_the_migrations() -> None:
    names = tuple(m.name for m in migmod.migrations._migrations)
    assert names == schema.MIGRATION_NAMES, "run: python -m bridge_tui.store.schema"
    assert schema.SCHEMA_VERSION == migmod.SCHEMA_VERSION == len(names)
    assert migmod.migrations.name == schema.MIGRATION_SET
    assert migmod.APPLICATION_ID == schema.APPLICATION_ID


def test_digest_is_the_schema_the_migrations_create() -> None:
    expected = checks.expected_objects(migmod.migrations, schema.SCHEMA_VERSION)
    found = schema.digest(expected)
    assert found == schema.SIGNATURE_DIGEST, f'set SIGNATURE_DIGEST = "{found}"'


def test_a_new_file_takes_the_fast_path_and_a_trigger_does_not(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    create_file(path).conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        assert schema.digest(checks._signature(conn)) == schema.SIGNATURE_DIGEST
        assert checks.foreign_objects(conn) == []
        conn.execute("CREATE TRIGGER evil AFTER INSERT ON initiatives BEGIN SELECT 1; END")
        assert schema.digest(checks._signature(conn)) != schema.SIGNATURE_DIGEST
        assert checks.foreign_objects(conn) == ["a trigger 'evil'"]
    finally:
        conn.close()
