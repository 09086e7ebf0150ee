"""The schema as a ladder of migrations. Each rung is applied once, in order, in one transaction.

Never edit a rung that has shipped: add a new one. ``tests/store/test_migrations.py`` opens a
journal written by the first schema and pins LATEST_VERSION.
"""

from __future__ import annotations

from partnerdesk.store.local_days import V_LOCAL_DAYS

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

# -- V2: a per-vendor weekly summary for health scores, and partnership questions ---------------
#
# vendor_week holds, per vendor and per *slice*, what health scores add up: interactions, helpful
# ones, ratings, and the vendor's promises (follow-ups owned by the vendor) by their due date. A
# slice is a week (Monday to Sunday, UTC days) cut where a month begins, so that weeks, months and
# quarters are all exact unions of slices. start_day is the slice's first day as days since
# 1970-01-01: the Monday, or the 1st of the month when a month begins mid-week.
#
# A promise is kept when it was closed by the end of its due date Anywhere on Earth (UTC-12),
# i.e. before due-date 00:00 UTC + 36 h, so a promise closed late in the evening counts as kept
# in every time zone.
#
# The expressions below are part of the V2 rung: the store's bulk path reuses them, but changing
# one means a new rung that rebuilds vendor_week. They use strftime('%s') rather than unixepoch()
# so that SQLite older than 3.38 (Ubuntu 22.04's) runs the triggers too.

# The UTC day of an epoch time, floored (also right before 1970, where `/` truncates).
DAY_OF_TIME = "((({t}) - ((({t}) % 86400) + 86400) % 86400) / 86400)"
# The slice holding epoch time t: the later of its week's Monday and its month's 1st.
SLICE_OF_TIME = (
    "max(" + DAY_OF_TIME + " - ((" + DAY_OF_TIME + " % 7) + 10) % 7,"
    " CAST(strftime('%s', {t}, 'unixepoch', 'start of month') AS INTEGER) / 86400)"
)
# The slice holding an ISO date (a follow-up's due date).
SLICE_OF_DATE = (
    "max(CAST(strftime('%s', {d}) AS INTEGER) / 86400"
    " - (((CAST(strftime('%s', {d}) AS INTEGER) / 86400) % 7) + 10) % 7,"
    " CAST(strftime('%s', {d}, 'start of month') AS INTEGER) / 86400)"
)
# 1 when a follow-up due on d and closed at epoch time done was kept (see above), else 0.
KEPT = "({done} IS NOT NULL AND {done} < CAST(strftime('%s', {d}) AS INTEGER) + 129600)"
# Which follow-ups are the vendor's promises.
IS_PROMISE = "({r}.follow_up_owner = 'vendor' AND strftime('%s', {r}.follow_up_due) IS NOT NULL)"


def _slice_t(row: str) -> str:
    return SLICE_OF_TIME.format(t=f"{row}.occurred_at")


def _slice_d(row: str) -> str:
    return SLICE_OF_DATE.format(d=f"{row}.follow_up_due")


def _kept(row: str) -> str:
    return KEPT.format(done=f"{row}.follow_up_done_at", d=f"{row}.follow_up_due")


def _add(row: str) -> str:
    """Statements that count interaction `row` (new or old) into vendor_week."""
    return f"""
    INSERT INTO vendor_week (vendor_id, start_day, n, helpful, quality_sum, quality_n)
    VALUES ({row}.vendor_id, {_slice_t(row)}, 1, {row}.tag = 'helpful',
            coalesce({row}.quality, 0), {row}.quality IS NOT NULL)
    ON CONFLICT (vendor_id, start_day) DO UPDATE SET
        n = n + 1, helpful = helpful + excluded.helpful,
        quality_sum = quality_sum + excluded.quality_sum,
        quality_n = quality_n + excluded.quality_n;
    INSERT INTO vendor_week (vendor_id, start_day, promises, promises_kept)
    SELECT {row}.vendor_id, {_slice_d(row)}, 1, {_kept(row)}
    WHERE {IS_PROMISE.format(r=row)}
    ON CONFLICT (vendor_id, start_day) DO UPDATE SET
        promises = promises + 1, promises_kept = promises_kept + excluded.promises_kept;"""


def _remove(row: str) -> str:
    """Statements that take interaction `row` back out of vendor_week (empty slices go)."""
    return f"""
    UPDATE vendor_week SET n = n - 1, helpful = helpful - ({row}.tag = 'helpful'),
        quality_sum = quality_sum - coalesce({row}.quality, 0),
        quality_n = quality_n - ({row}.quality IS NOT NULL)
    WHERE vendor_id = {row}.vendor_id AND start_day = {_slice_t(row)};
    UPDATE vendor_week SET promises = promises - 1, promises_kept = promises_kept - {_kept(row)}
    WHERE {IS_PROMISE.format(r=row)}
      AND vendor_id = {row}.vendor_id AND start_day = {_slice_d(row)};"""


