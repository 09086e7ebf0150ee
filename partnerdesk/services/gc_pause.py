"""Pause Python's cycle collector while a computation builds many objects that all live on.

The collector runs after every 700 new container objects and now and then walks every object
the process holds. A ten-year weekly health series builds ~30,000 (day rows, points, readings)
that all survive to the end, so the collector walks them over and over and finds nothing: about
a sixth of the series' time on a bare interpreter, more in the window, whose heap holds Qt's and
SQLAlchemy's objects. Mercurial's `util.nogc` does the same for the same reason.

Only the thread that paused it turns it back on, and only if it was on: two threads pausing at
once leave it on when both are done, and a collector someone else turned off stays off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
