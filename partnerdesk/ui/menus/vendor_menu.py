"""Vendor: add and edit vendors, their page, dashboard, brief and questions, contacts, events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from partnerdesk.ui.actions import add_menu_action, make_action, menu_named

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow


def install(w: MainWindow) -> None:
    w.act_add_vendor = make_action(w, "&Add vendor…", lambda: add_vendor(w), "Ctrl+Shift+V", "Add a vendor")
    menu_named(w, "Vendor").addAction(w.act_add_vendor)
    a = add_menu_action  # each entry below needs the selected vendor
    w.act_vendor_page = a(w, "Vendor", "Vendor &page…", lambda vid: open_vendor_page(w, vid), "Ctrl+I",
                          "Contacts, events and details of the selected vendor", vendor=True)
    w.act_edit_vendor = a(w, "Vendor", "&Edit vendor…", lambda vid: _dialog(w, "VendorDialog", vid), None,
                          "Edit the selected vendor", vendor=True)
    menu_named(w, "Vendor").addSeparator()
    w.act_dashboard = a(w, "Vendor", "&Dashboard…", lambda vid: w.open_dashboard(vid), "Ctrl+Shift+D",
                        "Health over time, why, and before/after an event", vendor=True)
    w.act_brief = a(w, "Vendor", "Meeting &brief…", lambda vid: open_brief(w, vid), "Ctrl+B",
                    "Everything for the next meeting with this vendor, on one screen", vendor=True)
    w.act_questions = a(w, "Vendor", "Partnership &questions…", lambda vid: open_questions(w, vid),
                        "Ctrl+Shift+Q", "The questions to ask before committing, with dated answers",
                        vendor=True)
    w.act_keep_in_touch = a(w, "Vendor", "Keep in &touch…", lambda vid: keep_in_touch(w, vid),
                            None, "How often to be in touch with this vendor at least",
                            vendor=True)
    menu_named(w, "Vendor").addSeparator()
    w.act_add_contact = a(w, "Vendor", "Add &contact…", lambda vid: _dialog(w, "ContactDialog", vid, None),
                          None, "Add a contact to the vendor", vendor=True)
    w.act_add_event = a(w, "Vendor", "Record &event…", lambda vid: _dialog(w, "EventDialog", vid), None,
                        "Record a programme, compensation or other change", vendor=True)
    w.act_acquired = a(w, "Vendor", "Record ac&quisition…", lambda vid: _dialog(w, "AcquisitionDialog", vid),
                       None, "Record that the vendor was bought", vendor=True)


def _dialog(w: MainWindow, name: str, *args: Any) -> None:
    from partnerdesk.ui import vendor_dialogs

    getattr(vendor_dialogs, name)(w.session, *args, w).exec()


def add_vendor(w: MainWindow) -> None:
    _dialog(w, "VendorDialog", None)


def open_vendor_window(w: MainWindow, factory: Any, vid: int) -> None:
    """A vendor's window of its own, placed and sized inside the screen the main window is on."""
    from partnerdesk.ui.placement import place_window

    try:
        widget = factory(w.session, vid, w)
    except Exception as exc:
        w.show_error(w.explain(exc))
        return
    widget.setWindowFlag(Qt.WindowType.Window, True)
    widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    place_window(widget, w)
    widget.show()


def open_dashboard(w: MainWindow, vid: int) -> None:
    from partnerdesk.ui.dashboard import VendorDashboard

    open_vendor_window(w, VendorDashboard, vid)


def open_brief(w: MainWindow, vid: int) -> None:
    from partnerdesk.ui.brief_view import BriefView

    open_vendor_window(w, BriefView, vid)


def keep_in_touch(w: MainWindow, vid: int) -> None:
    from partnerdesk.ui.keep_in_touch import ask_cadence

    if ask_cadence(w.session, w, vid):
        w.statusBar().showMessage(w.session.undo.undoText() + ". Edit ▸ Undo puts it back.", 5000)


def open_questions(w: MainWindow, vid: int) -> None:
    from partnerdesk.ui.questions_panel import QuestionsPanel

    open_vendor_window(w, QuestionsPanel, vid)


def open_vendor_page(w: MainWindow, vid: int) -> None:
    from partnerdesk.ui.vendor_page import VendorPage

    open_vendor_window(w, VendorPage, vid)
