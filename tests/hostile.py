"""Hostile text for the property tests: markup, terminal escapes, control characters, RTL,
combining marks and very long strings; and an old bridge file that already holds such text.

Shared by the CLI and the TUI tests (`tests/test_hostile_cli.py`, `tests/tui/test_hostile_tui.py`).
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import strategies as st

from bridge_tui.models import Answer, Initiative, MetricReading, Plan, PlanTask, Review, answer_id
from bridge_tui.store import Store

#: pieces a hostile value is made of
PIECES = [
    "[/]",
    "[bold]",
    "[@click=app.quit]x",
    "[/b]",
    "[$text-muted]",
    "\\[",
    "\\",
    "\x1b]0;pwned\x07",
    "\x1b[2J",
    "\x1b[31m",
    "\x9b2J",
    "\x00",
    "\r",
    "\n\n## Injected",
    "\t",
    "\u202eevil",
    "e\u0301\u0301\u0301",
    "[pay here](https://evil.example)",
    "=cmd|' /C calc'!A0",
    ":smile:",
    "|",
    "**",
    "漢字",
    "🙂",
]
BIG = "w" * 100_000

_piece = st.sampled_from(PIECES) | st.text(
    alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8
)
#: a value framed by visible characters, so whitespace trimming never blurs what was typed
hostile_text = st.lists(_piece, min_size=1, max_size=4).map(lambda ps: "<" + "".join(ps) + ">")


def refused(value: str, *, multiline: bool, max_length: int | None) -> bool:
    """What bridge must refuse, worked out independently of bridge's own check."""
    allowed = "\n\t" if multiline else ""
    bad = any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value)
    return bad or (max_length is not None and len(value) > max_length)


def control_chars(text: str, allowed: str = "\n") -> list[str]:
    """Control characters of `text` other than `allowed` (what must never reach a terminal)."""
    return [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in allowed]


#: what an old bridge (before control characters were refused) could have written
EVIL = "Evil\x1b]0;pwned\x07 \x1b[2J\x9b31m[/]\rend"
EVIL_LINES = "first\x1b[2J line\nsecond\tline\x1b]0;pwned\x07 [/]"


def forge_old_file(path: Path, today: date) -> dict[str, str]:
    """A file whose rows and change log agree (as an old bridge wrote them) and whose names,
    notes, reasons and authors hold terminal escapes. Returns ids by role."""
    now = datetime(today.year, today.month, today.day, 9, 0, tzinfo=UTC)
    store = Store.create(path)
    ids = {"live": str(uuid.uuid4()), "killed": str(uuid.uuid4())}
    try:
        with store.transaction(EVIL) as tx:
            for role, stage in (("live", "productionize"), ("killed", "killed")):
                tx.insert(
                    Initiative.model_construct(
                        id=ids[role],
                        name=f"{EVIL} {role}",
                        summary=EVIL_LINES,
                        stage=stage,
                        owner=EVIL,
                        team=EVIL,
                        stage_entered_at=today - timedelta(days=10),
                        created_at=now,
                        updated_at=now,
                        kill_reason=EVIL_LINES if stage == "killed" else "",
                        move_reason=EVIL_LINES,
                        forced_reason=EVIL_LINES if stage != "killed" else "",
                    )
                )
            live = ids["live"]
            tx.insert(
                Answer.model_construct(
                    id=answer_id(live, "D1"),
                    initiative_id=live,
                    key="D1",
                    value="yes",
                    note=EVIL_LINES,
                    by=EVIL,
                    at=now,
                )
            )
            tx.insert(Plan.model_construct(id=live, initiative_id=live, start_date=today))
            tx.insert(
                PlanTask.model_construct(
                    id=str(uuid.uuid4()),
                    initiative_id=live,
                    month=1,
                    title=EVIL,
                    owner=EVIL,
                    due=today + timedelta(days=29),
                    notes=EVIL_LINES,
                    position=1.0,
                )
            )
            tx.insert(
                MetricReading.model_construct(
                    id=str(uuid.uuid4()),
                    initiative_id=live,
                    name=EVIL,
                    value=1.5,
                    unit=EVIL,
                    at=today,
                )
            )
            tx.insert(
                Review.model_construct(
                    id=str(uuid.uuid4()),
                    initiative_id=live,
                    date=today,
                    reviewer=EVIL,
                    decision="keep",
                    note=EVIL_LINES,
                )
            )
    finally:
        store.close()
    return ids
