"""Import from the window: preview, apply in one go, re-import adds nothing; drop onto the window."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from partnerdesk.store.journal import Journal  # noqa: E402
from partnerdesk.ui.import_dialog import ImportDialog  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.session import JournalSession  # noqa: E402

CSV = (
    "Subject,Activity Date,Company,Type,Comments\n"
    '"Pricing call with channel team",2026-10-01,Meridian Telecom,Call,"They agreed to hold margin"\n'
    '"Deal registration follow-up",2026-10-03,Meridian Telecom,Email,"Still waiting, second chase"\n'
)


# tests/ui/conftest.py keeps settings in tmp_path (autouse); drafts go there too:
pytestmark = pytest.mark.usefixtures("private_state_dir")


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch: pytest.MonkeyPatch):
    for name in ("warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: QMessageBox.StandardButton.Ok)


@pytest.fixture
def session(tmp_path: Path):
    path = tmp_path / "j.sqlite3"
    journal = Journal.open(path)
    journal.vendors.add("Meridian Telecom", domains=["meridian.example"])
    s = JournalSession(path, journal=journal)
    yield s
    s.close()


def test_preview_then_import_then_nothing_new(qtbot, tmp_path, session):
    csv = tmp_path / "crm.csv"
    csv.write_text(CSV, encoding="utf-8")
    dialog = ImportDialog(session, [csv])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10000)
    assert dialog.plan.added_count == 2
    assert dialog.import_button.isEnabled()
    assert "2</b> interactions will be added" in dialog.summary.text()
    dialog.apply()
    qtbot.waitUntil(lambda: dialog.result_line != "", timeout=10000)
    assert session.store().interactions.count() == 2
    assert {i.summary for i in session.store().interactions.list()} == {
        "Pricing call with channel team", "Deal registration follow-up"}

    again = ImportDialog(session, [csv])
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.plan is not None, timeout=10000)
    assert again.plan.added_count == 0
    assert not again.import_button.isEnabled()


def test_a_broken_file_is_said_in_the_dialog(qtbot, tmp_path, session):
    bad = tmp_path / "broken.ics"
    bad.write_bytes(b"\x00\xff not a calendar at all")
    dialog = ImportDialog(session, [bad])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.plan is not None or "color:#c62828" in dialog.summary.text(), timeout=10000)
    assert not dialog.import_button.isEnabled() or dialog.plan.added_count == 0
    assert session.store().interactions.count() == 0


def test_dropping_files_on_the_window_opens_the_import(qtbot, tmp_path, session, monkeypatch):
    csv = tmp_path / "crm.csv"
    csv.write_text(CSV, encoding="utf-8")
    opened: list[list[Path]] = []
    monkeypatch.setattr(ImportDialog, "exec", lambda self: opened.append(self.paths) or 0)
    window = MainWindow(session)
    qtbot.addWidget(window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(csv)), QUrl.fromLocalFile(str(tmp_path / "notes.docx"))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert opened == [[csv]]


def test_a_whole_journal_file_brings_its_ledger_back(qtbot, tmp_path):
    from partnerdesk.services.demo import generate
    from partnerdesk.services.exports import export_journal

    with Journal.open(tmp_path / "old.sqlite3") as old:
        generate(old, interactions=120, seed=2)
        export_journal(old, tmp_path / "all.json")
    path = tmp_path / "new.sqlite3"
    s = JournalSession(path, journal=Journal.open(path))
    try:
        dialog = ImportDialog(s, [tmp_path / "all.json"])
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=20000)
        text = dialog.summary.text()
        assert "registrations" in text and "money items" in text and "action_items" not in text
        dialog.apply()
        qtbot.waitUntil(lambda: dialog.result_line != "", timeout=20000)
        assert "registrations" in dialog.result_line
        export_journal(s.store(), tmp_path / "again.json")
        assert (tmp_path / "again.json").read_bytes() == (tmp_path / "all.json").read_bytes()
    finally:
        s.close()
