"""Where a plan keeps what it will write: a temporary file of marshalled records.

The preview settles every item once (vendor, contacts, duplicates); applying then only reads
these records back and writes them, without parsing the files again, and without holding a
million drafts in memory. The file is deleted when the plan is closed or collected.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterator
from typing import IO, Any

CHUNK = 2000


class Spill:
    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._buffer: list[Any] = []
        self.count = 0

    def add(self, record: Any) -> None:
        self._buffer.append(record)
        self.count += 1
        if len(self._buffer) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="partnerdesk-import-")
        self._file.seek(0, 2)
        blob = marshal.dumps(self._buffer)
        self._file.write(len(blob).to_bytes(8, "little"))
        self._file.write(blob)  # length-prefixed: marshal.load on a file reads it piece by piece
        self._buffer = []

    def __iter__(self) -> Iterator[Any]:
        if self._file is None:  # all of it still in memory
            yield from list(self._buffer)
            return
        self._flush()
        f = self._file
        f.seek(0)
        while True:
            head = f.read(8)
            if len(head) < 8:
                return
            yield from marshal.loads(f.read(int.from_bytes(head, "little")))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._buffer = []
