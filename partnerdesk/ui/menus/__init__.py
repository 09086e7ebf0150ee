"""The main window's menus, one module per menu: its actions and the operations behind them.

`install_menus(window)` builds them in menu-bar order; another feature adds its entries with
`partnerdesk.ui.actions.add_menu_action` (one line each) from its own module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow


def install_menus(window: MainWindow) -> None:
    from partnerdesk.ui.menus import edit_menu, file_menu, help_menu, vendor_menu, view_menu

    for module in (file_menu, edit_menu, view_menu, vendor_menu, help_menu):
        module.install(window)
