"""The main window: vendors on the left, the timeline in the middle, the detail on the right."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from partnerdesk import __version__
from partnerdesk.domain.models import InteractionFilter
from partnerdesk.store.timeline import IdList, TimelineReader
from partnerdesk.ui import workers
from partnerdesk.ui.detail_pane import DetailPane
from partnerdesk.ui.filter_bar import FilterBar
from partnerdesk.ui.session import JournalSession
from partnerdesk.ui.timeline_model import COL_SUMMARY, TimelineModel
from partnerdesk.ui.vendor_list import VENDOR_ID_ROLE, VendorDelegate, VendorListModel

FIRST_PAGE = 500


class MainWindow(QMainWindow):
    open_journal_requested = Signal(str)  # a path; the app swaps the window over to it
    new_journal_requested = Signal()
    open_other_requested = Signal()
    restore_requested = Signal(str)  # a backup to put in place of this journal

    def __init__(self, session: JournalSession):
        super().__init__()
        self.session = session
        self._generation = 0
        self._job: workers.Job | None = None
        self._stats_job: workers.Job | None = None
        self._quick_log: Any = None
        self._followups_dock: QDockWidget | None = None
        self.setWindowTitle(f"partnerdesk — {session.path.name}")
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)

        # vendors
        self.vendor_model = VendorListModel(self)
        self.vendor_view = QListView()
        self.vendor_view.setModel(self.vendor_model)
        self.vendor_view.setItemDelegate(VendorDelegate(self.vendor_view))
        self.vendor_view.setAccessibleName("Vendors")
        self.vendor_view.setUniformItemSizes(True)
        self.vendor_view.setMinimumWidth(210)
        self.vendor_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        # timeline
        self.timeline = TimelineModel(session.reader, self)
        self.table = QTableView()
        self.table.setModel(self.timeline)
        self.table.setAccessibleName("Interactions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SUMMARY, QHeaderView.ResizeMode.Stretch)
        for col, width in enumerate([118, 140, 58, 32, 92, 300, 110, 112]):
            if col != COL_SUMMARY:
                self.table.setColumnWidth(col, width)

        # detail
        self.detail = DetailPane(session)
        self.detail.setMinimumWidth(320)

        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("banner")
        self.read_only_banner.setStyleSheet(
            "background: #fff3cd; color: #664d03; padding: 6px; border-bottom: 1px solid #e0c36a;")
        self.read_only_banner.setVisible(False)

        self.splitter = QSplitter()
        self.splitter.addWidget(self.vendor_view)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([210, 880, 330])
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.read_only_banner)
        box.addWidget(self.splitter)
        self.setCentralWidget(central)

        # status bar
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Interaction count")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.count_label)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(500)  # progress only for work that takes a noticeable time
        self._busy_timer.timeout.connect(lambda: self.progress.setVisible(True))
        # Vendor counts are re-read a moment after a change, not inside it: at a million rows the
        # query takes ~100 ms and would otherwise compete with painting the saved row.
        self._stats_timer = QTimer(self)
        self._stats_timer.setSingleShot(True)
        self._stats_timer.setInterval(400)
        self._stats_timer.timeout.connect(self.refresh_stats)

        self.filters = FilterBar()
        self._build_actions()
        self._build_menus_and_toolbar()

        self.vendor_view.selectionModel().currentChanged.connect(lambda *_: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _i: self.detail.focus_form())
        self.filters.changed.connect(self.reload)
        self.filters.text_changed.connect(self._search_changed)
        self.filters.search.returnPressed.connect(self.filters.flush)
        self.detail.deleted.connect(lambda _id: self.table.setFocus())
        session.changed.connect(self._on_changed)
        session.failed.connect(self.show_error)
        session.ready.connect(self._on_ready)

        self._restore_layout()
        self.load_vendors()
        self.vendor_view.setCurrentIndex(self.vendor_model.index(0))
        self.reload()

    # -- actions -------------------------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
            act.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})" if shortcut else tip)
        # triggered(bool) would pass `checked` as the slot's first argument (a vendor id, a path
        # list...): the slot is always called with no arguments.
        act.triggered.connect(lambda _checked=False: slot())
        return act

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.act_new = self._action("&New interaction…", self.quick_log, "Ctrl+N", "Log an interaction")
        self.act_quick_window = self._action("&Quick log window", lambda: self.quick_log(on_top=True),
                                             "Ctrl+Shift+N", "A small always-on-top log window")
        self.act_find = self._action("&Find", self.filters.focus_search, K.Find, "Search the journal")
        self.act_delete = self._action("&Delete interaction", self.delete_selected, K.Delete,
                                       "Delete the selected interaction")
        self.act_duplicate = self._action("D&uplicate interaction", self.duplicate_selected, "Ctrl+D",
                                          "Copy the selected interaction as a new one")
        self.act_undo = self.session.undo.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(K.Undo)
        self.act_redo = self.session.undo.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(K.Redo)])
        self.act_reload = self._action("&Refresh", self.refresh_all, K.Refresh, "Read the journal again")
        self.act_followups = self._action("&Follow-ups", self.show_followups, "Ctrl+Shift+F",
                                          "Open promises and to-dos")
        self.act_archived = QAction("Show &archived vendors", self, checkable=True)
        self.act_archived.toggled.connect(self.vendor_model.set_show_archived)
        self.act_add_vendor = self._action("&Add vendor…", self.add_vendor, "Ctrl+Shift+V", "Add a vendor")
        self.act_vendor_page = self._action("Vendor &page…", self.open_vendor_page, "Ctrl+I",
                                            "Contacts, events and details of the selected vendor")
        self.act_edit_vendor = self._action("&Edit vendor…", self.edit_vendor, None, "Edit the selected vendor")
        self.act_add_contact = self._action("Add &contact…", self.add_contact, None, "Add a contact to the vendor")
        self.act_add_event = self._action("Record &event…", self.add_event, None,
                                          "Record a programme, compensation or other change")
        self.act_acquired = self._action("Record ac&quisition…", self.record_acquisition, None,
                                         "Record that the vendor was bought")
        self.act_dashboard = self._action("&Dashboard…", self.open_dashboard, "Ctrl+Shift+D",
                                          "Health over time, why, and before/after an event")
        self.act_brief = self._action("Meeting &brief…", self.open_brief, "Ctrl+B",
                                      "Everything for the next meeting with this vendor, on one screen")
        self.act_questions = self._action("Partnership &questions…", self.open_questions, "Ctrl+Shift+Q",
                                          "The questions to ask before committing, with dated answers")
        self.act_portfolio = self._action("&Portfolio", self.show_portfolio, "Ctrl+Shift+P",
                                          "All vendors' health side by side")
        self.act_settings = self._action("&Settings…", self.open_settings, K.Preferences, "Your name, defaults")
        self.act_open = self._action("&Open journal…", self.open_other_requested.emit, K.Open,
                                     "Open another journal file")
        self.act_new_journal = self._action("New &journal…", self.new_journal_requested.emit, None,
                                            "Create a new, empty journal")
        self.act_report = self._action("Export &quarterly summary…", self.export_quarterly, "Ctrl+E",
                                       "The quarterly relationship summary as a PDF")
        self.act_import = self._action("&Import…", self.import_files, "Ctrl+Shift+I",
                                       "Calendar, mail, CRM CSV, vCard or partnerdesk JSON files")
        self.act_export = self._action("E&xport…", self.export_files, "Ctrl+Shift+E",
                                       "Interactions, vendors, contacts, events, answers or the whole journal")
        self.act_backup = self._action("&Back up now", self.backup_now, None, "A checked copy of the journal")
        self.act_restore = self._action("&Restore from backup…", self.restore_backup, None,
                                        "Put a backup in place of this journal")
        self.act_check = self._action("&Check journal", self.check_journal, None,
                                      "Integrity check of the file and its search index")
        self.act_quit = self._action("&Quit", self.close, K.Quit)
        self.act_about = self._action("&About partnerdesk", self.about)
        for act in (self.act_dashboard, self.act_brief, self.act_questions, self.act_vendor_page,
                    self.act_edit_vendor, self.act_add_contact, self.act_add_event, self.act_acquired):
            self.vendor_view.addAction(act)

    def _build_menus_and_toolbar(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("&File")
        m.addActions([self.act_new, self.act_quick_window])
        m.addSeparator()
        m.addActions([self.act_open, self.act_new_journal])
        self.recent_menu = m.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        m.addSeparator()
        m.addActions([self.act_import, self.act_export, self.act_report])
        m.addSeparator()
        m.addActions([self.act_backup, self.act_restore])
        m.addSeparator()
        m.addAction(self.act_settings)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = mb.addMenu("&Edit")
        m.addActions([self.act_undo, self.act_redo])
        m.addSeparator()
        m.addActions([self.act_duplicate, self.act_delete])
        m.addSeparator()
        m.addAction(self.act_find)
        m = mb.addMenu("&View")
        m.addActions([self.act_portfolio, self.act_followups, self.act_archived, self.act_reload])
        m = mb.addMenu("V&endor")
        m.addActions([self.act_add_vendor, self.act_vendor_page, self.act_edit_vendor])
        m.addSeparator()
        m.addActions([self.act_dashboard, self.act_brief, self.act_questions])
        m.addSeparator()
        m.addActions([self.act_add_contact, self.act_add_event, self.act_acquired])
        m = mb.addMenu("&Help")
        m.addAction(self.act_check)
        m.addSeparator()
        m.addAction(self.act_about)

        tb = QToolBar("Main")
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addAction(self.act_new)
        tb.addSeparator()
        tb.addWidget(self.filters)
        tb.addSeparator()
        tb.addAction(self.act_portfolio)
        tb.addAction(self.act_followups)
        self.addToolBar(tb)

    # -- loading -------------------------------------------------------------------------
    def load_vendors(self) -> None:
        current = self.selected_vendor_id()
        self.vendor_model.set_vendors(self.session.reader.vendors())
        row = self.vendor_model.row_of(current)
        self.vendor_view.setCurrentIndex(self.vendor_model.index(max(row, 0)))
        self.refresh_stats()

    def refresh_stats(self) -> None:
        if self._stats_job is not None:
            self._stats_job.token.cancel()
        path = self.session.path

        def work(_t: workers.CancelToken, _r: Any) -> dict[int, tuple[int, int | None, int]]:
            reader = TimelineReader(path)
            try:
                return reader.vendor_stats(time.strftime("%Y-%m-%d"))
            finally:
                reader.close()

        self._stats_job = workers.start(work, on_done=self.vendor_model.set_stats)
        self.refresh_health()

    def refresh_health(self) -> None:
        """The vendor list's health dots: portfolio scores over a stdlib reader, off the UI thread."""
        path = self.session.path

        def work(_t: workers.CancelToken, _r: Any) -> Any:
            from partnerdesk.services.health import portfolio
            from partnerdesk.store.lite import LiteJournal

            return portfolio(LiteJournal(path), include_archived=True)

        # A bound method, not a closure: Qt drops the connection if the window is destroyed
        # before the job reports (a closure would reach for a deleted model).
        self._health_job = workers.start(work, on_done=self._health_done)

    def _health_done(self, rows: Any) -> None:
        from partnerdesk.ui.portfolio import health_colours

        self.vendor_model.set_health(health_colours(rows))

    def selected_vendor_id(self) -> int | None:
        idx = self.vendor_view.currentIndex()
        return idx.data(VENDOR_ID_ROLE) if idx.isValid() else None

    def current_filter(self) -> InteractionFilter:
        vid = self.selected_vendor_id()
        return self.filters.current((vid,) if vid is not None else ())

    def reload(self, keep_id: int | None = None) -> None:
        """Show the first page now (a few ms), then the full id list from a worker."""
        if not self.detail.confirm_leave():
            return
        keep_id = keep_id if keep_id is not None else self.selected_id()
        self._generation += 1
        generation = self._generation
        if self._job is not None:
            self._job.token.cancel()
            self._job = None
        f = self.current_filter()
        self.detail.set_query(f.text)
        try:
            first = self.session.reader.first_ids(f, FIRST_PAGE)
        except Exception as exc:
            self.show_error(self._explain(exc))
            return
        self.timeline.set_ids(first)
        self._select_id(keep_id)
        if len(first) < FIRST_PAGE:
            self._set_count(len(first), f)
            self._busy_timer.stop()
            self.progress.setVisible(False)
            return
        self.count_label.setText(f"{len(first):,}+ interactions…")
        self._busy_timer.start()
        path = self.session.path

        def work(token: workers.CancelToken, _r: Any) -> IdList | None:
            reader = TimelineReader(path)
            try:
                return reader.all_ids(f, cancelled=lambda: token.cancelled)
            finally:
                reader.close()

        def done(ids: IdList | None) -> None:
            try:
                show(ids)
            except RuntimeError:
                pass  # the window was closed and deleted while the list was being read

        def show(ids: IdList | None) -> None:
            if generation != self._generation or ids is None:
                return
            self._job = None
            self._busy_timer.stop()
            self.progress.setVisible(False)
            selected = self.selected_id()
            top = self.table.rowAt(0)
            self.timeline.extend_to(ids)
            if selected is not None and self.selected_id() != selected:
                self._select_id(selected)
            if top > 0:
                self.table.scrollTo(self.timeline.index(top, 0), QAbstractItemView.ScrollHint.PositionAtTop)
            self._set_count(len(ids), f)

        def failed(message: str) -> None:
            if generation == self._generation:
                self._job = None
                self._busy_timer.stop()
                self.progress.setVisible(False)
                self.show_error(message)

        self._job = workers.start(work, on_done=done, on_failed=failed)

    def _search_changed(self) -> None:
        self.reload()

    def _set_count(self, n: int, f: InteractionFilter) -> None:
        what = "match" if f.text else "interaction"
        plural = "es" if what == "match" and n != 1 else ("s" if n != 1 else "")
        suffix = " (newest entered first)" if f.text else ""
        self.count_label.setText(f"{n:,} {what}{plural}{suffix}")

    def refresh_all(self) -> None:
        self.load_vendors()
        self.reload()
        self.statusBar().showMessage("Read the journal again.", 3000)

    # -- selection -----------------------------------------------------------------------
    def selected_id(self) -> int | None:
        idx = self.table.currentIndex()
        return self.timeline.id_at(idx.row()) if idx.isValid() else None

    def _select_id(self, interaction_id: int | None) -> None:
        row = self.timeline.row_of(interaction_id) if interaction_id is not None else -1
        if row < 0:
            self.table.clearSelection()
            self.table.setCurrentIndex(QModelIndex())
            self.detail.show_item(None)
            return
        index = self.timeline.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        new_id = self.timeline.id_at(current.row()) if current.isValid() else None
        if self.detail.item is not None and new_id == self.detail.item.id:
            return
        if not self.detail.confirm_leave():
            self.table.selectionModel().blockSignals(True)
            self.table.setCurrentIndex(previous)
            self.table.selectionModel().blockSignals(False)
            return
        if new_id is None:
            self.detail.show_item(None)
            return
        try:
            self.detail.show_item(self.session.read_interaction(new_id))
        except Exception as exc:
            self.show_error(self._explain(exc))

    # -- changes -------------------------------------------------------------------------
    def _on_changed(self, kind: str, payload: object) -> None:
        if kind != "interaction":
            self.load_vendors()
            self.timeline.refresh_rows()
            return
        change = payload if isinstance(payload, dict) else {}
        in_place = self.filters.is_plain() and self.selected_vendor_id() is None and not self.timeline.id_list().by_entry
        if in_place and self._job is None:
            for iid in change.get("removed", []):
                self.timeline.remove_id(iid)
            for iid, key in change.get("updated", []):
                self.timeline.remove_id(iid)
                self.timeline.insert_id(iid, key)
            for iid, key in change.get("added", []):
                self.timeline.insert_id(iid, key)
            self._set_count(self.timeline.rowCount(), self.current_filter())
        else:
            self.reload()
        focus = [i for i, _k in change.get("added", [])] or [i for i, _k in change.get("updated", [])]
        if focus:
            self._select_id(focus[-1])
            if self.detail.item is not None and self.detail.item.id == focus[-1]:
                self.detail.show_item(self.session.read_interaction(focus[-1]))
        elif self.detail.item is not None and self.detail.item.id in change.get("removed", []):
            self.detail.show_item(None)
        self._stats_timer.start()

    def _on_ready(self) -> None:
        j = self.session.journal
        read_only = bool(j and j.read_only)
        self.read_only_banner.setVisible(read_only)
        if read_only:
            self.read_only_banner.setText(
                f"Read-only: {self.session.path} cannot be written here. You can read and search; "
                "to make changes, open a copy you can write (File ▸ Open journal…).")
        for act in (self.act_new, self.act_quick_window, self.act_delete, self.act_duplicate,
                    self.act_add_vendor, self.act_edit_vendor, self.act_add_contact, self.act_add_event,
                    self.act_acquired, self.act_import, self.act_restore):
            act.setEnabled(not read_only)

    # -- commands ------------------------------------------------------------------------
    def quick_log(self, on_top: bool = False) -> None:
        from partnerdesk.ui.quick_log import QuickLogDialog

        if self._quick_log is None or self._quick_log.isHidden():
            # One dialog, reused: a new one per entry would keep every old one alive.
            if self._quick_log is None:
                self._quick_log = QuickLogDialog(self.session, self, on_top=on_top)
            else:
                self._quick_log.set_on_top(on_top)
            self._quick_log.prepare()
            vid = self.selected_vendor_id()
            if vid is not None:
                for v in self.vendor_model.vendors():
                    if v.id == vid:
                        self._quick_log.form.vendor.setText(v.name)
                        self._quick_log.form.set_contact_names(self.session.reader.contact_names(v.id))
                        self._quick_log.form.summary.setFocus()
        self._quick_log.show()
        self._quick_log.raise_()
        self._quick_log.activateWindow()

    def delete_selected(self) -> None:
        iid = self._interaction_or_warn()
        if iid is None:
            return
        if self.detail.item is None or self.detail.item.id != iid:
            self.detail.show_item(self.session.read_interaction(iid))
        row = self.table.currentIndex().row()
        self.detail.delete()
        if self.timeline.rowCount():
            self.table.setCurrentIndex(self.timeline.index(min(row, self.timeline.rowCount() - 1), 0))
        self.statusBar().showMessage("Deleted. Ctrl+Z brings it back.", 5000)

    def duplicate_selected(self) -> None:
        from partnerdesk.ui import journal_actions

        iid = self._interaction_or_warn()
        if iid is None:
            return
        try:
            item = self.session.read_interaction(iid)
            if item is not None:
                journal_actions.duplicate(self.session, item)
        except Exception as exc:
            self.show_error(self._explain(exc))

    def show_followups(self) -> None:
        from partnerdesk.ui.followups_view import FollowUpsView

        if self._followups_dock is None:
            view = FollowUpsView(self.session, self)
            view.open_interaction.connect(self._open_interaction)
            dock = QDockWidget("Follow-ups", self)
            dock.setObjectName("followupsDock")
            dock.setWidget(view)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            self._followups_dock = dock
        self._followups_dock.show()
        self._followups_dock.raise_()

    def _open_vendor_window(self, factory: Any, vendor_id: int | None = None) -> None:
        vid = vendor_id if vendor_id is not None else self._vendor_or_warn()
        if vid is None:
            return
        try:
            widget = factory(self.session, vid, self)
        except Exception as exc:
            self.show_error(self._explain(exc))
            return
        widget.setWindowFlag(Qt.WindowType.Window, True)
        widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if widget.width() < 700:
            widget.resize(1000, 720)
        widget.show()

    def open_dashboard(self, vendor_id: int | None = None) -> None:
        from partnerdesk.ui.dashboard import VendorDashboard

        self._open_vendor_window(VendorDashboard, vendor_id if isinstance(vendor_id, int) else None)

    def open_brief(self) -> None:
        from partnerdesk.ui.brief_view import BriefView

        self._open_vendor_window(BriefView)

    def open_questions(self) -> None:
        from partnerdesk.ui.questions_panel import QuestionsPanel

        self._open_vendor_window(QuestionsPanel)

    def show_portfolio(self) -> None:
        from partnerdesk.ui.portfolio import PortfolioView

        if getattr(self, "_portfolio_dock", None) is None:
            view = PortfolioView(self.session, self)
            view.open_vendor.connect(self.open_dashboard)
            dock = QDockWidget("Portfolio", self)
            dock.setObjectName("portfolioDock")
            dock.setWidget(view)
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            self._portfolio_dock = dock
        self._portfolio_dock.show()
        self._portfolio_dock.raise_()

    def _open_interaction(self, interaction_id: int) -> None:
        if self.timeline.row_of(interaction_id) < 0:
            self.vendor_view.setCurrentIndex(self.vendor_model.index(0))
            self.filters.search.clear()
            self.filters.flush()
        self._select_id(interaction_id)
        self.table.setFocus()

    def _vendor_or_warn(self) -> int | None:
        vid = self.selected_vendor_id()
        if vid is None:
            if self.vendor_model.vendors():
                self.statusBar().showMessage("Pick a vendor in the list on the left first.", 6000)
            else:
                self.statusBar().showMessage(
                    "There are no vendors yet: add one with Vendor ▸ Add vendor… (Ctrl+Shift+V).", 8000)
        return vid

    def _interaction_or_warn(self) -> int | None:
        iid = self.selected_id()
        if iid is None:
            if self.timeline.rowCount():
                self.statusBar().showMessage("Pick an interaction in the list first.", 6000)
            else:
                self.statusBar().showMessage(
                    "There are no interactions here yet: log one with Ctrl+N.", 8000)
        return iid

    def add_vendor(self) -> None:
        from partnerdesk.ui.vendor_dialogs import VendorDialog

        VendorDialog(self.session, None, self).exec()

    def edit_vendor(self) -> None:
        from partnerdesk.ui.vendor_dialogs import VendorDialog

        vid = self._vendor_or_warn()
        if vid is not None:
            VendorDialog(self.session, vid, self).exec()

    def add_contact(self) -> None:
        from partnerdesk.ui.vendor_dialogs import ContactDialog

        vid = self._vendor_or_warn()
        if vid is not None:
            ContactDialog(self.session, vid, None, self).exec()

    def add_event(self) -> None:
        from partnerdesk.ui.vendor_dialogs import EventDialog

        vid = self._vendor_or_warn()
        if vid is not None:
            EventDialog(self.session, vid, self).exec()

    def record_acquisition(self) -> None:
        from partnerdesk.ui.vendor_dialogs import AcquisitionDialog

        vid = self._vendor_or_warn()
        if vid is not None:
            AcquisitionDialog(self.session, vid, self).exec()

    def open_vendor_page(self) -> None:
        from partnerdesk.ui.vendor_page import VendorPage

        vid = self._vendor_or_warn()
        if vid is not None:
            page = VendorPage(self.session, vid, self)
            page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            page.show()

    def open_settings(self) -> None:
        from partnerdesk.ui.settings_dialog import SettingsDialog

        if SettingsDialog(self).exec():
            self.timeline.set_ids(self.timeline.id_list())  # date format may have changed

    def import_files(self, paths: list[Path] | None = None) -> None:
        from partnerdesk.ui.import_dialog import IMPORTABLE, ImportDialog

        if not paths:
            pattern = " ".join(f"*{ext}" for ext in IMPORTABLE)
            names, _ = QFileDialog.getOpenFileNames(self, "Import", str(Path.home()),
                                                    f"Importable files ({pattern});;All files (*)")
            paths = [Path(n) for n in names]
        if not paths:
            return
        dialog = ImportDialog(self.session, paths, self)
        if dialog.exec() == ImportDialog.DialogCode.Accepted and dialog.result_line:
            self.statusBar().showMessage(dialog.result_line, 8000)

    def export_files(self) -> None:
        from partnerdesk.ui.journal_files import export_dialog

        self._file_job = export_dialog(self.session, self, self.current_filter())

    def backup_now(self) -> None:
        from partnerdesk.ui.journal_files import backup_now

        self._file_job = backup_now(self.session, self)

    def restore_backup(self) -> None:
        from partnerdesk.ui.journal_files import choose_backup

        chosen = choose_backup(self.session, self)
        if chosen is not None:
            self.restore_requested.emit(str(chosen))

    def journal_damaged(self, detail: str) -> None:
        """The open journal failed SQLite's check: say so and offer the newest good backup."""
        from partnerdesk.services.backup import newest_good_backup

        good = newest_good_backup(self.session.path)
        text = (f"The journal {self.session.path.name} is damaged: {detail}\n\nAvoid adding to it. ")
        if good is None:
            QMessageBox.warning(self, "Journal damaged", text + "No good backup was found; export what you can "
                                "(File ▸ Export…) and run Help ▸ Check journal.")
            return
        answer = QMessageBox.warning(
            self, "Journal damaged", text + f"Restore the newest good backup ({good.name})? The damaged file is "
            "kept aside.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(str(good))

    def check_journal(self) -> None:
        from partnerdesk.ui.journal_files import check_journal

        self._file_job = check_journal(self.session, self)

    # drag files from the desktop or a mail client onto the window to import them
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        from partnerdesk.ui.import_dialog import importable

        paths = importable([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()
        if paths:
            self.import_files(paths)
        else:
            self.statusBar().showMessage(
                "Nothing to import there: drop .ics, .eml, .mbox, .csv, .vcf or partnerdesk .json files.", 8000)

    def export_quarterly(self) -> None:
        from partnerdesk.ui.report_export import ReportExportDialog, run_export

        dialog = ReportExportDialog(self.session, self, preselect_vendor=self.selected_vendor_id())
        if dialog.exec() == ReportExportDialog.DialogCode.Accepted:
            self._export_job = run_export(self.session, self, dialog.choice())

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in (QSettings().value("journals/recent", []) or []) if p]
        if isinstance(recent, str):
            recent = [recent]
        for path in recent[:10]:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_journal_requested.emit(p))
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def about(self) -> None:
        QMessageBox.about(
            self, "About partnerdesk",
            f"<h3>partnerdesk {__version__}</h3>"
            "<p>A private journal of your vendor relationships: who helped, who only transacted, "
            "and what changed after each acquisition.</p>"
            f"<p>Journal: <code>{self.session.path}</code></p>"
            "<p>Works offline. Your notes never leave this computer.</p>")

    # -- errors, layout, closing ---------------------------------------------------------
    @staticmethod
    def _explain(exc: Exception) -> str:
        from partnerdesk.ui.journal_actions import failure_text

        return failure_text(exc, doing="Something went wrong")

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        QMessageBox.warning(self, "partnerdesk", message)

    def _restore_layout(self) -> None:
        s = QSettings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        split = s.value("window/splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)
        header = s.value("window/timeline_header")
        if isinstance(header, QByteArray):
            self.table.horizontalHeader().restoreState(header)

    def _save_layout(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/timeline_header", self.table.horizontalHeader().saveState())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.timeline.refresh_palette()
            self.timeline.refresh_rows()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.detail.confirm_leave():
            event.ignore()
            return
        if self._quick_log is not None and self._quick_log.isVisible():
            self._quick_log.close()
            if self._quick_log.isVisible():
                event.ignore()
                return
        self._save_layout()
        for job in (self._job, self._stats_job, getattr(self, "_health_job", None)):
            if job is not None:
                job.token.cancel()
        super().closeEvent(event)