def _drop_empty(row: str) -> str:
    return f"""
    DELETE FROM vendor_week WHERE vendor_id = {row}.vendor_id AND n = 0 AND promises = 0
      AND start_day IN ({_slice_t(row)}, coalesce({_slice_d(row)}, -999999999));"""


# Fills vendor_week from the interaction table (the V2 rung, and tests checking consistency).
# Grouping by day first reads the covering index interaction_vendor_time and computes the
# slice once per vendor-day instead of once per row: ~0.6 s for 1M interactions.
SUMMARY_FILL = f"""
INSERT INTO vendor_week (vendor_id, start_day, n, helpful, quality_sum, quality_n)
SELECT vendor_id, {SLICE_OF_TIME.format(t="day * 86400")} AS slice,
       sum(n), sum(h), sum(qs), sum(qn)
  FROM (SELECT vendor_id, {DAY_OF_TIME.format(t="occurred_at")} AS day, count(*) AS n,
               sum(tag = 'helpful') AS h, coalesce(sum(quality), 0) AS qs, count(quality) AS qn
          FROM interaction GROUP BY 1, 2)
 GROUP BY 1, 2;
INSERT INTO vendor_week (vendor_id, start_day, promises, promises_kept)
SELECT vendor_id, {SLICE_OF_DATE.format(d="follow_up_due")} AS slice, count(*),
       sum({KEPT.format(done="follow_up_done_at", d="follow_up_due")})
  FROM interaction i WHERE {IS_PROMISE.format(r="i")}
 GROUP BY 1, 2
ON CONFLICT (vendor_id, start_day) DO UPDATE SET
    promises = promises + excluded.promises, promises_kept = promises_kept + excluded.promises_kept;
"""

SUMMARY_INSERT_TRIGGER = "vendor_week_insert"

V2 = f"""
CREATE TABLE vendor_week (
    vendor_id     INTEGER NOT NULL,
    start_day     INTEGER NOT NULL,
    n             INTEGER NOT NULL DEFAULT 0,
    helpful       INTEGER NOT NULL DEFAULT 0,
    quality_sum   INTEGER NOT NULL DEFAULT 0,
    quality_n     INTEGER NOT NULL DEFAULT 0,
    promises      INTEGER NOT NULL DEFAULT 0,
    promises_kept INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vendor_id, start_day)
) WITHOUT ROWID;

-- The vendor's promises by due date: promise counts for before/after windows, open ones to date.
CREATE INDEX interaction_vendor_promise ON interaction(vendor_id, follow_up_due, follow_up_done_at)
    WHERE follow_up_owner = 'vendor';

{SUMMARY_FILL}

CREATE TRIGGER {SUMMARY_INSERT_TRIGGER} AFTER INSERT ON interaction BEGIN{_add("new")}
END;
CREATE TRIGGER vendor_week_delete AFTER DELETE ON interaction
BEGIN{_remove("old")}{_drop_empty("old")}
END;
CREATE TRIGGER vendor_week_update AFTER UPDATE OF
    vendor_id, occurred_at, tag, quality, follow_up_due, follow_up_owner, follow_up_done_at
ON interaction BEGIN{_remove("old")}{_add("new")}{_drop_empty("old")}
END;

-- Partnership questions: vendor_id NULL is a standard question asked of every vendor; others
-- are the rep's own for one vendor. Answers are dated and never overwritten: history is kept.
CREATE TABLE question (
    id         INTEGER PRIMARY KEY,
    vendor_id  INTEGER REFERENCES vendor(id) ON DELETE CASCADE,
    text       TEXT    NOT NULL CHECK (text <> ''),
    position   INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX question_vendor ON question(vendor_id, position);

CREATE TABLE answer (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES question(id) ON DELETE CASCADE,
    vendor_id   INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE,
    answered_on TEXT    NOT NULL,
    text        TEXT    NOT NULL CHECK (text <> ''),
    created_at  INTEGER NOT NULL
);
CREATE INDEX answer_vendor_question ON answer(vendor_id, question_id, answered_on);
CREATE INDEX answer_question ON answer(question_id);

INSERT INTO question (vendor_id, text, position, created_at) VALUES
    (NULL, 'How does the vendor define partnership?', 1, CAST(strftime('%s', 'now') AS INTEGER)),
    (NULL, 'How is success in the partnership judged?', 2, CAST(strftime('%s', 'now') AS INTEGER)),
    (NULL, 'How has the vendor''s partner programme evolved and grown?', 3,
     CAST(strftime('%s', 'now') AS INTEGER)),
    (NULL, 'How will the vendor help us benefit from the deal?', 4,
     CAST(strftime('%s', 'now') AS INTEGER)),
    (NULL, 'How do we fit into the vendor''s business model?', 5,
     CAST(strftime('%s', 'now') AS INTEGER));
"""

