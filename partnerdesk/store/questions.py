"""Partnership questions and their dated answers (tables from the V2 rung of schema.py).

Standard questions (vendor_id NULL) are asked of every vendor; a rep adds their own per vendor.
Answers are never overwritten: answering again adds a dated answer, and the history stays.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.questions import ANSWER_MAX, QUESTION_MAX, Answer, Question
from partnerdesk.domain.validation import clean_line, clean_text
from partnerdesk.domain.when import local_now
from partnerdesk.store.timecodec import from_epoch, now_epoch

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from partnerdesk.store.journal import Journal

_QUESTION_COLUMNS = "id, vendor_id, text, position"
_ANSWER_COLUMNS = "id, question_id, vendor_id, answered_on, text, created_at"


class QuestionStore:
    def __init__(self, journal: Journal):
        self._j = journal

    # -- reading -------------------------------------------------------------------------
    def for_vendor(self, vendor_id: int) -> list[Question]:
        """The standard questions then the vendor's own, each with this vendor's answers
        (oldest first)."""
        with self._j.reading() as conn:
            _require_vendor(conn, vendor_id)
            questions = _questions(conn, vendor_id)
            answers: dict[int, list[Answer]] = {}
            for r in conn.exec_driver_sql(
                    f"SELECT {_ANSWER_COLUMNS} FROM answer WHERE vendor_id = ?"
                    " ORDER BY question_id, answered_on, id", (vendor_id,)).all():
                answers.setdefault(r[1], []).append(_answer(r))
        return [_question(r, answers.get(r[0], [])) for r in questions]

    def unanswered(self, vendor_id: int) -> list[Question]:
        """The vendor's questions (standard and own) it has never answered."""
        return [q for q in self.for_vendor(vendor_id) if not q.answers]

    def history(self, vendor_id: int, question_id: int) -> list[Answer]:
        """Every answer the vendor gave to this question, oldest first."""
        with self._j.reading() as conn:
            _require_vendor(conn, vendor_id)
            _require_question(conn, vendor_id, question_id)
            rows = conn.exec_driver_sql(
                f"SELECT {_ANSWER_COLUMNS} FROM answer WHERE vendor_id = ? AND question_id = ?"
                " ORDER BY answered_on, id", (vendor_id, question_id)).all()
        return [_answer(r) for r in rows]

    def get(self, question_id: int) -> Question:
        with self._j.reading() as conn:
            r = conn.exec_driver_sql(f"SELECT {_QUESTION_COLUMNS} FROM question WHERE id = ?",
                                     (question_id,)).one_or_none()
        if r is None:
            raise NotFound(f"Question #{question_id} does not exist.")
        return _question(r, [])

    # -- writing -------------------------------------------------------------------------
    def add(self, vendor_id: int, text: str) -> Question:
        """A rep's own question for one vendor, listed after the standard ones."""
        text = clean_line(text)
        if not text:
            raise InvalidInput("The question is empty; type the question to ask.")
        if len(text) > QUESTION_MAX:
            raise InvalidInput(
                f"The question is {len(text)} characters; keep it under {QUESTION_MAX}.")
        with self._j.writing() as conn:
            _require_vendor(conn, vendor_id)
            position = int(conn.exec_driver_sql(
                "SELECT coalesce(max(position), 0) + 1 FROM question WHERE vendor_id = ?",
                (vendor_id,)).scalar_one())
            cur = conn.exec_driver_sql(
                "INSERT INTO question (vendor_id, text, position, created_at) VALUES (?, ?, ?, ?)",
                (vendor_id, text, position, now_epoch()))
            new_id = int(cur.lastrowid)
        return Question(new_id, vendor_id, text, position)

    def answer(self, vendor_id: int, question_id: int, text: str, on: date | None = None) -> Answer:
        """Record the vendor's answer given on `on` (default today); earlier answers stay."""
        text = clean_text(text).strip()
        if not text:
            raise InvalidInput("The answer is empty; type what the vendor said.")
        if len(text) > ANSWER_MAX:
            raise InvalidInput(
                f"The answer is {len(text):,} characters; keep it under {ANSWER_MAX:,}.")
        on = on or local_now().date()
        now = now_epoch()
        with self._j.writing() as conn:
            _require_vendor(conn, vendor_id)
            _require_question(conn, vendor_id, question_id)
            cur = conn.exec_driver_sql(
                "INSERT INTO answer (question_id, vendor_id, answered_on, text, created_at)"
                " VALUES (?, ?, ?, ?, ?)", (question_id, vendor_id, on.isoformat(), text, now))
            new_id = int(cur.lastrowid)
        return Answer(new_id, question_id, vendor_id, on, text, from_epoch(now))

    def delete(self, question_id: int) -> None:
        """Remove a rep's own question and its answers (standard questions stay)."""
        with self._j.writing() as conn:
            vendor = conn.exec_driver_sql("SELECT vendor_id FROM question WHERE id = ?",
                                          (question_id,)).one_or_none()
            if vendor is None:
                raise NotFound(f"Question #{question_id} does not exist.")
            if vendor[0] is None:
                raise InvalidInput(f"Question #{question_id} is a standard question; "
                                   "it is asked of every vendor and cannot be removed.")
            conn.exec_driver_sql("DELETE FROM question WHERE id = ?", (question_id,))


def _questions(conn: Connection, vendor_id: int) -> list[Any]:
    return list(conn.exec_driver_sql(
        f"SELECT {_QUESTION_COLUMNS} FROM question WHERE vendor_id IS NULL OR vendor_id = ?"
        " ORDER BY vendor_id IS NOT NULL, position, id", (vendor_id,)).all())


def _require_vendor(conn: Connection, vendor_id: int) -> None:
    if conn.exec_driver_sql("SELECT 1 FROM vendor WHERE id = ?", (vendor_id,)).scalar() is None:
        raise NotFound(f"Vendor #{vendor_id} does not exist (it may have been deleted).")


def _require_question(conn: Connection, vendor_id: int, question_id: int) -> None:
    owner = conn.exec_driver_sql("SELECT vendor_id FROM question WHERE id = ?",
                                 (question_id,)).one_or_none()
    if owner is None or owner[0] not in (None, vendor_id):
        raise NotFound(f"Question #{question_id} is not one of this vendor's questions; "
                       "list them with: partnerdesk question list VENDOR")


def _question(r: Any, answers: list[Answer]) -> Question:
    return Question(id=r[0], vendor_id=r[1], text=r[2], position=r[3], answers=tuple(answers))


def _answer(r: Any) -> Answer:
    return Answer(id=r[0], question_id=r[1], vendor_id=r[2], on=date.fromisoformat(r[3]),
                  text=r[4], created_at=from_epoch(r[5]))
