"""Reminders and tray: the tray icon, notifications, the morning digest and start at login."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
)

from partnerdesk.services import autostart

if TYPE_CHECKING:
    from partnerdesk.ui.main_window import MainWindow


class ReminderSettings(QDialog):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Reminders and tray")
        s = QSettings()
        self.tray = QCheckBox(
            "Show follow-ups in the system &tray (closing the window keeps it running)"
        )
        self.tray.setChecked(s.value("tray/enabled", False, type=bool))
        self.notify = QCheckBox("Desktop &notifications for follow-ups due today and newly overdue")
        self.notify.setChecked(s.value("tray/notify", True, type=bool))
        self.digest = QCheckBox("A morning &digest at")
        self.digest.setChecked(s.value("tray/digest", False, type=bool))
        self.digest_time = QTimeEdit(
            QTime.fromString(str(s.value("tray/digest_time", "08:30")), "HH:mm")
        )
        self.digest_time.setDisplayFormat("HH:mm")
        self.digest_time.setAccessibleName("Digest time")
        self.login = QCheckBox("Start partnerdesk at &login, in the tray")
        self.login.setChecked(autostart.is_enabled())
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(self.digest)
        row.addWidget(self.digest_time)
        row.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.tray, self.notify):
            layout.addWidget(w)
        layout.addLayout(row)
        layout.addWidget(self.login)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.tray.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        on = self.tray.isChecked()
        for w in (self.notify, self.digest, self.digest_time, self.login):
            w.setEnabled(on)

    def accept(self) -> None:
        from partnerdesk.ui.tray import disable_tray, enable_tray

        s = QSettings()
        s.setValue("tray/enabled", self.tray.isChecked())
        s.setValue("tray/notify", self.notify.isChecked())
        s.setValue("tray/digest", self.digest.isChecked())
        s.setValue("tray/digest_time", self.digest_time.time().toString("HH:mm"))
        try:
            if self.tray.isChecked() and self.login.isChecked():
                autostart.enable(self.window_.session.path)
            else:
                autostart.disable()
        except OSError as exc:
            self.error.setText(
                f"Start at login could not be set up ({exc.strerror or exc}); "
                "the other choices were saved."
            )
            self.error.show()
            return
        if self.tray.isChecked():
            enable_tray(self.window_)
        else:
            disable_tray(self.window_)
        super().accept()