# Journal-wide settings the window and the command line must agree on (the journal's time zone,
# for one): one text value per key, read by both faces.
V3 = """
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

# -- V_ACTION_ITEMS: several action items per interaction, each open, done, dropped or snoozed ---
#
# action_item is where follow-ups live from this rung on. The interaction's follow_up_* columns
# stay, as a mirror of its *first* action item (lowest id), so that every reader and writer of the
# one-follow-up API (forms, importers, exports, the timeline's column) keeps working unchanged:
#   * writing an interaction's follow_up_* columns creates, edits or removes its first item;
#   * changing any action item re-mirrors the interaction's first item into those columns.
# The triggers only write when the two sides differ, so each change settles in one round (SQLite
# never re-enters a trigger that is already running). A closed first item (done or dropped)
# mirrors as follow_up_done_at = closed_at: the old API only knew "open" and "done".
#
# vendor_week's promise counts now come from action_item: a promise is a vendor-owned item with a
# due date, except one dropped for a reason that does not blame the vendor (superseded, no longer
# needed...); it was kept when it was *done* by the end of its due date Anywhere on Earth.

_BROKEN = "('vendor refused', 'vendor failed')"  # DropReason values in BROKEN_REASONS
IS_ITEM_PROMISE = (
    "({r}.owner = 'vendor' AND strftime('%s', {r}.due) IS NOT NULL"
    " AND NOT ({r}.state = 'dropped' AND {r}.reason NOT IN " + _BROKEN + "))"
)
ITEM_KEPT = KEPT.format(done="(CASE WHEN {r}.state = 'done' THEN {r}.closed_at END)", d="{r}.due")
# The interaction's first action item's column `col` (NULL when it has none).
FIRST_ITEM = "(SELECT {col} FROM action_item WHERE interaction_id = {iid} ORDER BY id LIMIT 1)"


def _first(col: str, iid: str) -> str:
    return FIRST_ITEM.format(col=col, iid=iid)


def _mirror_differs(row: str, iid: str) -> str:
    """True when interaction `row`'s follow_up_* columns differ from its first item."""
    return (f"({row}.follow_up_due IS NOT {_first('due', iid)}"
            f" OR {row}.follow_up_text IS NOT coalesce({_first('what', iid)}, '')"
            f" OR {row}.follow_up_owner IS NOT {_first('owner', iid)}"
            f" OR {row}.follow_up_done_at IS NOT {_first('closed_at', iid)})")


def _mirror(iid: str) -> str:
    """Copy interaction `iid`'s first item into its follow_up_* columns, when they differ."""
    return f"""
    UPDATE interaction SET follow_up_due = {_first('due', iid)},
        follow_up_text = coalesce({_first('what', iid)}, ''),
        follow_up_owner = {_first('owner', iid)},
        follow_up_done_at = {_first('closed_at', iid)}
    WHERE id = {iid} AND {_mirror_differs('interaction', iid)};"""


def _item_add(row: str) -> str:
    return f"""
    INSERT INTO vendor_week (vendor_id, start_day, promises, promises_kept)
    SELECT {row}.vendor_id, {SLICE_OF_DATE.format(d=f"{row}.due")}, 1, {ITEM_KEPT.format(r=row)}
    WHERE {IS_ITEM_PROMISE.format(r=row)}
    ON CONFLICT (vendor_id, start_day) DO UPDATE SET
        promises = promises + 1, promises_kept = promises_kept + excluded.promises_kept;"""


def _item_remove(row: str) -> str:
    return f"""
    UPDATE vendor_week SET promises = promises - 1,
        promises_kept = promises_kept - {ITEM_KEPT.format(r=row)}
    WHERE {IS_ITEM_PROMISE.format(r=row)}
      AND vendor_id = {row}.vendor_id AND start_day = {SLICE_OF_DATE.format(d=f"{row}.due")};
    DELETE FROM vendor_week WHERE vendor_id = {row}.vendor_id AND n = 0 AND promises = 0
      AND start_day = coalesce({SLICE_OF_DATE.format(d=f"{row}.due")}, -999999999);"""


