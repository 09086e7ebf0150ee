"""Starting the window: find the journal, show the first rows fast, explain what cannot open."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from partnerdesk import APP_NAME, __version__
from partnerdesk.domain.errors import JournalError, JournalReadOnly, PartnerdeskError
from partnerdesk.store.journal_file import inspect_file, locate_existing
from partnerdesk.store.paths import resolve_journal_path
from partnerdesk.store.schema import LATEST_VERSION
from partnerdesk.ui.main_window import MainWindow
from partnerdesk.ui.session import JournalSession

JOURNAL_FILTER = "partnerdesk journals (*.sqlite3 *.db);;All files (*)"


def app_icon() -> QIcon:
    # The icons ship as package data (partnerdesk.resources), so they are found the same way
    # in a wheel, an editable install and a PyInstaller bundle; a missing icon is not fatal.
    from importlib.resources import files

    icon = QIcon()
    try:
        icons = files("partnerdesk.resources") / "icons"
    except ModuleNotFoundError:
        return icon
    for size in (16, 32, 48, 64, 128, 256, 512):
        png = icons / f"partnerdesk-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    svg = icons / "partnerdesk.svg"
    if svg.is_file():
        icon.addFile(str(svg))
    return icon


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("partnerdesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("partnerdesk")
    app.setWindowIcon(app_icon())
    return app


def _remember(path: Path) -> None:
    s = QSettings()
    recent = s.value("journals/recent", []) or []
    if isinstance(recent, str):
        recent = [recent]
    text = str(path.resolve())
    s.setValue("journals/recent", [text, *[p for p in recent if p != text]][:10])


def open_session(path: Path) -> JournalSession:
    """A session on this journal; raises PartnerdeskError with a sentence when it cannot open.

    A journal at the current version is read straight away with the standard library and the
    full store opens on a worker. New and older journals are created or migrated right here,
    before anything is shown, because nothing can be read from them until that is done.
    """
    locate_existing(path, create=True)
    state = inspect_file(path)
    if state.fresh or state.version < LATEST_VERSION:
        from partnerdesk.store.journal import Journal

        journal = Journal.open(path)
        return JournalSession(path, journal=journal)
    session = JournalSession(path)
    session.reader.vendors()  # fail here, not in the window, if the file cannot be read
    return session


def open_read_only(path: Path) -> JournalSession:
    from partnerdesk.store.journal import Journal

    return JournalSession(path, journal=Journal.open(path, read_only=True))


class Launcher:
    """Owns the one main window and swaps it when another journal is opened."""

    def __init__(self, app: QApplication):
        self.app = app
        self.window: MainWindow | None = None

    def open(self, path: Path, parent: QWidget | None = None) -> bool:
        while True:
            try:
                session = open_session(path)
                break
            except PartnerdeskError as exc:
                choice = self._ask(parent, path, exc)
            except Exception as exc:  # an unexpected failure still gets a sentence, not a trace
                from partnerdesk.store.db_errors import explain

                known = explain(exc, path)
                choice = self._ask(parent, path, known or JournalError(f"{path} cannot be opened: {exc}"))
            if choice is None:
                return False
            if choice == "read-only":
                try:
                    session = open_read_only(path)
                    break
                except PartnerdeskError as exc:
                    QMessageBox.warning(parent, "partnerdesk", str(exc))
                    return False
            path = choice
        old = self.window
        window = MainWindow(session)
        window.open_journal_requested.connect(lambda p: self.open(Path(p), self.window))
        window.open_other_requested.connect(self.choose_and_open)
        window.new_journal_requested.connect(self.create_and_open)
        window.show()
        session.open_async()
        _remember(path)
        self.window = window
        if old is not None:
            old.close()
            old.session.close()
            old.deleteLater()
        return True

    def _ask(self, parent: QWidget | None, path: Path, exc: Exception) -> Path | str | None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("partnerdesk cannot open this journal")
        box.setText(str(exc))
        box.setInformativeText("Nothing was written to the file. What would you like to do?")
        other = box.addButton("Open another…", QMessageBox.ButtonRole.AcceptRole)
        new = box.addButton("Create new…", QMessageBox.ButtonRole.AcceptRole)
        ro = None
        if isinstance(exc, JournalReadOnly):
            ro = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Quit" if self.window is None else "Cancel", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is other:
            return self._pick_existing(parent)
        if clicked is new:
            return self._pick_new(parent)
        if ro is not None and clicked is ro:
            return "read-only"
        return None

    def _pick_existing(self, parent: QWidget | None) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, "Open journal", str(resolve_journal_path(None).parent),
                                              JOURNAL_FILTER)
        return Path(name) if name else None

    def _pick_new(self, parent: QWidget | None) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "New journal", str(Path.home() / "journal.sqlite3"),
                                              JOURNAL_FILTER)
        if not name:
            return None
        path = Path(name)
        if path.exists():
            QMessageBox.warning(parent, "partnerdesk",
                                f"{path} already exists; choose a new name (it was left as it is).")
            return None
        return path

    def choose_and_open(self) -> None:
        path = self._pick_existing(self.window)
        if path is not None:
            self.open(path, self.window)

    def create_and_open(self) -> None:
        path = self._pick_new(self.window)
        if path is not None:
            self.open(path, self.window)


def run(db: str | os.PathLike[str] | None = None) -> int:
    app = make_app()
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    launcher = Launcher(app)
    if not launcher.open(resolve_journal_path(db)):
        return 1
    code = app.exec()
    if launcher.window is not None:
        launcher.window.session.close()
    return code
