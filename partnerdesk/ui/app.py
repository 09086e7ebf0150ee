"""Starting the window: find the journal, show the first rows fast, explain what cannot open."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from partnerdesk import APP_NAME, __version__
from partnerdesk.domain.errors import (
    JournalCorrupt,
    JournalError,
    JournalReadOnly,
    PartnerdeskError,
)
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
    from partnerdesk.ui.theme import apply_theme

    apply_theme(app)  # PARTNERDESK_THEME=dark tries dark mode on any desktop
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


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _bring_to_front(window: QWidget) -> None:
    from partnerdesk.ui.single_instance import bring_to_front

    bring_to_front(window)


def _backup_day(backup: Path) -> str:
    import time as _time

    return _time.strftime("%Y-%m-%d %H:%M", _time.localtime(backup.stat().st_mtime))


def _open_checks(path: Path, window: MainWindow) -> None:
    """After the window shows, on a worker: the daily backup, then SQLite's quick check.

    A damaged journal is only found by reading it all (the open reads just the header), and
    its daily copy fails the same check; either way the rep is told at once and offered the
    newest good backup, before writing more into a damaged file.
    """
    from partnerdesk.ui import workers

    def work(_t: object, _r: object) -> tuple[str, str]:
        from partnerdesk.domain.errors import JournalCorrupt
        from partnerdesk.services.backup import backup_on_open
        from partnerdesk.services.check import quick_check
        from partnerdesk.store.verified import known_damage

        known = known_damage(path)  # a check already failed and nothing changed the file since
        if known:
            return "damaged", known
        try:
            backup_on_open(path)
        except JournalCorrupt as exc:
            return "damaged", str(exc)
        except PartnerdeskError as exc:
            return "note", f"No daily backup today: {exc}"
        report = quick_check(path)
        if not report.ok and report.file_damaged:
            return "damaged", " ".join(report.lines())
        return "ok", ""

    def done(outcome: tuple[str, str]) -> None:
        kind, message = outcome
        try:
            if kind == "note":
                window.statusBar().showMessage(message, 15000)
            elif kind == "damaged":
                window.journal_damaged(message)
        except RuntimeError:
            pass  # the window is gone (another journal was opened meanwhile)

    # Held by the window: a job nobody references can be collected before it reports.
    window._open_checks_job = workers.start(  # type: ignore[attr-defined]
        work, on_done=done, on_failed=lambda m: window.statusBar().showMessage(m, 15000))


class Launcher:
    """Owns the one main window and swaps it when another journal is opened."""

    def __init__(self, app: QApplication, start: str = ""):
        self.app = app
        self.window: MainWindow | None = None
        self.guard: object | None = None
        self.start = start  # "quick": open the quick log; "tray": start in the tray

    def open(self, path: Path, parent: QWidget | None = None) -> bool:
        """Show `path` in the window. False when the rep gave up; True when it is shown here or
        in another partnerdesk window that was asked to come forward (then self.window is None
        if this process had no window yet)."""
        from partnerdesk.ui.single_instance import claim

        if self.guard is not None and self.window is not None and _same(self.window.session.path, path):
            self.window.raise_()
            self.window.statusBar().showMessage(f"{path.name} is the journal open here.", 5000)
            return True
        from partnerdesk.ui.single_instance import QUICK, RAISE

        guard = claim(path, message=QUICK if self.start == "quick" else RAISE)
        if guard is None:  # another window has this journal and has come to the front
            return True
        while True:
            try:
                session = open_read_only(path) if not guard.primary else open_session(path)
                break
            except PartnerdeskError as exc:
                choice = self._ask(parent, path, exc)
            except Exception as exc:  # an unexpected failure still gets a sentence, not a trace
                from partnerdesk.store.db_errors import explain

                known = explain(exc, path)
                choice = self._ask(parent, path, known or JournalError(f"{path} cannot be opened: {exc}"))
            if choice is None:
                guard.release()
                return False
            if choice == "read-only":
                try:
                    session = open_read_only(path)
                    break
                except PartnerdeskError as exc:
                    QMessageBox.warning(parent, "partnerdesk", str(exc))
                    guard.release()
                    return False
            if choice == "restored":
                continue
            guard.release()
            return self.open(Path(choice), parent)
        window = self._show(session, guard)
        _remember(path)
        if guard.primary:
            _open_checks(path, window)
        return True

    def _show(self, session: JournalSession, guard: Any, discard_edits: bool = False) -> MainWindow:
        """A window on `session` in place of the current one, wired to this launcher."""
        old, old_guard = self.window, self.guard
        window = MainWindow(session)
        window.open_journal_requested.connect(lambda p: self.open(Path(p), self.window))
        window.open_other_requested.connect(self.choose_and_open)
        window.new_journal_requested.connect(self.create_and_open)
        window.restore_requested.connect(lambda b: self.restore(Path(b)))
        if guard is not None:
            guard.raise_requested.connect(lambda: _bring_to_front(window))
            guard.quick_requested.connect(lambda: window.quick_log(on_top=True))
        from partnerdesk.ui.tray import install_followup_actions

        tray = install_followup_actions(window, force_tray=self.start == "tray")
        if not (self.start == "tray" and tray is not None and tray.tray_available):
            window.show()  # `partnerdesk tray` starts with the icon only
        if self.start == "quick":
            window.quick_log(on_top=True)
        session.open_async()
        self.window, self.guard = window, guard
        if old is not None:
            if discard_edits:
                old.detail._dirty = False
            old.close()
            old.session.close()
            old.deleteLater()
        if old_guard is not None and old_guard is not guard:
            old_guard.release()
        return window

    def restore(self, backup: Path) -> None:
        """Put a backup in place of the open journal: close our connections, replace, reopen."""
        if self.window is None:
            return
        from partnerdesk.services.backup import restore

        window = self.window
        path = window.session.path
        window.session.close()
        try:
            result = restore(backup, path)
        except PartnerdeskError as exc:
            QMessageBox.warning(window, "Restore failed", f"{exc}\n\nThe journal was left as it was.")
            self._reopen(path)
            return
        self._reopen(path)
        kept = result.kept_aside
        QMessageBox.information(self.window, "Restored",
                                f"The journal now holds the backup {backup.name}."
                                + (f"\nThe journal it replaced was kept as {kept}." if kept else ""))

    def _reopen(self, path: Path) -> None:
        try:
            session = open_session(path)
        except PartnerdeskError as exc:
            QMessageBox.warning(self.window, "partnerdesk", str(exc))
            return
        self._show(session, self.guard, discard_edits=True)

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
        good = None
        if isinstance(exc, JournalCorrupt):
            from partnerdesk.services.backup import newest_good_backup

            try:
                good = newest_good_backup(path)
            except Exception:
                good = None
        restore_button = None
        if good is not None:
            restore_button = box.addButton(f"Restore backup of {_backup_day(good)}",
                                           QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(restore_button)
        box.addButton("Quit" if self.window is None else "Cancel", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is other:
            return self._pick_existing(parent)
        if clicked is new:
            return self._pick_new(parent)
        if ro is not None and clicked is ro:
            return "read-only"
        if restore_button is not None and clicked is restore_button and good is not None:
            from partnerdesk.services.backup import restore

            try:
                restore(good, path)
            except PartnerdeskError as err:
                QMessageBox.warning(parent, "Restore failed", str(err))
                return None
            return "restored"
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


def keep_files_private() -> None:
    """Everything the window creates (settings, PDFs, drafts, its lock) readable only by you,
    like the journal: Qt writes its settings file with the process's umask."""
    os.umask(0o077)


