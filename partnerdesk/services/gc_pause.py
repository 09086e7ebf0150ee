"""Pause Python's cycle collector while a computation builds many objects that all live on.

The collector runs after every 700 new container objects and now and then walks every object
the process holds. A ten-year weekly health series builds ~30,000 (day rows, points, readings)
that all survive to the end, so the collector walks them over and over and finds nothing: about
a sixth of the series' time on a bare interpreter, more in the window, whose heap holds Qt's and
SQLAlchemy's objects. Mercurial's `util.nogc` does the same for the same reason.

Threads pause it together: the first in remembers whether it was on, the last out turns it back
on if so (a lock keeps a thread from reading "off" while another has it paused, which left it
off for good). A collector someone else turned off stays off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # pauses under way, in every thread
_was_on = False  # whether the first of them found it on


@contextmanager
def gc_paused() -> Iterator[None]:
    global _depth, _was_on
    with _lock:
        if _depth == 0:
            _was_on = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_on:
                gc.enable()
