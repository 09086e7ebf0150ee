"""How values read on screen: local times, tags and follow-ups."""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QSettings

DATE_FORMATS = {
    "iso": ("%Y-%m-%d %H:%M", "%Y-%m-%d"),
    "us": ("%m/%d/%Y %I:%M %p", "%m/%d/%Y"),
    "eu": ("%d.%m.%Y %H:%M", "%d.%m.%Y"),
}


def date_format() -> tuple[str, str]:
    key = str(QSettings().value("display/date_format", "iso"))
    return DATE_FORMATS.get(key, DATE_FORMATS["iso"])


def local_time_text(epoch: int, fmt: str | None = None) -> str:
    return time.strftime(fmt or date_format()[0], time.localtime(epoch))


def local_dt_text(moment: datetime) -> str:
    return moment.astimezone().strftime(date_format()[0])
