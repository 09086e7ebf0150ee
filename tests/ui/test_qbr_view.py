"""The QBR workspace window, the rep's way: Vendor ▸ QBR workspace… (Ctrl+Shift+B) with a vendor
selected, with none, on an empty journal; the agenda edited and printed (the PDF holds the edits);
the outcome recorded (it shows in Follow-ups and opens the next QBR) and undone; bad lines refused
in one sentence with nothing written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from partnerdesk.domain.models import FollowUp, InteractionDraft
from partnerdesk.domain.vocab import Channel, Direction, EventKind, FollowUpOwner, Tag
from partnerdesk.services import followups, qbr
from partnerdesk.store.journal import Journal
from partnerdesk.ui import qbr_view
from partnerdesk.ui.actions import menu_named
from partnerdesk.ui.app import Launcher
from partnerdesk.ui.main_window import MainWindow
from partnerdesk.ui.qbr_view import QbrWorkspace
from tests.ui.action_walk import Watcher, bad_words

pytestmark = pytest.mark.usefixtures("private_state_dir")

WAIT = 15000
TODAY = date.today()


def _at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 10, tzinfo=UTC)


def _fill(j: Journal) -> int:
    """Bluepeak, bought by Lumen; a QBR 60 days ago with three commitments; an overdue promise."""
    big = j.vendors.add("Lumen Global")
    v = j.vendors.add("Bluepeak Networks")
    j.vendors.set_acquirer(v.id, big.id, TODAY - timedelta(days=200))
    j.events.add(v.id, TODAY - timedelta(days=40), EventKind.COMPENSATION_CHANGE,
                 "Residuals cut to 8%")
    j.interactions.add(InteractionDraft(
        vendor_id=v.id, occurred_at=_at(TODAY - timedelta(days=100)), summary="Call with CAM",
        tag=Tag.HELPFUL, channel=Channel.CALL, direction=Direction.INBOUND))
    prev = qbr.record_outcome(j, v.id, _at(TODAY - timedelta(days=60)), "QBR last quarter", [
        ("Send the co-op rules", TODAY - timedelta(days=30), "vendor"),
        ("Approve the Acme registration", TODAY + timedelta(days=10), "vendor"),
        ("Send our pipeline", TODAY + timedelta(days=5), "me"),  # done today: kept
    ])
    followups.mark_done(j, [followups.items_of(j, prev)[2].id])
    j.interactions.add(InteractionDraft(
        vendor_id=v.id, occurred_at=_at(TODAY - timedelta(days=90)), summary="Pricing call",
        tag=Tag.TRANSACTIONAL, channel=Channel.CALL,
        follow_up=FollowUp(due=TODAY - timedelta(days=70), what="Send revised price list",
                           owner=FollowUpOwner.VENDOR)))
    return v.id


@pytest.fixture
def bluepeak(journal: Journal) -> int:
    return _fill(journal)


@pytest.fixture
def filled_path(tmp_path: Path) -> Path:
    path = tmp_path / "qbr.sqlite3"
    with Journal.open(path) as j:
        _fill(j)
    return path


def _launch(qtbot, qapp, path: Path) -> tuple[Launcher, MainWindow]:
    launcher = Launcher(qapp)
    assert launcher.open(path)
    win = launcher.window
    assert win is not None
    qtbot.addWidget(win)
    qtbot.waitUntil(win.isVisible)
    return launcher, win


def _quit(launcher: Launcher, win: MainWindow) -> None:
    win.close()
    win.session.close()
    if launcher.guard is not None:
        launcher.guard.release()


def _select(win: MainWindow, name: str) -> int:
    m = win.vendor_model
    for row in range(m.rowCount()):
        if str(m.data(m.index(row))).startswith(name):
            win.vendor_view.setCurrentIndex(m.index(row))
            vid = win.selected_vendor_id()
            assert vid is not None
            return vid
    raise AssertionError(f"{name} is not in the vendor list")


def _workspace_from_menu(qtbot, win: MainWindow, watcher: Watcher) -> QbrWorkspace:
    """Bluepeak selected, Vendor ▸ QBR workspace… triggered, its data on screen."""
    _select(win, "Bluepeak Networks")
    ws = next(w for w in watcher.run(qtbot, win.act_qbr.trigger).windows
              if isinstance(w, QbrWorkspace))
    qtbot.waitUntil(lambda: ws.data is not None, timeout=WAIT)
    return ws


def _workspaces() -> list[QbrWorkspace]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QbrWorkspace) and w.isVisible()]


def _open(qtbot, session, vendor_id) -> QbrWorkspace:
    view = QbrWorkspace(session, vendor_id)
    qtbot.addWidget(view)
    view.resize(1240, 720)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None and view.loader.idle, timeout=WAIT)
    return view


def _count(journal: Journal, table: str) -> int:
    with journal.reading() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar())


# -- the rep's path into the window -----------------------------------------------------------
def test_the_menu_action_and_its_shortcut_open_the_selected_vendors_workspace(
        qtbot, qapp, filled_path):
    launcher, win = _launch(qtbot, qapp, filled_path)
    watcher = Watcher(win)
    try:
        vid = _select(win, "Bluepeak Networks")
        entries = menu_named(win, "Vendor").actions()
        assert entries.index(win.act_qbr) == entries.index(win.act_brief) + 1  # beside the brief
        outcome = watcher.run(qtbot, win.act_qbr.trigger)
        spaces = [w for w in outcome.windows if isinstance(w, QbrWorkspace)]
        assert len(spaces) == 1, outcome.describe()
        ws = spaces[0]
        assert ws.vendor_id == vid
        qtbot.waitUntil(lambda: ws.data is not None, timeout=WAIT)
        assert ws.title.text() == "Bluepeak Networks (Lumen Global)"
        assert "Bluepeak Networks" in ws.windowTitle()
        assert not bad_words(outcome.window_words + [ws.subtitle.text(), ws.last_title.text()])
        # inside the screen it opened on
        area = ws.screen().availableGeometry()
        assert area.contains(ws.frameGeometry().topLeft())
        assert ws.width() <= area.width() and ws.height() <= area.height()
        watcher.close_windows(qtbot)

        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=2000)
        win.table.setFocus()
        outcome = watcher.run(qtbot, lambda: QTest.keyClick(
            win.table, Qt.Key.Key_B,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        assert [type(w) for w in outcome.windows] == [QbrWorkspace], outcome.describe()
        watcher.close_windows(qtbot)
    finally:
        watcher.stop()
        _quit(launcher, win)


def test_with_no_vendor_selected_the_rep_is_told_to_pick_one(qtbot, qapp, filled_path):
    launcher, win = _launch(qtbot, qapp, filled_path)
    watcher = Watcher(win)
    try:
        win.vendor_view.setCurrentIndex(win.vendor_model.index(0))  # "All vendors"
        assert win.selected_vendor_id() is None
        outcome = watcher.run(qtbot, win.act_qbr.trigger)
        assert not _workspaces()
        assert outcome.messages == ["Pick a vendor in the list on the left first."]
    finally:
        watcher.stop()
        _quit(launcher, win)


def test_on_an_empty_journal_the_rep_is_told_to_add_a_vendor(qtbot, qapp, tmp_path):
    launcher, win = _launch(qtbot, qapp, tmp_path / "empty.sqlite3")
    watcher = Watcher(win)
    try:
        outcome = watcher.run(qtbot, win.act_qbr.trigger)
        assert not _workspaces()
        assert len(outcome.messages) == 1
        assert outcome.messages[0].startswith("There are no vendors yet: add one")
    finally:
        watcher.stop()
        _quit(launcher, win)


def test_while_loading_it_says_loading_never_nothing_here(qtbot, session, bluepeak, monkeypatch):
    release = threading.Event()
    real = qbr_view.load_qbr

    def slow(*args):
        release.wait(10)
        return real(*args)

    monkeypatch.setattr(qbr_view, "load_qbr", slow)
    view = QbrWorkspace(session, bluepeak)
    qtbot.addWidget(view)
    view.show()
    qtbot.wait(50)
    assert view.body.currentWidget() is view.loading
    assert view.loading.text() == "Loading the QBR workspace…"
    assert not view.print_button.isEnabled()
    shown = [w.text() for w in (view.last_note, view.agenda_panel.note, view.numbers)]
    assert not any("No earlier QBR" in t or "Nothing" in t for t in shown)
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        release.set()
    assert view.body.currentIndex() == 1 and view.print_button.isEnabled()


# -- what it shows ----------------------------------------------------------------------------
def test_last_time_the_numbers_and_the_agenda_come_from_the_evidence(qtbot, session, bluepeak):
    view = _open(qtbot, session, bluepeak)
    d = view.data
    assert view.last_title.text().startswith("Last time · the QBR of ")
    statuses = {row[3]: row[0] for row in view.last_model.rows}
    assert statuses == {"Send the co-op rules": "overdue", "Approve the Acme registration": "open",
                        "Send our pipeline": "kept"}
    assert view.last_note.text() == "1 of 3 commitments kept."
    numbers = view.numbers.text()
    assert "rests on" in numbers and "Open promises past due:</b> 2" in numbers
    texts = [line.text for line in view.agenda_panel.model.lines]
    assert texts == [a.text for a in d.agenda]
    assert any(t.startswith("Agreed last QBR: Send the co-op rules") for t in texts)
    assert any("Residuals cut to 8%" in t for t in texts)
    n = len(texts)
    assert view.agenda_panel.title.text() == f"Agenda and asks · {n} of {n} to print"


def test_a_vendor_with_nothing_yet_says_so_in_words(qtbot, session, journal):
    v = journal.vendors.add("Quiet Vendor")
    view = _open(qtbot, session, v.id)
    assert view.last_note.text().startswith("No earlier QBR with this vendor is recorded.")
    assert not view.last_view.isVisible()
    assert view.money_note.text().startswith("No money owed recorded since ")
    assert view.agenda_panel.model.rowCount() == len(view.data.agenda)


# -- the agenda, edited and printed -----------------------------------------------------------
def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    try:
        from pypdf import PdfReader
    except ImportError:
        pytest.skip("neither pdftotext nor pypdf is here to read the PDF")
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def _edit_line(qtbot, view: QbrWorkspace, row: int, text: str) -> None:
    view.agenda_panel.view.setFocus()
    view.agenda_panel.view.setCurrentIndex(view.agenda_panel.model.index(row))
    QTest.keyClick(view.agenda_panel.view, Qt.Key.Key_F2)
    editor = view.agenda_panel.view.viewport().findChild(QLineEdit)
    assert editor is not None, "F2 did not open the line for editing"
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.agenda_panel.model.lines[row].text == text, timeout=2000)


def test_the_edited_agenda_is_what_the_pdf_prints(qtbot, shown, session, bluepeak, tmp_path,
                                                  monkeypatch):
    view = _open(qtbot, session, bluepeak)
    shown(view)
    original = [line.text for line in view.agenda_panel.model.lines]
    assert len(original) >= 3
    _edit_line(qtbot, view, 0, "Co-op rules: ask Dana for them by Friday, in writing")
    # untick the second line with Space: kept on screen, left off the PDF
    view.agenda_panel.view.setCurrentIndex(view.agenda_panel.model.index(1))
    QTest.keyClick(view.agenda_panel.view, Qt.Key.Key_Space)
    assert not view.agenda_panel.model.lines[1].printed
    unticked = view.agenda_panel.model.lines[1].text
    # remove the last line with Delete
    agenda = view.agenda_panel.model
    view.agenda_panel.view.setCurrentIndex(agenda.index(agenda.rowCount() - 1))
    removed = view.agenda_panel.model.lines[-1].text
    QTest.keyClick(view.agenda_panel.view, Qt.Key.Key_Delete)
    assert removed not in [line.text for line in view.agenda_panel.model.lines]
    # add one of my own after the first line, then move it to the top with Alt+Up
    view.agenda_panel.view.setCurrentIndex(view.agenda_panel.model.index(0))
    view.agenda_panel.new_line.setFocus()
    QTest.keyClicks(view.agenda_panel.new_line, "Ask for a named channel manager")
    QTest.keyClick(view.agenda_panel.new_line, Qt.Key.Key_Return)
    assert view.agenda_panel.model.lines[1].text == "Ask for a named channel manager"
    view.agenda_panel.view.setFocus()
    QTest.keyClick(view.agenda_panel.view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.agenda_panel.model.lines[0].text == "Ask for a named channel manager"
    n = len(view.agenda_panel.model.printed())
    total = view.agenda_panel.model.rowCount()
    assert view.agenda_panel.title.text() == f"Agenda and asks · {n} of {total} to print"

    out = tmp_path / "qbr"
    suggested: list[str] = []

    def ask(_parent, _title, name, _filter):
        suggested.append(name)
        return str(out), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    with qtbot.waitSignal(view.saved, timeout=WAIT) as got:
        view.print_button.click()
    pdf = tmp_path / "qbr.pdf"  # .pdf added when the rep left it off
    assert got.args == [str(pdf)] and opened == [str(pdf)]
    assert Path(suggested[0]).name == f"QBR Bluepeak Networks {view.data.today.isoformat()}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert view.saved_bar.isVisible() and str(pdf) in view.saved_bar.label.text()

    text = " ".join(_pdf_text(pdf).split())
    first, second = (text.index("1. Ask for a named channel manager"),
                     text.index("2. Co-op rules: ask Dana for them by Friday, in writing"))
    assert first < second
    assert original[0] not in text
    assert unticked[:40] not in text and removed[:40] not in text


def test_a_refresh_keeps_the_reps_agenda_and_start_over_brings_the_evidence_back(
        qtbot, session, bluepeak):
    view = _open(qtbot, session, bluepeak)
    view.agenda_panel.model.remove(0)
    edited = [line.text for line in view.agenda_panel.model.lines]
    with qtbot.waitSignal(view.loaded, timeout=WAIT):
        view.refresh()
    assert [line.text for line in view.agenda_panel.model.lines] == edited
    view.agenda_panel.reset_button.click()
    assert [line.text for line in view.agenda_panel.model.lines] == [
        a.text for a in view.data.agenda]
    assert not view.agenda_panel.model.edited


# -- the outcome --------------------------------------------------------------------------------
def _type(qtbot, view: QbrWorkspace, owner: str, what: str, due: str) -> None:
    panel = view.outcome_panel
    panel.owner.setCurrentIndex(panel.owner.findText(owner))
    panel.what.setFocus()
    panel.what.clear()
    QTest.keyClicks(panel.what, what)
    panel.due.clear()
    QTest.keyClicks(panel.due, due)


def test_the_outcome_is_recorded_shows_in_follow_ups_opens_the_next_qbr_and_undoes(
        qtbot, qapp, filled_path):
    launcher, win = _launch(qtbot, qapp, filled_path)
    watcher = Watcher(win)
    try:
        ws = _workspace_from_menu(qtbot, win, watcher)
        _type(qtbot, ws, "The vendor", "Send the co-op claim rules", "in 14 days")
        QTest.keyClick(ws.outcome_panel.due, Qt.Key.Key_Return)  # Enter adds the line
        assert [i.what for i in ws.outcome_panel.model.items] == ["Send the co-op claim rules"]
        assert ws.outcome_panel.model.rows and ws.outcome_panel.model.display(0, 0) == "the vendor"
        # typed but not added: recorded too, as a rep expects
        _type(qtbot, ws, "Me", "Send our Q1 pipeline", "in 21 days")
        with qtbot.waitSignal(ws.outcome_panel.recorded, timeout=WAIT) as got:
            ws.outcome_panel.record_button.click()
        assert got.args == [2]
        assert ws.outcome_panel.message.text() == (
            "Recorded the QBR with 2 agreed actions; they are in Follow-ups and open the next QBR.")
        assert not bad_words([ws.outcome_panel.message.text()])
        assert ws.outcome_panel.model.rowCount() == 0 and not ws.outcome_panel.what.text()
        assert not ws.outcome_panel.record_button.isEnabled()  # a second click: logged twice

        # in Follow-ups
        win.act_followups.trigger()
        view = win._followups_dock.widget()
        qtbot.waitUntil(lambda: {"Send the co-op claim rules", "Send our Q1 pipeline"}
                        <= {i.what for i in view.model.all_items()}, timeout=WAIT)
        # and they open the next QBR: the workspace reads again and shows them as last time
        qtbot.waitUntil(lambda: [r[3] for r in ws.last_model.rows]
                        == ["Send the co-op claim rules", "Send our Q1 pipeline"], timeout=WAIT)
        assert [r[0] for r in ws.last_model.rows] == ["open", "open"]
        assert ws.last_title.text().endswith(qbr.fmt_day(ws.data.today))

        # undo takes the meeting and both actions out
        before = _count(win.session.store(), "action_item")
        ws.outcome_panel.undo_button.click()
        assert _count(win.session.store(), "action_item") == before - 2
        assert ws.outcome_panel.message.text() == "The recorded QBR was taken back out."
        qtbot.waitUntil(lambda: "Send our Q1 pipeline" not in
                        {i.what for i in view.model.all_items()}, timeout=WAIT)
        qtbot.waitUntil(lambda: ws.last_title.text().startswith("Last time · the QBR of ")
                        and "Send the co-op rules" in [r[3] for r in ws.last_model.rows],
                        timeout=WAIT)
        win.session.undo.redo()  # and redo puts them back
        assert _count(win.session.store(), "action_item") == before
        assert not ws.outcome_panel.undo_button.isVisible()  # this window's undo was used up
        watcher.close_windows(qtbot)
    finally:
        watcher.stop()
        _quit(launcher, win)


@pytest.mark.parametrize(("owner", "what", "due", "said"), [
    ("The vendor", "", "2026-12-15", "Type what was agreed, then add it."),
    ("Me", "Send the forecast", "2026-13-45", "'2026-13-45' is not a date I can read; use "
     "YYYY-MM-DD, 'today', 'tomorrow', 'yesterday', a weekday or 'in 3 days'."),
    ("Me", "Send the forecast", "", "No date given; use YYYY-MM-DD, 'today', 'tomorrow', "
     "'yesterday', a weekday or 'in 3 days'."),
])
def test_a_bad_line_is_refused_in_one_sentence_and_nothing_is_recorded(
        qtbot, session, journal, bluepeak, owner, what, due, said):
    view = _open(qtbot, session, bluepeak)
    _type(qtbot, view, "The vendor", "Send the deal desk contact", "in 3 days")
    view.outcome_panel.add_button.click()
    assert view.outcome_panel.model.rowCount() == 1
    before = (_count(journal, "interaction"), _count(journal, "action_item"))

    _type(qtbot, view, owner, what, due)
    view.outcome_panel.add_button.click()  # refused when added ...
    assert view.outcome_panel.message.text() == said and "\n" not in said
    assert view.outcome_panel.model.rowCount() == 1
    view.outcome_panel.record_button.click()  # ... and when recorded with it typed: nothing written
    assert view.outcome_panel.message.text() == said
    assert (_count(journal, "interaction"), _count(journal, "action_item")) == before
    panel = view.outcome_panel
    assert panel.model.rowCount() == 1 and panel.what.text() == what  # nothing typed is lost
    assert not view.outcome_panel.undo_button.isVisible()


def test_an_action_too_long_is_refused_before_anything_is_written(qtbot, session, journal,
                                                                  bluepeak):
    view = _open(qtbot, session, bluepeak)
    before = _count(journal, "interaction")
    _type(qtbot, view, "Me", "x" * 5000, "in 3 days")
    view.outcome_panel.record_button.click()
    assert re.fullmatch(r"The follow-up is 5000 characters; keep it under \d+\.",
                        view.outcome_panel.message.text())
    assert _count(journal, "interaction") == before


def test_edit_undo_in_the_main_window_takes_the_record_out_and_the_button_follows(
        qtbot, qapp, filled_path):
    launcher, win = _launch(qtbot, qapp, filled_path)
    watcher = Watcher(win)
    try:
        ws = _workspace_from_menu(qtbot, win, watcher)
        before = _count(win.session.store(), "interaction")
        _type(qtbot, ws, "The vendor", "Send the MDF claim form", "in 5 days")
        ws.outcome_panel.record_button.click()
        assert _count(win.session.store(), "interaction") == before + 1
        assert ws.outcome_panel.undo_button.isVisible()
        assert not ws.outcome_panel.record_button.isEnabled()
        win.act_undo.trigger()
        assert _count(win.session.store(), "interaction") == before
        assert not ws.outcome_panel.undo_button.isVisible()
        assert ws.outcome_panel.record_button.isEnabled()  # undone elsewhere: may record again
        watcher.close_windows(qtbot)
    finally:
        watcher.stop()
        _quit(launcher, win)


def test_the_pdf_is_built_off_the_ui_thread(qtbot, session, bluepeak, tmp_path, monkeypatch):
    from partnerdesk.services import qbr_report

    threads: list[threading.Thread] = []
    real = qbr_report.build_qbr

    def build(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(qbr_report, "build_qbr", build)
    view = _open(qtbot, session, bluepeak)
    with qtbot.waitSignal(view.saved, timeout=WAIT):
        view.print_pdf(out=tmp_path / "q.pdf", paper="letter", open_it=False)
    assert threads and threads[0] is not threading.main_thread()
    assert (tmp_path / "q.pdf").read_bytes().startswith(b"%PDF")


def test_a_pdf_that_cannot_be_written_says_so_in_one_line(qtbot, session, bluepeak, tmp_path):
    view = _open(qtbot, session, bluepeak)
    target = tmp_path / "no such folder" / "q.pdf"
    view.print_pdf(out=target, open_it=False)
    qtbot.waitUntil(lambda: view.error.isVisible(), timeout=WAIT)
    text = view.error.text()
    assert text.endswith("No PDF was written.") and "\n" not in text and "Traceback" not in text
    assert not target.exists() and view.print_button.isEnabled()
    assert not view.saved_bar.isVisible()


def test_every_button_has_its_own_alt_key(qtbot, session, bluepeak):
    from PySide6.QtWidgets import QAbstractButton

    view = _open(qtbot, session, bluepeak)
    keys = [b.text().split("&", 1)[1][0].lower() for b in view.findChildren(QAbstractButton)
            if "&" in b.text()]
    assert len(keys) >= 8 and len(keys) == len(set(keys)), keys


def test_a_vendor_gone_meanwhile_is_said_in_one_line_not_shown_empty(qtbot, session, journal):
    journal.vendors.add("Keystone UCaaS")
    view = QbrWorkspace(session, 999)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.error.isVisible(), timeout=WAIT)
    assert view.error.text() == "That vendor is not in this journal; pick one from the vendor list."
    assert view.body.currentWidget() is view.loading
    assert view.loading.text() == "The QBR workspace could not be read; see below."
    assert not view.print_button.isEnabled()
    view.outcome_panel.record()  # nothing to record against
    assert _count(journal, "interaction") == 0
