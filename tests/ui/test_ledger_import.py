"""File ▸ Import registrations or payments…: the portal CSV's preview, the import, nothing twice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialog, QFileDialog  # noqa: E402

from partnerdesk.store.journal import Journal  # noqa: E402
from partnerdesk.store.ledger import registrations  # noqa: E402
from partnerdesk.ui.ledger_import import LedgerImportDialog  # noqa: E402
from partnerdesk.ui.main_window import MainWindow  # noqa: E402
from partnerdesk.ui.session import JournalSession  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")
PORTAL = "Customer,Registration ID,Status,Deal Value,Currency\nSt Mary's,DR-9,Approved,12500,EUR\n"


@pytest.fixture
def session(tmp_path: Path):
    path = tmp_path / "j.sqlite3"
    journal = Journal.open(path)
    journal.vendors.add("Meridian Telecom")
    s = JournalSession(path, journal=journal)
    yield s
    s.close()


def _through_the_menu(qtbot, session, monkeypatch, path: Path) -> list[LedgerImportDialog]:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    seen: list[LedgerImportDialog] = []

    def exec_(self: LedgerImportDialog) -> int:
        seen.append(self)
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(LedgerImportDialog, "exec", exec_)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.act_import_ledger.trigger()
    return seen


def test_a_portal_file_without_vendors_asks_for_one_then_imports_once(qtbot, tmp_path, session,
                                                                      monkeypatch):
    csv = tmp_path / "portal.csv"
    csv.write_text(PORTAL, encoding="utf-8")
    [dialog] = _through_the_menu(qtbot, session, monkeypatch, csv)
    # no vendor column: said in the window's words, and nothing can be imported yet
    assert "under Vendor" in dialog.summary.text() and "--" not in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.vendor.setCurrentText("Meridian Telecom")
    assert "Would import 1 registration" in dialog.summary.text()
    assert "St Mary's (DR-9), approved" in dialog.lines.toPlainText()
    with session.store().reading() as conn:
        assert registrations(conn) == []  # the preview wrote nothing
    dialog.apply()
    assert dialog.result_line == "Imported 1 registration."
    again = LedgerImportDialog(session, csv)
    qtbot.addWidget(again)
    again.vendor.setCurrentText("Meridian Telecom")
    assert "nothing new" in again.summary.text() and not again.import_button.isEnabled()
    with session.store().reading() as conn:
        assert [r.customer for r in registrations(conn)] == ["St Mary's"]