_INTERACTION_COUNTS = """
    INSERT INTO vendor_week (vendor_id, start_day, n, helpful, quality_sum, quality_n)
    VALUES ({r}.vendor_id, {s}, 1, {r}.tag = 'helpful',
            coalesce({r}.quality, 0), {r}.quality IS NOT NULL)
    ON CONFLICT (vendor_id, start_day) DO UPDATE SET
        n = n + 1, helpful = helpful + excluded.helpful,
        quality_sum = quality_sum + excluded.quality_sum,
        quality_n = quality_n + excluded.quality_n;"""
_INTERACTION_UNCOUNT = """
    UPDATE vendor_week SET n = n - 1, helpful = helpful - ({r}.tag = 'helpful'),
        quality_sum = quality_sum - coalesce({r}.quality, 0),
        quality_n = quality_n - ({r}.quality IS NOT NULL)
    WHERE vendor_id = {r}.vendor_id AND start_day = {s};
    DELETE FROM vendor_week WHERE vendor_id = {r}.vendor_id AND n = 0 AND promises = 0
      AND start_day = {s};"""


def _count(row: str) -> str:
    return _INTERACTION_COUNTS.format(r=row, s=_slice_t(row))


def _uncount(row: str) -> str:
    return _INTERACTION_UNCOUNT.format(r=row, s=_slice_t(row))


# A new follow-up written through the interaction's columns becomes its first action item.
_ITEM_FROM_INTERACTION = """
    INSERT INTO action_item (interaction_id, vendor_id, what, owner, due, state, closed_at,
                             created_at, updated_at)
    SELECT new.id, new.vendor_id, new.follow_up_text, coalesce(new.follow_up_owner, 'me'),
           new.follow_up_due, CASE WHEN new.follow_up_done_at IS NULL THEN 'open' ELSE 'done' END,
           new.follow_up_done_at, new.updated_at, new.updated_at
    WHERE new.follow_up_due IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM action_item WHERE interaction_id = new.id);"""

ITEM_FROM_INTERACTION_TRIGGER = "action_item_from_interaction_insert"

