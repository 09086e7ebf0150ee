"""The demo's ledger tells the buyout story, and is the same for the same seed."""

from __future__ import annotations

from datetime import date

from partnerdesk.services.demo import generate
from partnerdesk.services.economics import economics
from partnerdesk.services.ledger_io import ledger_document
from partnerdesk.store.journal import Journal

TODAY = date(2026, 6, 15)


def _demo(path):
    j = Journal.open(path)
    generate(j, interactions=1500, vendors=8, seed=5, today=TODAY)
    return j


def test_the_demo_ledger_is_believable_and_deterministic(tmp_path):
    with _demo(tmp_path / "a.sqlite3") as a, _demo(tmp_path / "b.sqlite3") as b:
        with a.reading() as ca, b.reading() as cb:
            doc = ledger_document(ca)
            assert doc == ledger_document(cb)
            bought = ca.exec_driver_sql(
                "SELECT id, acquired_on FROM vendor WHERE acquired_on IS NOT NULL").all()
            assert bought, "the demo has a buyout"
            vid, on = bought[0]
            on = date.fromisoformat(on)
            before = economics(ca, vid, date(2020, 1, 1), on, today=TODAY)
            after = economics(ca, vid, on, TODAY, today=TODAY)
    assert len(doc["registrations"]) == 8 * 40 and len(doc["money"]) == 8 * 60
    statuses = {r["status"] for r in doc["registrations"]}
    assert {"approved", "rejected", "won", "submitted"} <= statuses
    assert any(m["paid_on"] and m["paid_on"] > m["due_on"] for m in doc["money"])  # some late
    assert any(m["paid_minor"] is not None and m["paid_minor"] < m["expected_minor"]
               for m in doc["money"])  # some short
    assert any("Residual rate cut" in m["dispute"] for m in doc["money"])  # the residual cut
    assert doc["certifications"] and doc["tiers"] and doc["benefits"]
    assert before is not None and after is not None
    assert after.score < before.score  # the buyout shows in the economics


def test_the_demo_registrations_have_a_status_history(tmp_path):
    with _demo(tmp_path / "a.sqlite3") as a, a.reading() as conn:
        doc = ledger_document(conn)
    for r in doc["registrations"]:
        steps = [h["status"] for h in r["history"]]
        assert steps[-1] == r["status"]
        if r["status"] in ("won", "lost"):
            assert steps == ["submitted", "approved", r["status"]]
            assert r["decided_on"] <= r["history"][-1]["on"] <= r["expires_on"]
    assert any(len(r["history"]) == 3 for r in doc["registrations"])
