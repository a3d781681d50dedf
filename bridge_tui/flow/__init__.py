"""Flow over time: how long crossing the bridge takes, where initiatives stall and die.

Pure (no I/O, no textual, no sqlite): the store hands over the change-log rows that set an
initiative's stage (with the forced mark and the move reason of the same transaction) and the
stored stage of each live initiative; this package replays them into stays and counts
(`moves`), computes the figures (`figures`) and the data of the pictures (`charts`); every
public name is re-exported here (`figures` loads the first time one of its names is used:
the board's first paint draws a timeline but counts nothing).

Definitions (the README and docs/method.md say the same in plain words):

- A **stay** runs from the day an initiative enters a stage to the day it enters the next one;
  the last stay is still open ("still there"). Creating an initiative is its first entry.
  Days are calendar days between the two entry days (a move on the day of entry is 0 days).
- **entered**: entries into the stage: every move into it counts, forward, forced, back
  (from a later stage), revived (from Killed) and creation; a move of several stages is one
  entry, into the stage it lands in. **left**: stays in the stage that ended.
- **median_days** and **p90_days**: over finished stays only. The median is the middle value
  (the mean of the two middle ones for an even count); the 90th percentile is the nearest
  rank (the smallest stay that at least 90% of stays are no longer than).
- **still_there**: the initiatives in the stage today, with the median and 90th percentile of
  their age in it (days since they entered), read the same way.
- **conversion** `a_to_b`: of the initiatives that entered `a`, the share that later reached
  `b` or a stage beyond it (by any move, forced ones included, even if they fell back
  afterwards). `pilot_to_infrastructure` likewise. An initiative counts once per cohort.
- **killed_from**: kills by the stage the initiative was killed from.
- **quarters**: calendar quarters; `entered` counts entries into each stage in the quarter,
  `crossed` the entries into Infrastructure (the crossings of the bridge).
- `since`: only entries, exits, kills and crossings on or after that day count, time in
  stage reads the stays that ended on or after it, and a conversion cohort is formed by the
  entries on or after it. `still_there` is always today's portfolio.

A **forced** move is one made past an unmet gate with a written reason; a move **back** is one
into an earlier stage of the flow. Both are entries like any other and are also counted apart
(`StageFlow.forced_in`, `StageFlow.back_in`) so a slide can say "12 entered, 3 forced".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bridge_tui.flow.charts import (
    BUCKET_LABELS,
    BUCKETS,
    cumulative,
    entered_in,
    histogram,
    in_bucket,
    in_stage_on,
    stay_days,
    timeline,
)
from bridge_tui.flow.moves import (
    CONVERSION_KEYS,
    PILOT,
    STEPS,
    Conversion,
    Flow,
    FlowRow,
    Initiative,
    Move,
    Quarter,
    Spread,
    StageFlow,
    Stay,
    events,
    replay,
    stays,
    step_key,
)

if TYPE_CHECKING:  # loaded by `__getattr__` when first used (see above)
    from bridge_tui.flow.figures import (
        Counts,
        assemble,
        compute,
        median,
        p90,
        quarter_bounds,
        quarter_label,
        quarter_of,
        to_json,
    )

__all__ = [
    "BUCKETS",
    "BUCKET_LABELS",
    "CONVERSION_KEYS",
    "PILOT",
    "STEPS",
    "Conversion",
    "Counts",
    "Flow",
    "FlowRow",
    "Initiative",
    "Move",
    "Quarter",
    "Spread",
    "StageFlow",
    "Stay",
    "assemble",
    "compute",
    "cumulative",
    "entered_in",
    "events",
    "histogram",
    "in_bucket",
    "in_stage_on",
    "median",
    "p90",
    "quarter_bounds",
    "quarter_label",
    "quarter_of",
    "replay",
    "stay_days",
    "stays",
    "step_key",
    "timeline",
    "to_json",
]


def _later(name: str) -> Any:
    """A name of `figures` (`flow.compute`, `flow.quarter_of`...; the names of `__all__` not
    bound above): `figures` loads now, once."""
    if name in __all__:
        from bridge_tui.flow import figures

        found = globals()[name] = getattr(figures, name)
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if not TYPE_CHECKING:  # mypy sees the names imported above, and no catch-all
    __getattr__ = _later
