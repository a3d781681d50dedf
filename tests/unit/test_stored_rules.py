"""The kept scores name the rules they were made under (`scoring.stored.RULES`): a bridge whose
scoring rules changed must not read rows an older one made. This test keeps that promise from
resting on memory: it scores a fixed spread of initiatives and answers and compares a digest of
every kept row with the one recorded for the current `RULES`. A change to `scoring` or
`method` that changes any kept row fails here until `RULES` is bumped (and the new digest
recorded below), so an upgraded bridge remakes old rows instead of finding them wrong (a small
file's check on open would otherwise call them forged and open it read-only)."""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from datetime import date, timedelta

from bridge_tui import method
from bridge_tui.scoring.stored import RULES, score_row
from tests.conftest import initiative

#: RULES -> the digest of the kept rows of `spread()` under those rules
DIGESTS = {
    1: "778d3193cd389e4f9ec68e9bb0d4df3b683d809dab9090bedbebbd6df90ede55",
}


def spread() -> list[tuple[object, ...]]:
    """400 initiatives over every stage, owner kind, forced mark and budget, with answers from
    none to all, made the same way every run."""
    rnd = random.Random(20261130)
    owners = ("", "Priya Natarajan", "Ops team", "Ana and Ben", "Sam O'Brien")
    rows = []
    for n in range(400):
        owner = rnd.choice(owners)
        i = initiative(
            id=str(uuid.UUID(int=n + 1)),
            name=f"Initiative {n}",
            stage=rnd.choice(method.STAGE_IDS),
            owner=owner,
            pilot_builder=rnd.choice(("", owner, "Someone else")),
            forced_reason=rnd.choice(("", "", "the sponsor asked")),
            stage_entered_at=date(2026, 11, 22) - timedelta(days=rnd.randint(0, 400)),
            maintenance_budget=rnd.choice((0.0, 5000.0)),
        )
        share = rnd.random()
        answers = {
            key: rnd.choice(("yes", "no", "unknown")) if rnd.random() < share else "yes"
            for key in method.ANSWER_KEYS
            if rnd.random() < 0.9
        }
        rows.append(tuple(score_row(i, answers)))
    return rows


def test_the_rules_version_changes_with_the_rules() -> None:
    text = json.dumps(spread(), sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()
    assert DIGESTS.get(RULES), f"record the kept rows' digest for RULES = {RULES}: {digest!r}"
    assert DIGESTS[RULES] == digest, (
        "a change to scoring or method changed the kept scores: bump RULES in "
        f"bridge_tui/scoring/stored.py and record {digest!r} for it here"
    )