def run(db: str | os.PathLike[str] | None = None, start: str = "") -> int:
    """Open the window on the journal; `start` "quick" opens the quick log in it, "tray" starts
    minimised to the tray (both reach a window already open on that journal instead)."""
    keep_files_private()
    app = make_app()
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    launcher = Launcher(app, start)
    from partnerdesk.ui.quit_signals import QuitOnSignal

    # Installed before the journal is claimed: a signal from then on closes the window cleanly.
    quit_on_signal = QuitOnSignal(lambda: _close_on_signal(launcher, app))
    try:
        if not launcher.open(resolve_journal_path(db)):
            return 1
        if launcher.window is None:
            return 0  # the journal is open in another window, which came to the front
        code = app.exec()
        # Workers still reading the journal must not outlive it, nor run into interpreter
        # shutdown.
        from partnerdesk.ui import workers

        workers.settle(3000, cancel=True)
        if launcher.window is not None:
            launcher.window.session.close()
        if launcher.guard is not None:
            launcher.guard.release()  # the next `partnerdesk` on this journal starts its own window
        return code
    finally:
        quit_on_signal.uninstall()


def _close_on_signal(launcher: Launcher, app: QApplication) -> None:
    """SIGTERM or SIGINT: close as the rep's own close does (layout saved, unsaved edits asked
    about), then end the app even if the tray would have kept it running."""
    window = launcher.window
    if window is not None and not window.close():
        window.statusBar().showMessage(
            "Asked to close: staying open to keep your unsaved changes.", 10000)
        return
    app.exit(0)
