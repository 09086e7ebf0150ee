"""The journal's time zone in Settings: weeks, months and quarters follow it; changing it
recounts health at once, and an unknown zone keeps the dialog open with one sentence."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from partnerdesk.domain.health_types import Period
from partnerdesk.services.health import vendor_health
from partnerdesk.store.journal_zone import TIMEZONE_KEY
from partnerdesk.store.settings import get_setting
from partnerdesk.ui.settings_dialog import SettingsDialog
from tests.helpers import draft


def test_choosing_a_zone_recounts_the_months(shown, session, journal, changes):
    vid = journal.vendors.add("Acme").id
    journal.interactions.add(draft(vid, "Late call", at=datetime(2026, 4, 1, 0, 0, tzinfo=UTC)))
    dlg = shown(SettingsDialog(None, session))
    assert dlg.zone is not None and dlg.zone.currentIndex() == 0  # the computer's, to start
    dlg.zone.setCurrentText("America/New_York")
    QTest.keyClick(dlg.zone, Qt.Key.Key_Return)
    assert dlg.result() == QDialog.DialogCode.Accepted
    with journal.reading() as conn:
        assert get_setting(conn, TIMEZONE_KEY) == "America/New_York"
    months = vendor_health(journal, vid, Period.MONTH, today=date(2026, 4, 30))
    assert months[0].start == date(2026, 3, 1)  # 8 p.m. on 31 March in New York
    assert ("settings", None) in changes


def test_an_unknown_zone_keeps_the_dialog_open(shown, session, journal):
    dlg = shown(SettingsDialog(None, session))
    dlg.zone.setCurrentText("Mars/Olympus")
    QTest.keyClick(dlg.zone, Qt.Key.Key_Return)
    assert dlg.isVisible()
    assert "not a time zone" in dlg.error.text()
    with journal.reading() as conn:
        assert get_setting(conn, TIMEZONE_KEY) is None
