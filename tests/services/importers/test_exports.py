"""Exports: the same records as the CLI's lists, streamed, and never a half-written file."""

from __future__ import annotations

import csv
import io
import json

import pytest

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import InteractionFilter
from partnerdesk.domain.vocab import Tag
from partnerdesk.services import exports, serialize
from partnerdesk.services.demo import generate
from partnerdesk.store.action_items import items_by_interaction


@pytest.fixture
def demo(journal):
    generate(journal, interactions=300, seed=5)
    return journal


def test_interaction_rows_match_the_cli_lists(demo, tmp_path):
    out = tmp_path / "i.json"
    seen = []
    result = exports.export(demo, out, "interactions", "json", progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (300, 300)
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert result.counts == {"interactions": 300} and len(rows) == 300
    listed = demo.interactions.list(limit=300)
    with demo.reading() as conn:
        items = items_by_interaction(conn, [i.id for i in listed])
    assert items  # the demo has follow-ups, so the records carry action items
    expected = [serialize.interaction_dict(i, items.get(i.id, [])) for i in listed]
    assert rows == expected


def test_csv_and_filters(demo, tmp_path):
    vendor = demo.vendors.all()[0]
    f = InteractionFilter(vendor_ids=(vendor.id,), tag=Tag.HELPFUL)
    out = tmp_path / "i.csv"
    exports.export(demo, out, "interactions", "csv", f)
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows and {r["vendor"] for r in rows} == {vendor.name} and {r["tag"] for r in rows} == {"helpful"}
    assert len(rows) == demo.interactions.count(f)
    for what in ("vendors", "contacts", "events"):
        exports.export(demo, tmp_path / f"{what}.csv", what, "csv")
        assert (tmp_path / f"{what}.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_failed_export_leaves_nothing(demo, tmp_path, monkeypatch):
    target = tmp_path / "i.csv"
    target.write_text("the previous export")

    def broken(journal, f, total=None):
        yield serialize.interaction_dict(journal.interactions.list(limit=1)[0])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "_interaction_rows", broken)
    with pytest.raises(Exception, match="full|space"):
        exports.export(demo, target, "interactions", "csv")
    assert target.read_text() == "the previous export"  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_refused_exports(demo, tmp_path):
    with pytest.raises(InvalidInput, match="JSON"):
        exports.export(demo, tmp_path / "x.csv", "all", "csv")
    with pytest.raises(InvalidInput):
        exports.export(demo, tmp_path / "x.csv", "everything", "csv")
    with pytest.raises(InvalidInput, match="folder"):
        exports.export(demo, tmp_path, "interactions", "csv")


def test_document_header_and_sections(demo, tmp_path):
    out = tmp_path / "doc.json"
    line = exports.export_journal(demo, out).summary_line()
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == exports.DOCUMENT_FORMAT and doc["version"] == exports.DOCUMENT_VERSION
    assert f"{len(doc['money']):,} money items" in line and "action items" in line
    assert doc["counts"]["interactions"] == len(doc["interactions"]) == 300
    first = doc["interactions"][0]
    assert first["occurred_at"].endswith("Z") and isinstance(first["contact_ids"], list)
    assert {v["id"] for v in doc["vendors"]} >= {i["vendor_id"] for i in doc["interactions"]}