V_ACTION_ITEMS = f"""
CREATE TABLE action_item (
    id             INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interaction(id) ON DELETE CASCADE,
    vendor_id      INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE,
    what           TEXT    NOT NULL DEFAULT '',
    owner          TEXT    NOT NULL DEFAULT 'me' CHECK (owner IN ('vendor', 'me')),
    due            TEXT    NOT NULL,
    contact_id     INTEGER REFERENCES contact(id) ON DELETE SET NULL,
    state          TEXT    NOT NULL DEFAULT 'open'
                           CHECK (state IN ('open', 'done', 'dropped', 'snoozed')),
    closed_at      INTEGER,
    reason         TEXT    NOT NULL DEFAULT '',
    snoozed_until  TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK ((state IN ('done', 'dropped')) = (closed_at IS NOT NULL)),
    CHECK ((state = 'snoozed') = (snoozed_until IS NOT NULL))
);
CREATE INDEX action_item_interaction ON action_item(interaction_id, id);
CREATE INDEX action_item_vendor_due ON action_item(vendor_id, due);
-- Today's reminders and the follow-ups view read only these two small slices.
CREATE INDEX action_item_open_due ON action_item(due) WHERE state = 'open';
CREATE INDEX action_item_open_owner ON action_item(owner, due) WHERE state = 'open';
CREATE INDEX action_item_snoozed ON action_item(snoozed_until) WHERE state = 'snoozed';

-- Per vendor, an optional keep-in-touch cadence: "at least every N days".
CREATE TABLE keep_in_touch (
    vendor_id  INTEGER PRIMARY KEY REFERENCES vendor(id) ON DELETE CASCADE,
    every_days INTEGER NOT NULL CHECK (every_days > 0)
) WITHOUT ROWID;

-- Every follow-up the old schema could show (one with a due date) becomes an action item.
INSERT INTO action_item (interaction_id, vendor_id, what, owner, due, state, closed_at,
                         created_at, updated_at)
SELECT id, vendor_id, follow_up_text, coalesce(follow_up_owner, 'me'), follow_up_due,
       CASE WHEN follow_up_done_at IS NULL THEN 'open' ELSE 'done' END, follow_up_done_at,
       created_at, updated_at
  FROM interaction WHERE follow_up_due IS NOT NULL ORDER BY id;

-- vendor_week: interactions counted by the interaction triggers, promises by action_item's.
-- The counts themselves do not change: the items above are exactly the old promises.
DROP TRIGGER {SUMMARY_INSERT_TRIGGER};
DROP TRIGGER vendor_week_delete;
DROP TRIGGER vendor_week_update;
CREATE TRIGGER {SUMMARY_INSERT_TRIGGER} AFTER INSERT ON interaction BEGIN{_count("new")}
END;
CREATE TRIGGER vendor_week_delete AFTER DELETE ON interaction BEGIN{_uncount("old")}
END;
CREATE TRIGGER vendor_week_update AFTER UPDATE OF vendor_id, occurred_at, tag, quality
ON interaction BEGIN{_uncount("old")}{_count("new")}
END;
CREATE TRIGGER action_item_week_insert AFTER INSERT ON action_item BEGIN{_item_add("new")}
END;
CREATE TRIGGER action_item_week_delete AFTER DELETE ON action_item BEGIN{_item_remove("old")}
END;
CREATE TRIGGER action_item_week_update AFTER UPDATE OF vendor_id, owner, due, state, closed_at,
    reason ON action_item BEGIN{_item_remove("old")}{_item_add("new")}
END;

-- The interaction's follow_up_* columns <-> its first action item.
CREATE TRIGGER {ITEM_FROM_INTERACTION_TRIGGER} AFTER INSERT ON interaction
WHEN new.follow_up_due IS NOT NULL BEGIN{_ITEM_FROM_INTERACTION}
END;
CREATE TRIGGER action_item_from_interaction_update AFTER UPDATE OF
    follow_up_due, follow_up_text, follow_up_owner, follow_up_done_at ON interaction
WHEN {_mirror_differs("new", "new.id")} BEGIN
    DELETE FROM action_item WHERE id = {_first("id", "new.id")} AND new.follow_up_due IS NULL;
    UPDATE action_item SET what = new.follow_up_text, owner = coalesce(new.follow_up_owner, owner),
        due = new.follow_up_due,
        state = CASE WHEN new.follow_up_done_at IS NULL
                     THEN CASE WHEN state IN ('done', 'dropped') THEN 'open' ELSE state END
                     WHEN state IN ('done', 'dropped') THEN state ELSE 'done' END,
        closed_at = new.follow_up_done_at,
        reason = CASE WHEN new.follow_up_done_at IS NOT NULL AND state = 'dropped'
                      THEN reason ELSE '' END,
        snoozed_until = CASE WHEN new.follow_up_done_at IS NULL AND state = 'snoozed'
                             THEN snoozed_until END,
        updated_at = new.updated_at
    WHERE id = {_first("id", "new.id")} AND new.follow_up_due IS NOT NULL;{_ITEM_FROM_INTERACTION}
END;
CREATE TRIGGER action_item_follows_vendor AFTER UPDATE OF vendor_id ON interaction
WHEN new.vendor_id <> old.vendor_id BEGIN
    UPDATE action_item SET vendor_id = new.vendor_id WHERE interaction_id = new.id;
END;
-- Also when foreign keys are off (a raw connection): items go with their interaction.
CREATE TRIGGER action_item_with_interaction AFTER DELETE ON interaction BEGIN
    DELETE FROM action_item WHERE interaction_id = old.id;
END;
CREATE TRIGGER interaction_mirror_item_insert AFTER INSERT ON action_item
BEGIN{_mirror("new.interaction_id")}
END;
CREATE TRIGGER interaction_mirror_item_update AFTER UPDATE ON action_item
BEGIN{_mirror("new.interaction_id")}{_mirror("old.interaction_id")}
END;
CREATE TRIGGER interaction_mirror_item_delete AFTER DELETE ON action_item
BEGIN{_mirror("old.interaction_id")}
END;
"""

# Fills vendor_week from the tables (check's rebuild, tests): interactions as in V2, promises
# from action_item. V2's own SUMMARY_FILL stays as it shipped, for the V2 rung.
SUMMARY_FILL_V2 = SUMMARY_FILL
_FILL_PROMISES_V2 = "INSERT INTO vendor_week (vendor_id, start_day, promises"
SUMMARY_FILL = SUMMARY_FILL_V2.split(_FILL_PROMISES_V2)[0] + f"""
INSERT INTO vendor_week (vendor_id, start_day, promises, promises_kept)
SELECT vendor_id, {SLICE_OF_DATE.format(d="due")} AS slice, count(*),
       sum({ITEM_KEPT.format(r="a")})
  FROM action_item a WHERE {IS_ITEM_PROMISE.format(r="a")}
 GROUP BY 1, 2
ON CONFLICT (vendor_id, start_day) DO UPDATE SET
    promises = promises + excluded.promises, promises_kept = promises_kept + excluded.promises_kept;
"""

