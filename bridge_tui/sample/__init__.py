"""The sample logistics portfolio: the first article's story in mid-course.

`bridge init --sample` and the test fixtures both build from here. Everything goes through the
service (so the change log holds a real history), replayed on a simulated clock: dates are
relative to `today`, ids and choices come from a fixed seed, so two builds on the same day match.
"""

from __future__ import annotations

from bridge_tui.sample.build import build_sample
from bridge_tui.sample.story import METRICS, SEED, SPECS, Spec, id_seed

__all__ = ["METRICS", "SEED", "SPECS", "Spec", "build_sample", "id_seed"]
