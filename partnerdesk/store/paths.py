"""Where the journal lives when nobody says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

from partnerdesk import APP_NAME

JOURNAL_FILENAME = "journal.sqlite3"
ENV_VAR = "PARTNERDESK_DB"


def default_journal_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / JOURNAL_FILENAME


def resolve_journal_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--db wins, then $PARTNERDESK_DB, then the user's data folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_journal_path()
