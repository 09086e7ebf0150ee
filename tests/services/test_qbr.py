"""The QBR workspace: last time's commitments, the numbers and an agenda from the evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from partnerdesk.domain.errors import InvalidInput, NotFound
from partnerdesk.domain.ledger import MoneyKind, MoneyOwed, Registration, RegStatus
from partnerdesk.domain.models import FollowUp, InteractionDraft
from partnerdesk.domain.vocab import Channel, Direction, EventKind, FollowUpOwner, Tag
from partnerdesk.services import followups, qbr
from partnerdesk.store import ledger as ledger_store
from partnerdesk.store.journal import Journal
from partnerdesk.store.lite import LiteJournal

TODAY = date(2026, 11, 20)


def _at(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


@pytest.fixture
def fixture_journal(tmp_path):
    path = tmp_path / "j.sqlite3"
    with Journal.open(path) as j:
        big = j.vendors.add("Lumen Global")
        v = j.vendors.add("Bluepeak Networks")
        j.vendors.set_acquirer(v.id, big.id, date(2026, 6, 1))
        j.events.add(v.id, date(2026, 8, 10), EventKind.COMPENSATION_CHANGE, "Residuals cut to 8%")
        j.interactions.add(InteractionDraft(
            vendor_id=v.id, occurred_at=_at(date(2026, 5, 2)), summary="Call with CAM",
            tag=Tag.HELPFUL, channel=Channel.CALL, direction=Direction.INBOUND))
        # The previous QBR, with three commitments.
        prev = qbr.record_outcome(j, v.id, _at(date(2026, 8, 20)), "QBR Q3", [
            ("Send the co-op rules", date(2026, 9, 1), "vendor"),
            ("Approve the Acme registration", date(2026, 9, 15), "vendor"),
            ("Send our pipeline", date(2026, 8, 30), "me"),
        ])
        items = followups.items_of(j, prev)
        followups.mark_done(j, [items[2].id])  # mine, on time (closed today, before due? no)
        # An older promise, overdue, not from the QBR.
        j.interactions.add(InteractionDraft(
            vendor_id=v.id, occurred_at=_at(date(2026, 3, 2)), summary="Pricing call",
            tag=Tag.TRANSACTIONAL, channel=Channel.CALL,
            follow_up=FollowUp(due=date(2026, 3, 20), what="Send revised price list",
                               owner=FollowUpOwner.VENDOR)))
        q = j.questions.for_vendor(v.id)[0]
        j.questions.answer(v.id, q.id, "A shared plan with quarterly reviews", on=date(2026, 1, 5))
        j.questions.answer(v.id, q.id, "Revenue per partner", on=date(2026, 9, 2))
        with j.writing() as conn:
            ledger_store.add_registration(conn, Registration(
                None, v.id, "Acme", RegStatus.REJECTED, submitted_on=date(2026, 8, 25),
                decided_on=date(2026, 10, 1)))
            ledger_store.add_registration(conn, Registration(
                None, v.id, "Globex", RegStatus.APPROVED, submitted_on=date(2026, 9, 1),
                decided_on=date(2026, 9, 30), reason=""))
            ledger_store.add_money(conn, MoneyOwed(
                None, v.id, MoneyKind.RESIDUAL, 120_000, "EUR", due_on=date(2026, 10, 15)))
        vid = v.id
    return path, vid


def test_last_time_numbers_and_agenda(fixture_journal):
    path, vid = fixture_journal
    data = qbr.qbr_data(LiteJournal(path), vid, today=TODAY)
    assert data.last_qbr is not None and data.last_qbr[1] == date(2026, 8, 20)
    assert data.since == date(2026, 8, 20)
    assert [(c.what, c.status) for c in data.last_time] == [
        ("Send our pipeline", "kept late"),
        ("Send the co-op rules", "overdue"),
        ("Approve the Acme registration", "overdue"),
    ]
    regs = data.ledger.registrations
    assert (regs.rejected, regs.approved, regs.rejected_without_reason) == (1, 1, 1)
    text = "\n".join(qbr.agenda_lines(data.agenda))
    assert "Agreed last QBR: Send the co-op rules" in text
    assert "Overdue promise: Send revised price list (due 20 Mar 2026)" in text
    assert "1 of 2 registrations rejected since 20 Aug 2026, 1 without a reason" in text
    assert "outstanding" in text and "EUR" in text
    assert "Residuals cut to 8% (compensation change, 10 Aug 2026)" not in text  # before since
    assert "Answer changed on 2 Sep 2026" in text
    assert "Quiet since the buyout by Lumen Global on 1 Jun 2026" in text
    assert data.overdue_promises == 3
    # Kinds come in the documented order.
    order = [qbr.KINDS.index(a.kind) for a in data.agenda]
    assert order == sorted(order)


def test_a_change_since_last_time_asks_for_it_in_writing(fixture_journal):
    path, vid = fixture_journal
    with Journal.open(path) as j:
        j.events.add(vid, date(2026, 10, 2), EventKind.COMPENSATION_CHANGE, "SPIFFs ended")
        data = qbr.qbr_data(j, vid, today=TODAY)
    assert any("SPIFFs ended (compensation change, 2 Oct 2026): ask for grandfathering" in a.text
               for a in data.agenda)


def test_outcome_opens_the_next_qbr(fixture_journal):
    path, vid = fixture_journal
    with Journal.open(path) as j:
        qbr.record_outcome(j, vid, _at(date(2026, 11, 19)), "QBR Q4", [
            ("Restore residuals for legacy accounts", date(2026, 12, 15), "vendor")])
    data = qbr.qbr_data(LiteJournal(path), vid, today=TODAY)
    assert data.last_qbr is not None and data.last_qbr[2] == "QBR Q4"
    assert [(c.what, c.status) for c in data.last_time] == [
        ("Restore residuals for legacy accounts", "open")]


def test_bad_outcome_items_write_nothing(fixture_journal):
    path, vid = fixture_journal
    with Journal.open(path) as j:
        before = j.interactions.count()
        with pytest.raises(InvalidInput, match="'partner' is not an owner"):
            qbr.record_outcome(j, vid, _at(date(2026, 11, 19)), "QBR",
                               [("Something", date(2026, 12, 1), "partner")])
        with pytest.raises(InvalidInput, match="says nothing"):
            qbr.record_outcome(j, vid, _at(date(2026, 11, 19)), "QBR",
                               [("Fine", date(2026, 12, 1), "me"), ("  ", date(2026, 12, 1), "me")])
        with pytest.raises(InvalidInput, match="before the meeting") as info:
            qbr.record_outcome(j, vid, _at(date(2026, 11, 19)), "QBR",
                               [("Send the plan", date(2026, 11, 18), "vendor")])
        assert "\n" not in str(info.value)
        data = qbr.qbr_data(j, vid, today=TODAY)
        assert data.last_qbr is not None and data.last_qbr[2] == "QBR Q3"
        assert j.interactions.count() == before


def test_a_vendor_with_nothing_has_an_empty_agenda_and_unknown_vendor_is_clear(tmp_path):
    with Journal.open(tmp_path / "e.sqlite3") as j:
        v = j.vendors.add("Quiet Co")
        data = qbr.qbr_data(j, v.id, today=TODAY)
        assert data.last_qbr is None and data.last_time == ()
        assert data.since == date(2026, 8, 20)
        # Only the standard partnership questions are unanswered.
        assert {a.kind for a in data.agenda} == {"question"}
        with pytest.raises(NotFound, match="not in this journal"):
            qbr.qbr_data(j, 999, today=TODAY)


def test_the_printed_qbr_has_every_section_and_the_edited_agenda(fixture_journal, tmp_path):
    import subprocess

    from partnerdesk.services.qbr_report import build_qbr

    path, vid = fixture_journal
    out = tmp_path / "qbr.pdf"
    with Journal.open(path) as j:
        data = qbr.qbr_data(j, vid, today=TODAY)
        lines = qbr.agenda_lines(data.agenda)[:2] + ["Ask for a named channel manager"]
        build_qbr(j, vid, out, agenda=lines, data=data)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    for words in ("Last time · 20 Aug 2026", "The numbers", "Agenda and asks",
                  "3. Ask for a named channel manager", "Agreed at this meeting", "kept late",
                  "EUR"):
        assert words in text, words
    assert "Answer changed" not in text  # the rep removed it from the agenda
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True,
                           check=True).stdout
    count = int(next(ln for ln in pages.splitlines() if ln.startswith("Pages:")).split()[1])
    assert count in (1, 2)


def test_the_qbr_command_shows_records_prints_and_refuses_bad_input(fixture_journal, tmp_path):
    import json
    import subprocess
    import sys

    path, _vid = fixture_journal

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "partnerdesk", *args, "--db", str(path)],
                              capture_output=True, text=True, timeout=120)

    shown = run("qbr", "show", "Bluepeak Networks", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["last_qbr"][2] == "QBR Q3" and data["agenda"]
    rec = run("qbr", "record", "Bluepeak Networks", "--summary", "QBR Q4", "--item",
              "vendor:2030-01-15:Confirm residuals in writing")
    assert rec.returncode == 0 and "1 agreed action." in rec.stdout, rec.stderr
    bad = run("qbr", "record", "Bluepeak Networks", "--item", "vendor:tomorrow")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1
    assert "OWNER:YYYY-MM-DD:WHAT" in bad.stderr
    unknown = run("qbr", "show", "Nobody Inc")
    assert unknown.returncode == 1 and "No vendor named 'Nobody Inc'" in unknown.stderr
    out = tmp_path / "q.pdf"
    agenda = tmp_path / "agenda.txt"
    agenda.write_text("Ask for a named channel manager\n\n", "utf-8")
    printed = run("qbr", "print", "Bluepeak Networks", "--agenda", str(agenda), "-o", str(out))
    assert printed.returncode == 0, printed.stderr
    assert out.read_bytes().startswith(b"%PDF")
    missing = run("qbr", "print", "Bluepeak Networks", "--agenda", str(tmp_path / "no.txt"),
                  "-o", str(tmp_path / "r.pdf"))
    assert missing.returncode == 1 and "Cannot read the agenda file" in missing.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_last_qbr_is_a_qbr_topic_or_a_summary_starting_with_qbr_found_with_or_without_the_index(
        tmp_path):
    path = tmp_path / "q.sqlite3"
    with Journal.open(path) as j:
        v = j.vendors.add("Harbor Fiber").id

        def log(day: date, summary: str, topics: tuple[str, ...] = ()) -> int:
            return j.interactions.add(InteractionDraft(
                vendor_id=v, occurred_at=_at(day), summary=summary, tag=Tag.HELPFUL,
                channel=Channel.MEETING, topics=topics)).id

        by_topic = log(date(2026, 5, 1), "Quarterly review with Ann", ("pricing", "qbr"))
        log(date(2026, 6, 1), "Prep for the qbr next month")  # mentions it; is not one
        log(date(2026, 6, 2), "Pricing call", ("qbrs",))  # another topic that only starts so
        by_summary = log(date(2026, 7, 1), "QBR-Q3 in Denver")
        with j.reading() as conn:
            assert qbr.last_qbr(conn, v, date(2026, 6, 30))[0] == by_topic
            assert qbr.last_qbr(conn, v, date(2026, 7, 2))[0] == by_summary
            assert qbr.last_qbr(conn, v, date(2026, 5, 1)) is None  # before, not on, the day
        with j.writing() as conn:  # a journal whose full-text index is gone walks instead
            conn.exec_driver_sql("DROP TABLE interaction_fts")
        with LiteJournal(path).reading() as conn:
            assert qbr.last_qbr(conn, v, date(2026, 6, 30))[0] == by_topic
            assert qbr.last_qbr(conn, v, date(2026, 7, 2))[0] == by_summary


def test_a_lapsed_certification_is_said_to_have_expired_and_a_coming_one_to_expire(tmp_path):
    from partnerdesk.domain.ledger import Certification
    from partnerdesk.store.programme import add_certification

    path = tmp_path / "c.sqlite3"
    with Journal.open(path) as j:
        v = j.vendors.add("Vantage Voice").id
        with j.writing() as conn:
            add_certification(conn, Certification(None, v, "Riley Chen", "Sales Professional",
                                                  expires_on=date(2026, 10, 10)))
            add_certification(conn, Certification(None, v, "Sam Patel", "Security Expert",
                                                  expires_on=date(2026, 12, 5)))
    data = qbr.qbr_data(LiteJournal(path), v, today=TODAY)
    asks = [a.text for a in data.agenda if a.kind == "programme"]
    assert ("Certification Sales Professional (Riley Chen) expired 10 Oct 2026: ask for a "
            "training slot to renew it") in asks
    assert "Certification Security Expert (Sam Patel) expires 5 Dec 2026: ask for a training slot" \
        in asks
    numbers = dict(qbr.number_lines(data))
    assert numbers["Certifications lapsed or expiring"] == (
        "Sales Professional (Riley Chen, expired 10 Oct 2026), "
        "Security Expert (Sam Patel, expires 5 Dec 2026)")


def test_an_unreadable_agenda_file_is_said_in_a_reps_words(fixture_journal, tmp_path, capsys):
    from partnerdesk.cli.main import main

    path, _vid = fixture_journal
    binary = tmp_path / "agenda.doc"
    binary.write_bytes(b"\xff\xfe\x00Ask")
    for agenda, words in ((tmp_path / "no.txt", "it does not exist"),
                          (binary, "it is not plain UTF-8 text")):
        code = main(["qbr", "print", "Bluepeak Networks", "--agenda", str(agenda), "-o",
                     str(tmp_path / "r.pdf"), "--db", str(path)])
        err = capsys.readouterr().err
        assert code == 1 and err.count("\n") == 1 and words in err, err
        assert "Errno" not in err and "codec" not in err
    assert not (tmp_path / "r.pdf").exists()

