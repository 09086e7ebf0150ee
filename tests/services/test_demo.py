"""The demo journal: deterministic for a seed, believable, only ever written into an empty file."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.vocab import EventKind
from partnerdesk.domain.when import day_start
from partnerdesk.services.demo import generate
from partnerdesk.store.journal import Journal
from tests.helpers import assert_ok, assert_one_line_error, journal_fts_check, run_cli, sqlite_rows


@pytest.fixture(scope="module")
def two_demos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    paths = [folder / "a.sqlite3", folder / "b.sqlite3"]
    outputs = []
    for path in paths:
        out = assert_ok(run_cli(["demo", "--interactions", "3000", "--seed", "11"], path))
        assert "3,000 interactions" in out
        outputs.append(assert_ok(run_cli(["list", "--limit", "0", "--format", "json"], path)))
    return paths, outputs


def test_same_seed_same_journal(two_demos):
    paths, (first, second) = two_demos
    assert first.count('"id":') == 3000
    assert hashlib.sha256(first.encode()).hexdigest() == hashlib.sha256(second.encode()).hexdigest()
    vendor_lists = [assert_ok(run_cli(["vendor", "list", "--format", "json"], p)) for p in paths]
    assert vendor_lists[0] == vendor_lists[1]
    events = [assert_ok(run_cli(["event", "list", "--format", "json"], p)) for p in paths]
    assert events[0] == events[1]


def test_another_seed_another_journal(tmp_path, two_demos):
    _, (first, _) = two_demos
    path = tmp_path / "c.sqlite3"
    assert_ok(run_cli(["demo", "--interactions", "3000", "--seed", "12"], path))
    assert assert_ok(run_cli(["list", "--limit", "0", "--format", "json"], path)) != first


def test_demo_is_believable(two_demos):
    path = two_demos[0][0]
    with Journal.open(path) as j:
        vendors = j.vendors.all()
        assert len(vendors) == 12
        acquired = [v for v in vendors if v.acquirer_id]
        assert acquired and all(v.display_name == f"{v.name} ({v.acquirer_name})" for v in acquired)
        kinds = {e.kind for e in j.events.all()}
        assert EventKind.ACQUISITION in kinds and EventKind.CONTACT_CHANGE in kinds
        contacts = j.contacts.all()
        assert any(c.active_to is not None for c in contacts)
        assert j.interactions.count() == 3000
        items = j.interactions.list(limit=3000)
        assert {i.tag.value for i in items} == {"helpful", "transactional"}
        assert any(i.follow_up for i in items) and any(i.contacts for i in items)
        assert max(i.occurred_at for i in items) < day_start(date.today())  # all in the past
        ids_by_time = [i.id for i in sorted(items, key=lambda i: (i.occurred_at, i.id))]
        assert ids_by_time == sorted(ids_by_time)  # ids follow time: what search ordering relies on
        assert j.interactions.search("commission")
        acquirer = acquired[0].acquirer_name
        assert acquirer is not None
        assert any(
            i.vendor_id == acquired[0].id for i in j.interactions.search(acquirer, limit=3000)
        )
        journal_fts_check(j)
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]


def test_demo_never_writes_into_a_journal_with_entries(tmp_path):
    path = tmp_path / "mine.sqlite3"
    assert_ok(run_cli(["vendor", "add", "My Real Vendor"], path))
    before = sqlite_rows(path, "SELECT * FROM vendor")
    assert_one_line_error(
        run_cli(["demo", "--interactions", "10"], path), "already has entries", "--db"
    )
    assert sqlite_rows(path, "SELECT * FROM vendor") == before
    assert sqlite_rows(path, "SELECT count(*) FROM interaction") == [(0,)]


def test_generate_in_process_with_a_fixed_day(tmp_path):
    runs = []
    for name in ("x.sqlite3", "y.sqlite3"):
        with Journal.open(tmp_path / name) as j:
            assert generate(j, interactions=2500, vendors=25, seed=3, today=date(2024, 2, 29)) == (
                25,
                2500,
            )
            items = j.interactions.list(limit=3000)
            assert max(i.occurred_at for i in items).date() <= date(2024, 2, 29)
            runs.append(
                [(i.id, i.occurred_at, i.summary, i.notes, i.tag, i.follow_up) for i in items]
            )
            journal_fts_check(j)
            with pytest.raises(InvalidInput):
                generate(j, interactions=1)
    assert runs[0] == runs[1]


def test_generate_refuses_silly_sizes(journal):
    with pytest.raises(InvalidInput):
        generate(journal, interactions=-1)
    with pytest.raises(InvalidInput):
        generate(journal, interactions=10, vendors=0)
    assert journal.vendors.all() == []
