"""Today's reminders and the notification rules, with the clock in the test's hands."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from partnerdesk.services import followups as fu
from partnerdesk.services.autostart import disable, enable, entry_path, entry_text, is_enabled
from partnerdesk.services.reminders import NotifyState, notes_for, today_reminders
from partnerdesk.store.lite import LiteJournal
from tests.helpers import draft


def _fill(journal):
    v = journal.vendors.add("Arcwave")
    it = journal.interactions.add(draft(v.id, "QBR", at=datetime(2026, 3, 1, 10, tzinfo=UTC)))
    fu.add_items(
        journal,
        it.id,
        [
            ("Old promise", date(2026, 3, 5), "vendor"),
            ("Due Monday", date(2026, 3, 9), "me"),
            ("Due Tuesday", date(2026, 3, 10), "me"),
            ("Later", date(2026, 4, 1), "me"),
        ],
    )
    return journal


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute)


def test_today_counts_and_lists(journal):
    _fill(journal)
    with LiteJournal(journal.path).reading() as conn:
        today = today_reminders(conn, date(2026, 3, 9))
    assert (today.due_today, today.overdue) == (1, 1)
    assert [i.what for i in today.top] == ["Old promise", "Due Monday"]
    assert today.headline() == "1 due today · 1 overdue"


def test_each_item_is_said_once_and_newly_overdue_ones_next_day(journal):
    _fill(journal)
    state = NotifyState()
    lite = LiteJournal(journal.path)
    with lite.reading() as conn:
        first = notes_for(conn, at(9), state, None)
        # The first run says what is due today and what fell overdue since yesterday.
        assert [(n.title, n.body) for n in first] == [
            ("Follow-up due today", "Due Monday — for Arcwave")
        ]
        assert notes_for(conn, at(9, 10), state, None) == []  # a minute later: nothing again
        nxt = notes_for(conn, at(10, 8), state, None)  # two at once: one notification
        assert [n.title for n in nxt] == ["2 follow-ups need you (1 due today, 1 overdue)"]
        assert nxt[0].body == "• Due Monday — Arcwave (overdue)\n• Due Tuesday — Arcwave"
        assert notes_for(conn, at(10, 18), state, None) == []


def test_a_burst_becomes_one_summary_and_the_digest_comes_once_at_its_time(journal):
    _fill(journal)
    v = journal.vendors.resolve("Arcwave")
    it = journal.interactions.add(draft(v.id, "Call", at=datetime(2026, 3, 2, tzinfo=UTC)))
    fu.add_items(journal, it.id, [(f"Task {k}", date(2026, 3, 9), "me") for k in range(5)])
    state = NotifyState()
    with LiteJournal(journal.path).reading() as conn:
        notes = notes_for(conn, at(9, 7), state, time(8, 30))
        assert [n.title for n in notes] == ["6 follow-ups need you"]
        assert notes[0].body.endswith("… and 2 more in partnerdesk's follow-ups")
        assert notes_for(conn, at(9, 8, 29), state, time(8, 30)) == []
        digest = notes_for(conn, at(9, 8, 30), state, time(8, 30))
        assert [n.title for n in digest] == ["Good morning: 6 due today · 1 overdue"]
        assert "• Old promise (Arcwave)" in digest[0].body
        assert notes_for(conn, at(9, 12), state, time(8, 30)) == []


def test_snoozed_items_come_back_when_the_snooze_ends(journal):
    _fill(journal)
    with journal.reading() as conn:
        old = conn.exec_driver_sql("SELECT id FROM action_item WHERE what = 'Old promise'").scalar()
    fu.snooze(journal, [old], date(2026, 3, 12), date(2026, 3, 9))
    state = NotifyState()
    with LiteJournal(journal.path).reading() as conn:
        assert "Old promise" not in str(notes_for(conn, at(11), state, None))
        assert today_reminders(conn, date(2026, 3, 11)).overdue == 2  # the two due this week
        back = notes_for(conn, at(12), state, None)
        assert any("Old promise" in n.body for n in back)


def test_start_at_login_entries(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    path = entry_path("linux", tmp_path, env)
    assert path == tmp_path / "cfg" / "autostart" / "partnerdesk.desktop"
    assert not is_enabled(path)
    enable(tmp_path / "my journal.sqlite3", path)
    text = path.read_text()
    assert "[Desktop Entry]" in text and " tray --db " in text and "'" in text  # quoted path
    assert is_enabled(path)
    disable(path)
    assert not is_enabled(path)
    assert entry_path("darwin", tmp_path).name == "org.partnerdesk.tray.plist"
    assert "<key>RunAtLoad</key><true/>" in entry_text(["partnerdesk", "tray"], "darwin")
    assert entry_path("win32", tmp_path, {"APPDATA": str(tmp_path)}).name == "partnerdesk.cmd"
