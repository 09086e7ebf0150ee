"""The quick-log draft kept on disk while it is typed, so a crash loses nothing."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def drafts_dir() -> Path:
    override = os.environ.get("PARTNERDESK_STATE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_state_path

    return user_state_path("partnerdesk", appauthor=False)


class DraftStore:
    """One draft per journal, written atomically (temp file + rename) and only readable by you."""

    def __init__(self, journal_path: Path, folder: Path | None = None):
        folder = folder or drafts_dir()
        key = "".join(ch if ch.isalnum() else "_" for ch in str(Path(journal_path).resolve()))[-120:]
        self.path = folder / f"draft-{key}.json"

    def save(self, fields: dict[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".draft-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(fields, fh, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a draft is a courtesy; failing to keep one must never interrupt typing

    def load(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def clear(self) -> None:
        try:
            self.path.unlink()
        except OSError:
            pass
