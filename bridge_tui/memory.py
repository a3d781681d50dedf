"""Garbage-collector pauses are keyboard freezes: keep them out of large loads.

A portfolio of 10,000 initiatives is a few million Python objects. Every full collection of
CPython's collector walks all of them, 100-250 ms during which no thread runs (a worker's
collection stops the app's thread too). Nearly all of them live as long as their screen, and
none form cycles that only the collector could free: reference counting frees what a reload
drops. So after a large load the objects in memory are frozen out of the collector's walks
(`gc.freeze`), and a load in a worker runs with the collector paused, its result frozen too.
What was garbage in a cycle when frozen stays until the app ends, when all is handed back.

Start-up is such a load too: importing Textual, pydantic and bridge, and building the first
screen, makes a few hundred thousand objects, and the collector walked them over and over
before the first paint (about a tenth of the start-up). `bridge` starts with the collector
paused (`quiet_start`); the first paint settles what was built and lets it run again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: the collector was paused until the next `settle` (by `quiet_start` or `hold`)
_paused = False


def quiet_start() -> bool:
    """The collector paused until the first paint settles memory (`settle`). Returns whether
    it was running, for a command that ends without painting to put it back (`resume`)."""
    global _paused
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
        _paused = True
    return was_enabled


def resume(was_enabled: bool) -> None:
    """After a command that paused the collector at its start: as it was before."""
    global _paused
    _paused = False
    if was_enabled:
        gc.enable()


def settle() -> None:
    """What is in memory now stays: stop walking it in every full collection (and, after a
    quiet start or a `hold`, let the collector run again)."""
    global _paused
    gc.freeze()
    if _paused:
        _paused = False
        gc.enable()


def hold() -> None:
    """As a screen that lives as long as the app is made on a key: what is in memory now is
    settled, and the collector paused until the new screen's memory is settled too (`settle`).
    Young collections cost 5 to 10 ms of such a key, and now and then a full one fell in it
    (50 ms: a full collection walks everything made since the last settling)."""
    global _paused
    gc.freeze()
    if gc.isenabled():
        gc.disable()
        _paused = True


def release() -> None:
    """When the app ends (in a process that goes on, as the tests do): hand what was frozen
    back to the collector, so the app's own cycles can be freed, and let it run again if the
    app ended while it was paused (`hold`)."""
    global _paused
    gc.unfreeze()
    if _paused:
        _paused = False
        gc.enable()


@contextmanager
def quiet_load() -> Iterator[None]:
    """Around a large read in a worker: no collection midway (it would pause the app's thread
    as well), and what it built is frozen at the end instead of walked later."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
