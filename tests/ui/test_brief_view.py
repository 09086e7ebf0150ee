"""The meeting brief on screen: it fills from brief_data(), saves the PDF off the UI thread and
opens it in one click, prints through a QTextDocument, and follows changes."""

from __future__ import annotations

import shutil
import subprocess

from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from partnerdesk.ui import brief_view as brief_mod
from partnerdesk.ui.brief_view import BriefView, brief_html

pytest_plugins = ["tests.ui.conftest_health"]  # shared health fixtures

WAIT = 15000


def open_brief(qtbot, session, vendor_id) -> BriefView:
    view = BriefView(session, vendor_id)
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None and view.loader.idle, timeout=WAIT)
    return view


def test_brief_view_populates(qtbot, demo_journal, demo_session, vendor_with_events):
    view = open_brief(qtbot, demo_session, vendor_with_events)
    d = view.data
    assert view.title.text() == d.vendor.display_name
    assert d.vendor.display_name in view.windowTitle()
    if d.current is not None and d.current.score is not None:
        assert view.score.text() == f"{d.current.score:.0f}"
        assert view.band.text() in ("red", "amber", "green")
        assert view.why.text().count("<li>") == len(d.why)
    assert view.recent.model.rowCount() == len(d.recent) == 10
    assert view.recent.model.rows[0][3].startswith(d.recent[0].summary)
    assert view.promises.title.text() == f"Open vendor promises ({d.promises_open})"
    assert view.promises.model.rowCount() == len(d.promises)
    assert view.todos.model.rowCount() == len(d.todos)
    assert view.events.model.rowCount() == len(d.events)
    # the demo answers some partnership questions; the brief lists the ones still open
    unanswered = demo_journal.questions.unanswered(vendor_with_events)
    assert view.questions.model.rowCount() == len(d.unanswered) == len(unanswered) >= 1
    assert len(view.chart.series) == len(d.months)
    overdue_rows = [r for r, m in zip(view.promises.model.rows, view.promises.model.marked,
                                       strict=True) if m]
    assert all("overdue" in r[0] for r in overdue_rows)  # said in words, not only in red
    assert view.save_button.isEnabled() and view.print_button.isEnabled()


def test_save_as_pdf_runs_off_the_ui_thread_and_opens_in_one_click(
        qtbot, demo_session, vendor_with_events, tmp_path, monkeypatch):
    view = open_brief(qtbot, demo_session, vendor_with_events)
    asked: list[str] = []

    def ask(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return str(tmp_path / "brief"), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    with qtbot.waitSignal(view.saved, timeout=WAIT) as got:
        view.save_button.click()
    out = tmp_path / "brief.pdf"  # .pdf added when the rep left it off
    assert got.args == [str(out)]
    assert asked[0].endswith(".pdf") and view.data.vendor.name.split()[0] in asked[0]
    assert out.read_bytes().startswith(b"%PDF")
    assert view.saved_bar.isVisible() and str(out) in view.saved_bar.label.text()
    view.saved_bar.open_button.click()
    assert opened == [str(out)]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert view.data.vendor.name in text


def test_a_failed_pdf_says_so(qtbot, demo_session, vendor_with_events, tmp_path):
    view = open_brief(qtbot, demo_session, vendor_with_events)
    view.save_pdf(tmp_path / "no such folder" / "b.pdf")
    qtbot.waitUntil(lambda: view.pdf_loader.idle, timeout=WAIT)
    assert view.error.isVisible() and "No PDF was written" in view.error.text()
    assert view.save_button.isEnabled() and not view.saved_bar.isVisible()


def test_print_renders_the_brief(qtbot, demo_session, vendor_with_events, tmp_path):
    view = open_brief(qtbot, demo_session, vendor_with_events)
    html = brief_html(view.data)
    for section in ("Last 10 interactions", "Open vendor promises", "My open to-dos",
                    "Contacts who changed lately", "Recent events", "Unanswered partnership questions"):
        assert section in html
    # Overdue is their promises, dated, as on the screen (not "follow-ups overdue").
    assert f"promises overdue as of {view.data.today.isoformat()}" in html
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    view.print_to(printer)
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Meeting brief" in text and view.data.vendor.name in text


def test_follows_answers_given_elsewhere(qtbot, demo_session, vendor_with_events):
    view = open_brief(qtbot, demo_session, vendor_with_events)
    before = len(view.data.unanswered)
    store = demo_session.store()
    q = store.questions.unanswered(vendor_with_events)[0]
    store.questions.answer(vendor_with_events, q.id, "Through joint planning")
    demo_session.notify("question", [vendor_with_events])
    qtbot.waitUntil(lambda: view.loader.idle and len(view.data.unanswered) == before - 1,
                    timeout=WAIT)
    assert view.questions.model.rowCount() == before - 1


def test_a_vendor_with_nothing_yet(qtbot, demo_session):
    v = demo_session.store().vendors.add("Nobody Yet Inc")
    view = open_brief(qtbot, demo_session, v.id)
    assert view.score.text() == "—"
    assert view.recent.note.isVisible() and not view.recent.view.isVisible()
    assert "No interactions" in view.why.text()
    assert brief_mod.brief_html(view.data).count("<h3>") == 6
