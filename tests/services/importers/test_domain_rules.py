"""Dates and names from files obey the rules typed ones do (issue 8, item 6): one rule in the
domain (domain/validation.py), applied by every path in. Before, a JSON document could bring in
year 1 or 9999 (then list/report/export failed in some zones), two vendors differing only in case
(the preview passed, the import died of an IntegrityError), a 1 MB vendor name, a vendor acquired
by itself or a cycle of acquisitions; and `log --at "9999 weeks ago"` stored 1835."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import NAME_MAX
from partnerdesk.domain.validation import check_acquirer, check_moment
from partnerdesk.domain.when import parse_day, parse_when
from partnerdesk.services.exports import export_journal
from partnerdesk.services.importers import apply_import, plan_import
from partnerdesk.services.importers.model import SkipReason
from partnerdesk.store.journal import Journal
from tests.helpers import draft, run_cli


def _document(tmp_path) -> dict:
    with Journal.open(tmp_path / "source.sqlite3") as j:
        acme = j.vendors.add("Acme", domains=["acme.com"])
        globex = j.vendors.add("Globex")
        j.contacts.add(acme.id, "Dana Reyes")
        for k in range(4):
            j.interactions.add(draft(acme.id if k % 2 else globex.id, f"call {k}",
                                     at=datetime(2025, 3, k + 1, 10, tzinfo=UTC)))
        export_journal(j, tmp_path / "doc.json")
    return json.loads((tmp_path / "doc.json").read_text(encoding="utf-8"))


def _plan_and_apply(tmp_path, doc: dict, name: str = "target"):
    src = tmp_path / f"{name}.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    j = Journal.open(tmp_path / f"{name}.sqlite3")
    plan = plan_import(j, [src])
    result = apply_import(j, plan)  # never an IntegrityError after a preview that passed
    return j, plan, result


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:30:00+00:00",
                                  "1969-06-30T10:00:00+00:00"])
def test_a_document_with_an_impossible_year_skips_that_interaction(tmp_path, when):
    doc = _document(tmp_path)
    doc["interactions"][0]["occurred_at"] = when
    j, plan, result = _plan_and_apply(tmp_path, doc)
    try:
        assert result.added == 3
        broken = [s for s in plan.skipped if s.reason == SkipReason.BROKEN]
        assert len(broken) == 1 and f"year {int(when[:4])}" in broken[0].detail
    finally:
        j.close()
    # and every read path works on what was imported, east and west of Greenwich
    for tz in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        for command in (["list"], ["export", "-o", str(tmp_path / f"out-{tz[8:]}.csv")]):
            done = run_cli(command, tmp_path / "target.sqlite3", env={"TZ": tz})
            assert done.returncode == 0, done.stderr


def test_vendors_differing_only_in_case_become_one(tmp_path):
    doc = _document(tmp_path)
    twin = dict(doc["vendors"][0], id=99, name=doc["vendors"][0]["name"].upper(), domains=[])
    doc["vendors"].append(twin)
    doc["interactions"][0]["vendor_id"] = 99
    j, plan, result = _plan_and_apply(tmp_path, doc)
    try:
        assert sorted(v.name for v in j.vendors.all()) == ["Acme", "Globex"]
        assert result.added == 4  # the twin's interaction went to Acme
        assert any("only in case" in s.detail for s in plan.skipped)
    finally:
        j.close()


def test_contacts_differing_only_in_case_become_one(tmp_path):
    doc = _document(tmp_path)
    doc["contacts"].append(dict(doc["contacts"][0], id=77, name="DANA REYES"))
    j, plan, result = _plan_and_apply(tmp_path, doc)
    try:
        assert [c.name for c in j.contacts.all()] == ["Dana Reyes"]
    finally:
        j.close()


def test_a_megabyte_vendor_name_is_refused_like_a_typed_one(tmp_path):
    doc = _document(tmp_path)
    doc["vendors"][1]["name"] = "G" * 1_000_000
    j, plan, result = _plan_and_apply(tmp_path, doc)
    try:
        assert all(len(v.name) <= NAME_MAX for v in j.vendors.all())
        assert any(f"keep it under {NAME_MAX}" in s.detail for s in plan.skipped)
    finally:
        j.close()
    with Journal.open(tmp_path / "typed.sqlite3") as typed, pytest.raises(InvalidInput, match=f"under {NAME_MAX}"):
        typed.vendors.add("G" * 1_000_000)


@pytest.mark.parametrize("links", [{1: 1}, {1: 2, 2: 1}])
def test_acquisitions_by_itself_or_in_a_cycle_are_skipped(tmp_path, links):
    doc = _document(tmp_path)
    ids = [v["id"] for v in doc["vendors"]]
    for vendor, acquirer in links.items():
        doc["vendors"][vendor - 1]["acquirer_id"] = ids[acquirer - 1]
        doc["vendors"][vendor - 1]["acquired_on"] = "2024-05-01"
    j, plan, result = _plan_and_apply(tmp_path, doc)
    try:
        chains = {v.name: v.acquirer_id for v in j.vendors.all()}
        assert not any(vid == acquirer for vid, acquirer in zip([v.id for v in j.vendors.all()], chains.values(),
                                                                strict=True))
        assert sum(1 for a in chains.values() if a) <= len(links) - 1
        assert any("acquisition" in s.what for s in plan.skipped)
        assert run_cli(["list"], tmp_path / "target.sqlite3").returncode == 0  # names resolve
    finally:
        j.close()


def test_the_domain_rule_itself():
    with pytest.raises(InvalidInput, match="year 9999"):
        check_moment(datetime(9999, 1, 1, tzinfo=UTC))
    with pytest.raises(InvalidInput, match="no time zone"):
        check_moment(datetime(2025, 1, 1))
    check_moment(datetime(1969, 12, 31, 20, tzinfo=UTC))  # 1 January 1970 typed in Asia
    parents = {2: 3, 3: None}
    with pytest.raises(InvalidInput, match="own each other"):
        check_acquirer(3, 2, parents.get)
    with pytest.raises(InvalidInput, match="cannot acquire itself"):
        check_acquirer(2, 2, parents.get)
    check_acquirer(1, 2, parents.get)


@pytest.mark.parametrize("text", ["9999 weeks ago", "9999 w ago"])
def test_typed_relative_times_obey_the_same_range(text):
    with pytest.raises(InvalidInput, match="1970 to 9998"):
        parse_when(text, datetime(2026, 11, 27, 12, tzinfo=UTC))


def test_typed_relative_days_obey_the_same_range():
    with pytest.raises(InvalidInput, match="1900 to 9998"):
        parse_day("in 9999 weeks", date(9990, 1, 1))


def test_log_at_9999_weeks_ago_is_refused_in_one_line(tmp_path):
    db = tmp_path / "j.sqlite3"
    assert run_cli(["vendor", "add", "Acme"], db).returncode == 0
    done = run_cli(["log", "Acme", "-s", "call", "--tag", "helpful", "--at", "9999 weeks ago"], db)
    err = done.stderr.strip()
    assert done.returncode != 0 and "out of range" in err and "\n" not in err and "Traceback" not in err
    with Journal.open(tmp_path / "j.sqlite3") as j:
        assert j.interactions.count() == 0