# The partner's ledger (issue 12): deal registrations, money the vendor owes, programme standing.
# Dates are ISO days (the journal's calendar); amounts are integer minor units of an ISO 4217
# currency, never floats. ledger_fts indexes every ledger record's text under one rowid space,
# rowid = record id * 8 + kind code (1 registration, 2 money, 3 tier change, 4 certification,
# 5 benefit), so that a search hit says what kind of record it is and deletes stay by rowid.
V_LEDGER = """
CREATE TABLE deal_registration (
    id           INTEGER PRIMARY KEY,
    vendor_id    INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE,
    customer     TEXT    NOT NULL CHECK (customer <> ''),
    number       TEXT    NOT NULL DEFAULT '',
    value_minor  INTEGER CHECK (value_minor >= 0),
    currency     TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL CHECK (status IN
                 ('draft', 'submitted', 'approved', 'rejected', 'expired', 'won', 'lost')),
    submitted_on TEXT,
    decided_on   TEXT,
    reason       TEXT    NOT NULL DEFAULT '',
    expires_on   TEXT,
    notes        TEXT    NOT NULL DEFAULT '',
    source       TEXT    NOT NULL DEFAULT 'manual',
    source_id    TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX deal_registration_vendor ON deal_registration(vendor_id, submitted_on);
-- The cross-vendor list newest first, and protections about to run out.
CREATE INDEX deal_registration_submitted ON deal_registration(submitted_on, id);
CREATE INDEX deal_registration_expiry ON deal_registration(expires_on) WHERE status = 'approved';
-- Counts and value totals per currency (the cross-vendor view) read this index, not the table.
CREATE INDEX deal_registration_sums ON deal_registration(currency, status, value_minor);
CREATE UNIQUE INDEX deal_registration_source ON deal_registration(source, source_id)
    WHERE source_id IS NOT NULL;

CREATE TABLE deal_registration_interaction (
    registration_id INTEGER NOT NULL REFERENCES deal_registration(id) ON DELETE CASCADE,
    interaction_id  INTEGER NOT NULL REFERENCES interaction(id) ON DELETE CASCADE,
    PRIMARY KEY (registration_id, interaction_id)
) WITHOUT ROWID;
CREATE INDEX deal_registration_interaction_i ON deal_registration_interaction(interaction_id);

CREATE TABLE money_owed (
    id                 INTEGER PRIMARY KEY,
    vendor_id          INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE,
    kind               TEXT    NOT NULL CHECK (kind IN
                       ('commission', 'spiff', 'residual', 'rebate', 'mdf')),
    expected_minor     INTEGER NOT NULL CHECK (expected_minor >= 0),
    currency           TEXT    NOT NULL CHECK (length(currency) = 3),
    due_on             TEXT    NOT NULL,
    period_start       TEXT,
    period_end         TEXT,
    claim_submitted_on TEXT,
    claim_deadline     TEXT,
    paid_minor         INTEGER CHECK (paid_minor >= 0),
    paid_on            TEXT,
    dispute            TEXT    NOT NULL DEFAULT '',
    notes              TEXT    NOT NULL DEFAULT '',
    registration_id    INTEGER REFERENCES deal_registration(id) ON DELETE SET NULL,
    source             TEXT    NOT NULL DEFAULT 'manual',
    source_id          TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX money_owed_vendor ON money_owed(vendor_id, due_on);
CREATE INDEX money_owed_due ON money_owed(due_on, id);
CREATE INDEX money_owed_unpaid ON money_owed(currency, due_on) WHERE paid_on IS NULL;
-- Totals per currency over every item (the cross-vendor view) read this index, not the table.
CREATE INDEX money_owed_sums ON money_owed(currency, expected_minor, paid_minor, paid_on);
CREATE INDEX money_owed_registration ON money_owed(registration_id)
    WHERE registration_id IS NOT NULL;
CREATE UNIQUE INDEX money_owed_source ON money_owed(source, source_id) WHERE source_id IS NOT NULL;

-- Each row is the tier (and programme) from changed_on on; the latest one is the current tier,
-- which the store also copies into vendor.programme and vendor.tier for the existing screens.
-- targets: JSON [[name, value], ...].
CREATE TABLE tier_change (
    id           INTEGER PRIMARY KEY,
    vendor_id    INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE,
    programme    TEXT    NOT NULL DEFAULT '',
    tier         TEXT    NOT NULL CHECK (tier <> ''),
    changed_on   TEXT    NOT NULL,
    requirements TEXT    NOT NULL DEFAULT '',
    targets      TEXT    NOT NULL DEFAULT '[]',
    created_at   INTEGER NOT NULL
);
CREATE INDEX tier_change_vendor ON tier_change(vendor_id, changed_on);

CREATE TABLE certification (
    id         INTEGER PRIMARY KEY,
    vendor_id  INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE,
    holder     TEXT    NOT NULL CHECK (holder <> ''),
    name       TEXT    NOT NULL CHECK (name <> ''),
    earned_on  TEXT,
    expires_on TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX certification_vendor ON certification(vendor_id, expires_on);
CREATE INDEX certification_expiry ON certification(expires_on);

CREATE TABLE tier_benefit (
    id         INTEGER PRIMARY KEY,
    vendor_id  INTEGER NOT NULL REFERENCES vendor(id) ON DELETE CASCADE,
    text       TEXT    NOT NULL CHECK (text <> ''),
    since      TEXT    NOT NULL,
    met        INTEGER NOT NULL DEFAULT 1 CHECK (met IN (0, 1)),
    checked_on TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX tier_benefit_vendor ON tier_benefit(vendor_id);

CREATE VIRTUAL TABLE ledger_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
""" + "".join(
    f"""
CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN
    INSERT INTO ledger_fts(rowid, body) VALUES (new.id * 8 + {code}, {body.format(r="new")});
END;
CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN
    DELETE FROM ledger_fts WHERE rowid = old.id * 8 + {code};
END;
CREATE TRIGGER {table}_fts_update AFTER UPDATE ON {table} BEGIN
    DELETE FROM ledger_fts WHERE rowid = old.id * 8 + {code};
    INSERT INTO ledger_fts(rowid, body) VALUES (new.id * 8 + {code}, {body.format(r="new")});
END;
"""
    for table, code, body in (
        ("deal_registration", 1,
         "{r}.customer || ' ' || {r}.number || ' ' || {r}.status || ' ' || {r}.reason"
         " || ' ' || {r}.notes"),
        ("money_owed", 2,
         "{r}.kind || ' ' || {r}.currency || ' ' || {r}.dispute || ' ' || {r}.notes"),
        ("tier_change", 3, "{r}.programme || ' ' || {r}.tier || ' ' || {r}.requirements"),
        ("certification", 4, "{r}.holder || ' ' || {r}.name"),
        ("tier_benefit", 5, "{r}.text"),
    )
)
LEDGER_FTS_KINDS = {1: "registration", 2: "money", 3: "tier", 4: "certification", 5: "benefit"}

