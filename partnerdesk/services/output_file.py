"""Writing an export or a report where the rep pointed, readable only by them.

- ``-`` is standard output.
- A symlink is followed: the file it points to is written, the link stays a link.
- A pipe (FIFO) or a device is written through as it is (``/dev/full`` then says the disk is
  full); it is never replaced by a regular file.
- A regular file (or a new name) gets the whole content under a hidden temporary name in the
  same folder, created 0600, flushed and renamed in one step, so a failure or an interruption
  (Ctrl+C, SIGTERM: the CLI turns both into exceptions) leaves the old file as it was and no
  hidden ``.part`` file behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

STDOUT = "-"


def is_stdout(path: str | os.PathLike[str]) -> bool:
    return str(path) == STDOUT


def real_target(path: str | os.PathLike[str]) -> Path:
    """Where the bytes will go: symlinks followed (a dangling one to the name it points at)."""
    return Path(os.path.realpath(Path(path).expanduser()))


def is_special(path: Path) -> bool:
    """A pipe, a device or a socket: written through, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextmanager
def private_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary handle whose content lands at ``path`` only once completely written.

    OSError propagates for the caller to turn into a sentence; nothing half-written remains.
    """
    if is_stdout(path):
        out = sys.stdout.buffer
        yield out
        out.flush()
        return
    target = real_target(path)
    if is_special(target):
        with open(target, "wb") as fh:  # a pipe or a device: written through, as it is
            yield fh
            fh.flush()
        return
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
