"""Partnership questions a reseller asks before committing to a vendor's programme, and the
vendor's dated answers (kept as a history, so a changed answer over time shows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

QUESTION_MAX = 500  # one line
ANSWER_MAX = 20_000


@dataclass(frozen=True, slots=True)
class Answer:
    id: int
    question_id: int
    vendor_id: int
    on: date  # when the vendor gave this answer
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    vendor_id: int | None  # None: a standard question, asked of every vendor
    text: str
    position: int
    answers: tuple[Answer, ...] = ()  # one vendor's answers, oldest first (when asked for)

    @property
    def standard(self) -> bool:
        return self.vendor_id is None

    @property
    def latest(self) -> Answer | None:
        return self.answers[-1] if self.answers else None
