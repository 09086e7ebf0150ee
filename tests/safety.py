"""Helpers for the safety tests: journals of a given size, damage, a fake clock, a tiny disk,
and a folder that even root cannot write to."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from partnerdesk.domain.models import InteractionDraft
from partnerdesk.domain.vocab import Source, Tag
from partnerdesk.store.journal import Journal

PAGE = 4096


def make_journal(path: Path, n: int = 50, notes: str = "notes " * 20) -> Path:
    """A closed journal (WAL merged) with one vendor and n interactions 'entry 0'..'entry n-1'."""
    with Journal.open(path) as j:
        vid = j.vendors.add("Safety Test Telecom").id
        base = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
        drafts = [InteractionDraft(vendor_id=vid, occurred_at=base + timedelta(hours=k),
                                   tag=Tag.HELPFUL, summary=f"entry {k}", notes=notes,
                                   source=Source.CSV, source_id=f"s{k}") for k in range(n)]
        if drafts:
            j.interactions.add_many(drafts)
    return path


def summaries(path: Path) -> list[str]:
    with Journal.open(path, create=False, read_only=True) as j:
        conn = j.raw_connection()
        try:
            return [r[0] for r in conn.execute("SELECT summary FROM interaction ORDER BY id")]
        finally:
            conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corrupt_pages(path: Path, first: int, count: int, seed: int = 7) -> None:
    """Overwrite pages [first, first + count) of a closed database with random bytes."""
    rng = random.Random(seed)
    size = path.stat().st_size
    assert (first + count) * PAGE <= size, "the journal is too small to damage there"
    with open(path, "r+b") as fh:
        fh.seek(first * PAGE)
        fh.write(bytes(rng.getrandbits(8) for _ in range(count * PAGE)))


def table_pages(path: Path, table: str = "interaction") -> list[int]:
    """The 0-based page indexes holding `table`'s b-tree (SQLite's dbstat numbers from 1)."""
    import sqlite3

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] - 1 for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,))]
    finally:
        conn.close()


def damage_table(path: Path, table: str = "interaction", pages: int = 3, seed: int = 7) -> None:
    """Overwrite some of a table's leaf pages (never the schema's) with random bytes."""
    leaves = table_pages(path, table)
    assert len(leaves) >= pages, f"{table} has only {len(leaves)} leaf pages"
    middle = len(leaves) // 2
    for k, page in enumerate(leaves[middle:middle + pages]):
        corrupt_pages(path, page, 1, seed + k)


def index_out_of_step(path: Path) -> None:
    """Damage only the full integrity_check sees: the index on interaction times now claims to
    index the creation times, so every entry disagrees with its row, on well-formed pages."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX interaction_time ON"
                     " interaction(created_at)' WHERE name = 'interaction_time'")
        conn.commit()
    finally:
        conn.close()


def truncate(path: Path, fraction: float = 0.6) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(int(size * fraction) // PAGE * PAGE)


class FakeClock:
    """An injectable clock: clock() returns now; advance() moves it on."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when


def _root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _mount(*args: str) -> bool:
    if not _root() or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@contextlib.contextmanager
def tiny_disk(where: Path, size: str = "200k") -> Iterator[Path]:
    """A real, nearly full disk: a tmpfs of `size` mounted at `where` (root only, else skip)."""
    where.mkdir(parents=True, exist_ok=True)
    if not _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)):
        pytest.skip("cannot mount a small tmpfs here (needs root); the monkeypatched "
                    "full-disk tests still run")
    try:
        yield where
    finally:
        _umount(where)


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """`folder` made read-only for this process, root included (a read-only bind mount)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not _root():
        os.chmod(folder, 0o555)
        try:
            yield folder
        finally:
            os.chmod(folder, 0o755)
        return
    if not _mount("--bind", str(folder), str(folder)):
        pytest.skip("cannot bind-mount here; root ignores file modes, so no read-only folder")
    if not _mount("-o", "remount,ro,bind", str(folder)):
        _umount(folder)
        pytest.skip("cannot remount read-only here")
    try:
        yield folder
    finally:
        _umount(folder)


def without_root_privilege() -> list[str]:
    """A command prefix under which file modes apply, even when the tests run as root."""
    if not _root():
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root ignores file modes")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
