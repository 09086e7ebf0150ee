"""The quick log's vendor field never makes a vendor by accident and never traps the keyboard."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from partnerdesk.ui.main_window import MainWindow  # noqa: E402

pytestmark = pytest.mark.usefixtures("private_state_dir")


@pytest.fixture(autouse=True)
def discard_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing with typed text asks first; at teardown the answer is Discard (no modal hang)."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def window(window_with_vendors):
    return window_with_vendors("Vantage Voice", "Crestline", "Harbor Fiber")


def _answer_which_vendor(seen: list[str], key: Qt.Key = Qt.Key.Key_Return, button: str = "") -> None:
    """When the 'Which vendor?' box appears, note its buttons and press `key` or click `button`."""
    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, act)
            return
        seen.extend(b.text() for b in box.buttons())
        seen.append(f"default={box.defaultButton().text()}")
        chosen = next((b for b in box.buttons() if b.text() == button), None)
        if chosen is not None:
            chosen.click()
        else:
            QTest.keyClick(box, key)
    QTimer.singleShot(20, act)


def _start(win: MainWindow, vendor: str):
    win.vendor_view.setCurrentIndex(win.vendor_model.index(0))
    win.quick_log()
    form = win._quick_log.form
    form.vendor.setText(vendor)
    form.summary.setText("Portal walkthrough")
    form.set_tag("helpful")
    return form


def test_enter_on_an_unknown_prefix_uses_the_close_match(qtbot, window):
    _start(window, "vant")
    seen: list[str] = []
    _answer_which_vendor(seen)
    item = window._quick_log.save()
    assert "Use Vantage Voice" in seen and "default=Use Vantage Voice" in seen
    assert "Add “vant” as a new vendor" in seen
    assert item is not None and item.vendor_name == "Vantage Voice"
    assert [v.name for v in window.session.store().vendors.all()].count("vant") == 0


def test_adding_a_new_vendor_is_an_explicit_choice(qtbot, window):
    _start(window, "Brand New Carrier")
    seen: list[str] = []
    _answer_which_vendor(seen, button="Add “Brand New Carrier” as a new vendor")
    item = window._quick_log.save()
    assert item is not None
    assert window.session.store().vendors.resolve("brand new carrier").id == item.vendor_id


def test_escape_goes_back_without_saving_and_the_error_clears_when_fixed(qtbot, window):
    form = _start(window, "vant")
    seen: list[str] = []
    _answer_which_vendor(seen, key=Qt.Key.Key_Escape)
    assert window._quick_log.save() is None
    assert form.error.isVisible() and "vant" in form.error.text()
    assert len(window.session.store().vendors.all()) == 3
    form.vendor.setText("Vantage Voice")
    assert not form.error.isVisible()


def test_tab_accepts_the_highlighted_completion(qtbot, window):
    window.vendor_view.setCurrentIndex(window.vendor_model.index(0))
    window.quick_log()
    form = window._quick_log.form
    window._quick_log.activateWindow()
    form.vendor.setFocus()
    qtbot.waitUntil(form.vendor.hasFocus)
    QTest.keyClicks(form.vendor, "harb")
    popup = form.vendor.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    QTest.keyClick(popup, Qt.Key.Key_Tab)
    assert form.vendor.text() == "Harbor Fiber"
    assert not popup.isVisible()
    assert form.summary.hasFocus()
