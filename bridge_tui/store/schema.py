"""What opening a file needs to know about the schema, without importing sqlite-utils.

The migrations (`store.migrations`, built on sqlite-utils) are loaded only when a file is
created or upgraded, or when its schema differs from the one below. These constants are
checked against the migrations by `tests/store/test_schema_constants.py`; after adding a
migration, that test fails and prints their new values.
"""

from __future__ import annotations

import hashlib
from typing import Any

#: "BRDG": marks the file as ours in the SQLite header.
APPLICATION_ID = 0x42524447
#: the migration set's name in sqlite-utils' `_sqlite_migrations` table
MIGRATION_SET = "bridge"
#: the names of the migrations, in order; the schema version is how many there are
MIGRATION_NAMES: tuple[str, ...] = (
    "m001_initial",
    "m002_method_rules",
    "m003_sustain_and_extend",
    "m004_flow_moves",
    "m005_scores",
)
SCHEMA_VERSION = len(MIGRATION_NAMES)
#: sha256 of the schema objects all the migrations create (`checks.signature_digest`); a
#: file whose schema hashes to this holds nothing bridge did not create
SIGNATURE_DIGEST = "49d629ee8b4102d95b3554b91578ce0cfcc75696c3052b5654d2d47cd0f7e335"


def digest(signature: dict[tuple[str, str], Any]) -> str:
    """A stable hash of a schema signature (see `checks._signature`)."""
    return hashlib.sha256(repr(sorted(signature.items())).encode()).hexdigest()