# Health counts each vendor's interactions per local day (store/local_days.py: vendor_day, kept
# by triggers, rebuilt when the journal's time zone changes); while the summary is being built
# for another zone it reads the interactions through this index, which covers what it reads.
V_HEALTH_LOCAL_DAYS = """
CREATE INDEX interaction_vendor_health
    ON interaction(vendor_id, occurred_at, tag, direction, channel);
""" + V_LOCAL_DAYS

# Search beyond interactions: vendor events ("residuals cut") and question answers, in one FTS
# index kept by triggers; `kind` says which table `ref_id` points into.
V_RECORD_SEARCH = """
CREATE VIRTUAL TABLE record_fts USING fts5(
    kind UNINDEXED, ref_id UNINDEXED, text,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO record_fts(kind, ref_id, text) SELECT 'event', id, kind || ' ' || text FROM vendor_event;
INSERT INTO record_fts(kind, ref_id, text) SELECT 'answer', id, text FROM answer;
CREATE TRIGGER record_fts_event_insert AFTER INSERT ON vendor_event BEGIN
    INSERT INTO record_fts(kind, ref_id, text) VALUES ('event', new.id, new.kind || ' ' || new.text);
END;
CREATE TRIGGER record_fts_event_delete AFTER DELETE ON vendor_event BEGIN
    DELETE FROM record_fts WHERE kind = 'event' AND ref_id = old.id;
END;
CREATE TRIGGER record_fts_event_update AFTER UPDATE OF kind, text ON vendor_event BEGIN
    DELETE FROM record_fts WHERE kind = 'event' AND ref_id = old.id;
    INSERT INTO record_fts(kind, ref_id, text) VALUES ('event', new.id, new.kind || ' ' || new.text);
END;
CREATE TRIGGER record_fts_answer_insert AFTER INSERT ON answer BEGIN
    INSERT INTO record_fts(kind, ref_id, text) VALUES ('answer', new.id, new.text);
END;
CREATE TRIGGER record_fts_answer_delete AFTER DELETE ON answer BEGIN
    DELETE FROM record_fts WHERE kind = 'answer' AND ref_id = old.id;
END;
CREATE TRIGGER record_fts_answer_update AFTER UPDATE OF text ON answer BEGIN
    DELETE FROM record_fts WHERE kind = 'answer' AND ref_id = old.id;
    INSERT INTO record_fts(kind, ref_id, text) VALUES ('answer', new.id, new.text);
END;
"""

