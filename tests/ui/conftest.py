"""Fixtures for the window's dialogs and views: a real journal in tmp_path, settings kept there."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported anywhere

from collections.abc import Callable, Iterator  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QDateTimeEdit, QWidget  # noqa: E402

from partnerdesk.domain.vocab import Role  # noqa: E402
from partnerdesk.store.journal import Journal  # noqa: E402
from partnerdesk.ui.session import JournalSession  # noqa: E402


@pytest.fixture(autouse=True)
def private_settings(qapp: object, tmp_path: Path) -> Iterator[None]:
    """Never read or write the real user's settings."""
    QCoreApplication.setOrganizationName("partnerdesk-tests")
    QCoreApplication.setApplicationName("partnerdesk-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "settings"))
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def private_state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Drafts and other state go under tmp_path, never the real user's state directory."""
    state = tmp_path / "state"
    monkeypatch.setenv("PARTNERDESK_STATE_DIR", str(state))
    return state


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "j.sqlite3"


@pytest.fixture
def journal(db_path: Path) -> Iterator[Journal]:
    """As in tests/conftest.py, restated so these tests stand on their own."""
    j = Journal.open(db_path)
    yield j
    j.close()


@pytest.fixture
def session(journal: Journal) -> Iterator[JournalSession]:
    s = JournalSession(journal.path, journal=journal)
    yield s
    s.reader.close()


@pytest.fixture
def changes(session: JournalSession) -> list[tuple[str, object]]:
    """Every session.changed emission, in order."""
    seen: list[tuple[str, object]] = []
    session.changed.connect(lambda kind, ids: seen.append((kind, ids)))
    return seen


@pytest.fixture
def qwest(journal: Journal) -> int:
    """Qwest with two people (one who left) and its buyer-to-be CenturyLink."""
    v = journal.vendors.add("Qwest", programme="Qwest Partner Program", tier="Gold",
                            domains=["qwest.com"])
    journal.vendors.add("CenturyLink", domains=["centurylink.com"])
    journal.contacts.add(v.id, "Ann Lee", role=Role.CHANNEL_MANAGER, email="ann@qwest.com",
                         active_from=date(2019, 1, 1))
    journal.contacts.add(v.id, "Bob Ray", role=Role.SALES_ENGINEER, active_to=date(2020, 6, 30))
    return v.id


def _type_date(edit: QDateTimeEdit, digits: str) -> None:
    edit.setFocus()
    edit.setSelectedSection(QDateTimeEdit.Section.YearSection)
    QTest.keyClicks(edit, digits)


@pytest.fixture
def type_date() -> Callable[[QDateTimeEdit, str], None]:
    """Type a date as a rep does after tabbing in: the year is selected and digits run on."""
    return _type_date


@pytest.fixture
def shown(qtbot: Any) -> Callable[[QWidget], Any]:
    """Show a widget as an active window, so focus, mnemonics and shortcuts work."""
    def show(widget: QWidget) -> Any:
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
        widget.activateWindow()
        qtbot.waitUntil(widget.isActiveWindow, timeout=2000)
        return widget
    return show


@pytest.fixture
def window_with_vendors(qtbot: Any, tmp_path: Path) -> Callable[..., Any]:
    """The main window on a new journal holding these vendors, closed (with any typed quick log
    thrown away) at the end: `win = window_with_vendors("Crestline", "Harbor Fiber")`."""
    from partnerdesk.ui.main_window import MainWindow

    opened: list[tuple[Any, JournalSession]] = []

    def open_window(*names: str) -> Any:
        path = tmp_path / "j.sqlite3"
        with Journal.open(path) as j:
            for name in names:
                j.vendors.add(name)
        session = JournalSession(path, journal=Journal.open(path))
        win = MainWindow(session)
        qtbot.addWidget(win)
        win.show()
        opened.append((win, session))
        return win

    yield open_window
    for win, session in opened:
        if win._quick_log is not None:
            win._quick_log.form.load_fields({"when": "now"})
            win._quick_log.hide()
        win.close()
        session.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Any:
    """Before pytest-qt closes and deletes the test's windows (its own teardown hook runs inside
    this one), let every background job finish and deliver: a worker still running into the
    next test, or into a window being deleted, is how a full run crashed at random."""
    from partnerdesk.ui import workers

    workers.settle()
    return (yield)
