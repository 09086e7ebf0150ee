"""The main window: vendors on the left, the timeline in the middle, the detail on the right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from partnerdesk.domain.models import InteractionFilter
from partnerdesk.store.timeline import IdList, TimelineReader
from partnerdesk.ui import workers
from partnerdesk.ui.detail_pane import DetailPane
from partnerdesk.ui.filter_bar import FilterBar
from partnerdesk.ui.session import JournalSession
from partnerdesk.ui.timeline_model import (
    COL_SUMMARY,
    COL_VENDOR,
    ColumnFitter,
    TimelineModel,
    install_column_menu,
)
from partnerdesk.ui.vendor_list import VENDOR_ID_ROLE, VendorDelegate, VendorListModel
from partnerdesk.ui.vendor_list_refresh import VendorListRefresh
from partnerdesk.ui.window_layout import WindowLayout

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
        # rows wrap to the list's width (dates and acquirers are never cut), so heights vary
        self.vendor_view.setUniformItemSizes(False)
        self.vendor_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.vendor_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.vendor_view.setMinimumWidth(180)
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
        self._told_detail = False
        self.window_layout = WindowLayout(self)  # geometry, splits and column widths
        self.table.activated.connect(lambda _i: self.window_layout.open_detail())  # Enter on a row
        install_column_menu(self.table)
        self.columns = ColumnFitter(self.table, self.timeline)

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
        # The timeline, or over it what would appear there (page 1), or the welcome (page 2).
        self.timeline_stack = QStackedWidget()
        self.timeline_stack.addWidget(self.table)
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setMargin(24)
        self.timeline_stack.addWidget(self.empty_hint)
        # The welcome page's text must not set the window's minimum height: at 2x on a small
        # screen that kept an opened panel to its header row.
        self.timeline_stack.setMinimumHeight(self.fontMetrics().height() * 4)
        # Above the timeline while searching: events, answers and ledger records that match too.
        from partnerdesk.ui.record_results import RecordResults, open_record

        self.record_results = RecordResults()
        self.record_results.open_requested.connect(lambda record: open_record(self, record))
        self.record_results.leave_down.connect(self._into_timeline)
        self.record_results.leave_up.connect(lambda: self.filters.search.setFocus())
        middle = QWidget()
        middle_box = QVBoxLayout(middle)
        middle_box.setContentsMargins(0, 0, 0, 0)
        middle_box.setSpacing(0)
        middle_box.addWidget(self.record_results)
        middle_box.addWidget(self.timeline_stack, 1)
        self.splitter.addWidget(middle)
        # The detail form scrolls rather than setting the window's minimum height (768-pixel screens).
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.detail_scroll.setWidget(self.detail)
        self.detail_scroll.setMinimumWidth(320)
        self.splitter.addWidget(self.detail_scroll)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
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
        # the vendor list's counts and health dots, re-read off the UI thread
        self.vendor_refresh = VendorListRefresh(session, self.vendor_model, self)

        self.filters = FilterBar()
        self._build_menus_and_toolbar()
        from partnerdesk.ui.ledger_views import install_ledger_actions  # the ledger's menu items

        install_ledger_actions(self)
        from partnerdesk.ui.qbr_action import install_qbr_action  # Vendor ▸ QBR workspace…

        install_qbr_action(self)

        from partnerdesk.ui.first_run import EmptyJournalPanel

        self.welcome = EmptyJournalPanel(self)
        self.timeline_stack.addWidget(self.welcome)

        self.vendor_view.selectionModel().currentChanged.connect(lambda *_: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _i: self.window_layout.open_detail())
        self.filters.changed.connect(self.reload)
        self.filters.text_changed.connect(self._search_changed)
        self.filters.search.returnPressed.connect(self.filters.flush)
        # Down in the search box moves into the results, as in a mail client's search
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.filters.search)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._into_results)
        self.detail.deleted.connect(lambda _id: self.table.setFocus())
        session.changed.connect(self._on_changed)
        session.failed.connect(self.show_error)
        session.ready.connect(self._on_ready)

        self.window_layout.restore()
        self.load_vendors()
        self.vendor_view.setCurrentIndex(self.vendor_model.index(0))
        self.reload()

    # -- menus and toolbar --------------------------------------------------------------
    def _build_menus_and_toolbar(self) -> None:
        from partnerdesk.ui.menus import install_menus

        install_menus(self)  # each menu's actions and operations live in ui/menus/
        tb = QToolBar("Main")
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addAction(self.act_new)
        tb.addSeparator()
        tb.addAction(self.act_portfolio)
        tb.addAction(self.act_followups)
        self.addToolBar(tb)
        # The search and filters get a toolbar of their own, on a second row when the screen is
        # narrow (a small laptop, 2x scale): never folded into an overflow menu.
        self.filter_bar = QToolBar("Search and filters")
        self.filter_bar.setObjectName("filterToolbar")
        self.filter_bar.setMovable(False)
        self.filter_bar.addWidget(self.filters)
        if self.window_layout.narrow():
            self.addToolBarBreak()
        self.addToolBar(self.filter_bar)

    def _into_results(self) -> None:
        """Down in the search box: into the other records found, if any, else the interactions."""
        self.filters.flush()
        if self.record_results.isVisible():
            self.record_results.enter()
            return
        self._into_timeline()

    def _into_timeline(self) -> None:
        if self.timeline.rowCount():
            if not self.table.currentIndex().isValid():
                self._select_id(self.timeline.id_at(0))
            self.table.setFocus()

    # -- loading -------------------------------------------------------------------------
    def load_vendors(self) -> None:
        current = self.selected_vendor_id()
        self.vendor_model.set_vendors(self.session.reader.vendors())
        row = self.vendor_model.row_of(current)
        self.vendor_view.setCurrentIndex(self.vendor_model.index(max(row, 0)))
        self.vendor_refresh.refresh()
        if hasattr(self, "welcome"):
            self._update_empty_state()

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
        # one vendor's timeline needs no vendor column: its room goes to the summary
        self.table.setColumnHidden(COL_VENDOR, bool(f.vendor_ids))
        self.columns.apply()
        self.detail.set_query(f.text)
        try:
            first = self.session.reader.first_ids(f, FIRST_PAGE)
        except Exception as exc:
            self.show_error(self.explain(exc))
            return
        self.timeline.set_ids(first)
        self._show_other_records(f.text or "")  # now, not after a long interaction list is read
        if not self.window_layout.columns_fitted and self.timeline.rowCount():
            self.window_layout.fit()
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
        from partnerdesk.ui.messages import plural

        suffix = " (newest entered first)" if f.text else ""
        self.count_label.setText(plural(n, "match" if f.text else "interaction") + suffix)
        self._update_empty_state()

    def _show_other_records(self, text: str) -> None:
        """Events, answers and ledger records that match the search too, as result rows."""
        from partnerdesk.store.lite import LiteJournal
        from partnerdesk.store.search_all import search_other_records

        found = []
        if text.strip():
            vid = self.selected_vendor_id()
            try:
                with LiteJournal(self.session.path).reading() as conn:
                    found = search_other_records(conn, text, None if vid is None else [vid])
            except Exception:
                found = []  # a journal that cannot be read here: interactions are still searched
        self.record_results.set_records(found)

    def _update_empty_state(self) -> None:
        """Welcome on an empty journal; else say what would appear in an empty timeline."""
        from partnerdesk.ui.first_run import empty_text

        if self.timeline.rowCount():
            self.timeline_stack.setCurrentIndex(0)
            return
        f = self.current_filter()
        has_vendors = bool(self.vendor_model.vendors())
        if not has_vendors and self.filters.is_plain() and not f.text:
            self.timeline_stack.setCurrentWidget(self.welcome)
            return
        vid = self.selected_vendor_id()
        name = next((v.display_name for v in self.vendor_model.vendors() if v.id == vid), None)
        text = empty_text(has_vendors, name, f.text or "")
        if not text and has_vendors:
            text = "No interactions yet. Ctrl+N logs one."
        self.empty_hint.setText(text)
        self.timeline_stack.setCurrentIndex(1)

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
        if self.window_layout.detail_closed() and not self._told_detail:
            self._told_detail = True  # once: the pane is closed on a small screen, not missing
            self.statusBar().showMessage(
                "Enter or a double-click shows the interaction in full.", 6000)
        try:
            self.detail.show_item(self.session.read_interaction(new_id))
        except Exception as exc:
            self.show_error(self.explain(exc))

    # -- changes -------------------------------------------------------------------------
    def _on_changed(self, kind: str, payload: object) -> None:
        if kind != "interaction":
            self.load_vendors()
            self.timeline.refresh_rows()
            if kind == "action_item":
                self.detail.refresh_items()
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
        self.vendor_refresh.soon()

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

    # -- commands (the operations live in ui/menus/; these names are what other code calls) --
    def quick_log(self, on_top: bool = False) -> None:
        from partnerdesk.ui.menus.file_menu import quick_log

        quick_log(self, on_top)

    def import_files(self, paths: list[Path] | None = None) -> None:
        from partnerdesk.ui.menus.file_menu import import_files

        import_files(self, paths)

    def delete_selected(self) -> None:
        from partnerdesk.ui.menus.edit_menu import delete_selected

        delete_selected(self)

    def show_followups(self) -> None:
        from partnerdesk.ui.menus.view_menu import show_followups

        show_followups(self)

    def show_portfolio(self) -> None:
        from partnerdesk.ui.menus.view_menu import show_portfolio

        show_portfolio(self)

    def open_dashboard(self, vendor_id: int | None = None) -> None:
        from partnerdesk.ui.menus.vendor_menu import open_dashboard

        vid = vendor_id if isinstance(vendor_id, int) and not isinstance(vendor_id, bool) else None
        vid = vid if vid is not None else self.vendor_or_warn()
        if vid is not None:
            open_dashboard(self, vid)

    def open_interaction(self, interaction_id: int) -> None:
        if self.timeline.row_of(interaction_id) < 0:
            self.vendor_view.setCurrentIndex(self.vendor_model.index(0))
            self.filters.search.clear()
            self.filters.flush()
        self._select_id(interaction_id)
        self.table.setFocus()

    def vendor_or_warn(self) -> int | None:
        """The selected vendor's id; else None, and the rep is told what to do."""
        vid = self.selected_vendor_id()
        if vid is None:
            if self.vendor_model.vendors():
                self.statusBar().showMessage("Pick a vendor in the list on the left first.", 6000)
            else:
                self.statusBar().showMessage(
                    "There are no vendors yet: add one with Vendor ▸ Add vendor… (Ctrl+Shift+V).", 8000)
        return vid

    def interaction_or_warn(self) -> int | None:
        iid = self.selected_id()
        if iid is None:
            if self.timeline.rowCount():
                self.statusBar().showMessage("Pick an interaction in the list first.", 6000)
            else:
                self.statusBar().showMessage("There are no interactions here yet: log one with Ctrl+N.", 8000)
        return iid

    def journal_damaged(self, detail: str) -> None:
        """The open journal failed SQLite's check: say so and offer the newest good backup."""
        from partnerdesk.services.backup import newest_good_backup

        good = newest_good_backup(self.session.path)
        text = f"The journal {self.session.path.name} is damaged: {detail}\n\nAvoid adding to it. "
        if good is None:
            QMessageBox.warning(self, "Journal damaged", text + "No good backup was found; export what "
                                "you can (File ▸ Export…) and run Help ▸ Check journal.")
            return
        answer = QMessageBox.warning(
            self, "Journal damaged", text + f"Restore the newest good backup ({good.name})? The damaged "
            "file is kept aside.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(str(good))

    # drag files from the desktop or a mail client onto the window to import them
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        from partnerdesk.ui.menus.file_menu import dropped

        event.acceptProposedAction()
        dropped(self, [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])

    # -- errors, layout, closing ---------------------------------------------------------
    @staticmethod
    def explain(exc: Exception) -> str:
        from partnerdesk.ui.journal_actions import failure_text

        return failure_text(exc, doing="Something went wrong")

    def show_error(self, message: str) -> None:
        from partnerdesk.ui.messages import for_window

        message = for_window(message)
        self.statusBar().showMessage(message, 10000)
        QMessageBox.warning(self, "partnerdesk", message)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.window_layout.first_shown()

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
        self.window_layout.save()
        if self._job is not None:
            self._job.token.cancel()
        self.vendor_refresh.cancel()
        super().closeEvent(event)