# Each status a deal registration has had, with the day it took it (store/registration_history
# .py). A journal from before this rung gives each registration its current status as one entry,
# dated by its decision or submission, else the day it was last changed. Two covering indexes
# let health's economics count a vendor's decisions and payments per window without touching
# the tables (services/economics_component.py).
V_REGISTRATION_HISTORY = """
CREATE TABLE registration_status (
    id              INTEGER PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES deal_registration(id) ON DELETE CASCADE,
    status          TEXT    NOT NULL CHECK (status IN
                    ('draft', 'submitted', 'approved', 'rejected', 'expired', 'won', 'lost')),
    changed_on      TEXT    NOT NULL
);
CREATE INDEX registration_status_registration ON registration_status(registration_id, id);
INSERT INTO registration_status(registration_id, status, changed_on)
SELECT id, status,
       CASE WHEN status IN ('approved', 'rejected') AND decided_on IS NOT NULL THEN decided_on
            WHEN status = 'submitted' AND submitted_on IS NOT NULL THEN submitted_on
            ELSE date(updated_at, 'unixepoch', 'localtime') END
  FROM deal_registration ORDER BY id;
CREATE INDEX deal_registration_decided
    ON deal_registration(vendor_id, decided_on, status, reason, submitted_on)
    WHERE decided_on IS NOT NULL;
CREATE INDEX money_owed_economics
    ON money_owed(vendor_id, due_on, paid_on, paid_minor, expected_minor, kind, claim_submitted_on,
                  currency);
"""

# What health's economics judges each ledger record by, as virtual columns kept in an index: the
# index stores each value when the record is written, so the score's one query over every
# vendor's year (services/economics_component.py) reads letters and numbers instead of working
# out dates and comparisons per record (~35 % of its time on 150,000 records). Virtual: nothing
# in the table changes, nothing can fall out of step, nothing to repair (REINDEX rebuilds).
# A registration: a = decided and not rejected, r = rejected with a reason, n = without one, and
# the days its decision took. Money: o = paid in full on time, l = in full but late, u = unpaid,
# s / t = paid short on time / late (NULL: unclaimed MDF, which is not the vendor's lateness),
# and the shortfall as its currency and 19 digits of minor units.
V_ECONOMICS_CODES = """
ALTER TABLE deal_registration ADD COLUMN health_code TEXT GENERATED ALWAYS AS (
    CASE WHEN decided_on IS NULL THEN NULL WHEN status <> 'rejected' THEN 'a'
         WHEN reason = '' THEN 'n' ELSE 'r' END) VIRTUAL;
ALTER TABLE deal_registration ADD COLUMN health_days INTEGER GENERATED ALWAYS AS (
    CAST(julianday(decided_on) - julianday(submitted_on) AS INTEGER)) VIRTUAL;
CREATE INDEX deal_registration_health
    ON deal_registration(vendor_id, decided_on, health_code, health_days)
    WHERE decided_on IS NOT NULL;
ALTER TABLE money_owed ADD COLUMN health_code TEXT GENERATED ALWAYS AS (
    CASE WHEN kind = 'mdf' AND claim_submitted_on IS NULL THEN NULL
         WHEN paid_on IS NULL THEN 'u'
         WHEN coalesce(paid_minor, 0) < expected_minor
         THEN CASE WHEN paid_on > due_on THEN 't' ELSE 's' END
         WHEN paid_on > due_on THEN 'l' ELSE 'o' END) VIRTUAL;
ALTER TABLE money_owed ADD COLUMN health_short TEXT GENERATED ALWAYS AS (
    CASE WHEN kind = 'mdf' AND claim_submitted_on IS NULL THEN NULL
         WHEN paid_on IS NOT NULL AND coalesce(paid_minor, 0) < expected_minor
         THEN currency || printf('%019d', expected_minor - coalesce(paid_minor, 0)) END) VIRTUAL;
CREATE INDEX money_owed_health ON money_owed(vendor_id, due_on, health_code, health_short);
"""

# MIGRATIONS[n] takes a journal from version n to n + 1.
MIGRATIONS: list[str] = [V1, V2, V3, V_ACTION_ITEMS, V_LEDGER, V_HEALTH_LOCAL_DAYS, V_RECORD_SEARCH,
                         V_REGISTRATION_HISTORY, V_ECONOMICS_CODES]
LATEST_VERSION = len(MIGRATIONS)
