"""The schema as a ladder of migrations. Each rung is applied once, in order, in one transaction.

Never edit a rung that has shipped: add a new one. ``tests/store/test_migrations.py`` opens a
journal written by the first schema and pins LATEST_VERSION.
"""

from __future__ import annotations

APPLICATION_ID = 0x5044_4B31  # "PDK1": marks the file as a partnerdesk journal

V1 = """
CREATE TABLE vendor (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    programme   TEXT    NOT NULL DEFAULT '',
    tier        TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT '',
    archived    INTEGER NOT NULL DEFAULT 0,
    acquirer_id INTEGER REFERENCES vendor(id) ON DELETE SET NULL,
    acquired_on TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE vendor_domain (
    domain    TEXT    PRIMARY KEY,
    vendor_id INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX vendor_domain_vendor ON vendor_domain(vendor_id);

CREATE TABLE contact (
    id          INTEGER PRIMARY KEY,
    vendor_id   INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL DEFAULT 'other',
    email       TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    active_from TEXT,
    active_to   TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX contact_vendor_name ON contact(vendor_id, name COLLATE NOCASE);
CREATE INDEX contact_email ON contact(email COLLATE NOCASE) WHERE email <> '';

-- occurred_at, created_at, updated_at, follow_up_done_at: whole seconds since 1970, UTC.
-- topics: lower-case labels joined by newlines. people: vendor, acquirer and contact
-- names, kept by the store so that full-text search finds interactions by who was in them.
CREATE TABLE interaction (
    id                INTEGER PRIMARY KEY,
    vendor_id         INTEGER NOT NULL REFERENCES vendor(id) ON DELETE RESTRICT,
    occurred_at       INTEGER NOT NULL,
    channel           TEXT    NOT NULL,
    direction         TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    tag               TEXT    NOT NULL CHECK (tag IN ('helpful', 'transactional')),
    quality           INTEGER CHECK (quality BETWEEN 1 AND 5),
    summary           TEXT    NOT NULL CHECK (summary <> ''),
    notes             TEXT    NOT NULL DEFAULT '',
    topics            TEXT    NOT NULL DEFAULT '',
    people            TEXT    NOT NULL DEFAULT '',
    follow_up_due     TEXT,
    follow_up_text    TEXT    NOT NULL DEFAULT '',
    follow_up_owner   TEXT    CHECK (follow_up_owner IN ('vendor', 'me')),
    follow_up_done_at INTEGER,
    source            TEXT    NOT NULL DEFAULT 'manual',
    source_id         TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
-- Newest-first timeline and keyset paging (rowid rides along in every index).
CREATE INDEX interaction_time ON interaction(occurred_at);
-- One vendor's timeline, and its health aggregates without touching the table.
CREATE INDEX interaction_vendor_time ON interaction(vendor_id, occurred_at, tag, quality);
CREATE INDEX interaction_open_follow_up ON interaction(follow_up_due)
    WHERE follow_up_due IS NOT NULL AND follow_up_done_at IS NULL;
-- Re-importing the same calendar, mailbox or file must not duplicate anything.
CREATE UNIQUE INDEX interaction_source ON interaction(source, source_id)
    WHERE source_id IS NOT NULL;

CREATE TABLE interaction_contact (
    interaction_id INTEGER NOT NULL REFERENCES interaction(id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX interaction_contact_contact ON interaction_contact(contact_id);

CREATE TABLE vendor_event (
    id          INTEGER PRIMARY KEY,
    vendor_id   INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE,
    occurred_on TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    text        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX vendor_event_vendor ON vendor_event(vendor_id, occurred_on);

CREATE VIRTUAL TABLE interaction_fts USING fts5(
    summary, notes, topics, people,
    content = 'interaction', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER interaction_fts_insert AFTER INSERT ON interaction BEGIN
    INSERT INTO interaction_fts(rowid, summary, notes, topics, people)
    VALUES (new.id, new.summary, new.notes, new.topics, new.people);
END;
CREATE TRIGGER interaction_fts_delete AFTER DELETE ON interaction BEGIN
    INSERT INTO interaction_fts(interaction_fts, rowid, summary, notes, topics, people)
    VALUES ('delete', old.id, old.summary, old.notes, old.topics, old.people);
END;
CREATE TRIGGER interaction_fts_update AFTER UPDATE OF summary, notes, topics, people
ON interaction BEGIN
    INSERT INTO interaction_fts(interaction_fts, rowid, summary, notes, topics, people)
    VALUES ('delete', old.id, old.summary, old.notes, old.topics, old.people);
    INSERT INTO interaction_fts(rowid, summary, notes, topics, people)
    VALUES (new.id, new.summary, new.notes, new.topics, new.people);
END;
"""

# MIGRATIONS[n] takes a journal from version n to n + 1.
MIGRATIONS: list[str] = [V1]
LATEST_VERSION = len(MIGRATIONS)
