"""vCards into a vendor's contacts; partnerdesk's own JSON: exact restore and merge; the plan's
transaction, progress and cancel."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerdesk.domain.vocab import Role
from partnerdesk.services.demo import generate
from partnerdesk.services.exports import export, export_journal
from partnerdesk.services.importers import (
    ImportCancelled,
    ImportFailed,
    SkipReason,
    apply_import,
    plan_import,
)
from partnerdesk.store.journal import Journal
from tests.helpers import journal_fts_check
from tests.services.importers import samples
from tests.services.importers.conftest import RANGE, REP


def test_vcards_become_contacts_of_the_vendor(vendors, write):
    path = write("people.vcf", samples.vcards())
    plan = plan_import(vendors, [path])
    by = {c.name: c for c in plan.new_contacts}
    # A card whose photo is broken is still a contact: photos are not read (limits: a card's
    # photo is most of its size), so it no longer costs the card.
    assert set(by) == {"Dana Reyes", "Jörg Müller", "Élise Dupont", "Broken Photo"}
    assert by["Dana Reyes"].vendor == "Acme" and by["Dana Reyes"].role is Role.CHANNEL_MANAGER
    assert by["Dana Reyes"].phone == "+1 555 0100"
    assert by["Jörg Müller"].vendor == "Globex" and by["Jörg Müller"].role is Role.EXECUTIVE
    assert by["Jörg Müller"].phone == "+49-30-1234"
    assert by["Élise Dupont"].vendor == "Globex"  # by ORG: initech.fr is nobody's domain
    assert not [s for s in plan.skipped if s.reason is SkipReason.BROKEN]
    assert plan.unmatched_domains == {"unknown.example": 1}
    result = apply_import(vendors, plan)
    assert result.contacts_added == 4 and result.added == 0
    again = plan_import(vendors, [path])
    assert not again.new_contacts and again.skipped_counts[SkipReason.DUPLICATE] == 4
    with_vendor = plan_import(vendors, [path], vendor="Initech")
    assert [c.name for c in with_vendor.new_contacts] == ["Nobody"]


@pytest.mark.parametrize("data, words", [(b"", "empty"), (b"hello", "no contact cards")])
def test_files_that_are_not_vcards(vendors, write, data, words):
    with pytest.raises(ImportFailed, match=words):
        plan_import(vendors, [write("x.vcf", data)])


@pytest.fixture(scope="module")
def demo_doc(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("demo")
    with Journal.open(folder / "demo.sqlite3") as j:
        generate(j, interactions=600, seed=3)
        # a follow-up done, a rep's own question and an answer, when the journal has them
        export_journal(j, folder / "demo.json")
    return (folder / "demo.json").read_bytes()


def _restore(tmp_path, data: bytes, name: str = "restored") -> tuple[Journal, bytes]:
    src = tmp_path / f"{name}-in.json"
    src.write_bytes(data)
    j = Journal.open(tmp_path / f"{name}.sqlite3")
    plan = plan_import(j, [src])
    assert plan.json_mode == "restore"
    apply_import(j, plan)
    out = tmp_path / f"{name}-out.json"
    export_journal(j, out)
    return j, out.read_bytes()


def test_json_round_trip_is_identical(tmp_path, demo_doc):
    doc = json.loads(demo_doc)
    # the ledger travels too: registrations with their status history, money, programme
    for section in ("registrations", "money", "tiers", "certifications", "benefits"):
        assert doc[section] and doc["counts"][section] == len(doc[section]), section
    assert any(len(r["history"]) > 1 for r in doc["registrations"])
    j, again = _restore(tmp_path, demo_doc)
    try:
        assert again == demo_doc
        journal_fts_check(j)
        assert j.interactions.search("commission")  # the search index was built
    finally:
        j.close()


def test_json_written_before_the_ledger_still_restores(tmp_path, demo_doc):
    doc = json.loads(demo_doc)
    ledger = ("tiers", "benefits", "certifications", "registrations", "money")
    old = {k: v for k, v in doc.items() if k not in ledger}
    old["counts"] = {k: n for k, n in doc["counts"].items() if k not in ledger}
    j, again = _restore(tmp_path, json.dumps(old).encode(), "old")
    try:
        restored = json.loads(again)
        assert restored["interactions"] == doc["interactions"]
        assert all(restored[k] == [] for k in ledger)
    finally:
        j.close()


def test_json_merge_brings_the_ledger_once(tmp_path, demo_doc):
    doc = json.loads(demo_doc)
    names = {v["id"]: v["name"] for v in doc["vendors"]}
    reg = doc["registrations"][0]  # linked to two of its vendor's interactions
    reg["interaction_ids"] = [i["id"] for i in doc["interactions"]
                              if names[i["vendor_id"]] == reg["vendor"]][-2:]
    assert len(reg["interaction_ids"]) == 2
    src = tmp_path / "doc.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    with Journal.open(tmp_path / "merge.sqlite3") as j:
        j.vendors.add("Someone Else")  # not empty: a merge, with new ids
        plan = plan_import(j, [src])
        assert f"{len(doc['money']):,} money items" in plan.summary_line()
        first = apply_import(j, plan)
        assert f"{len(doc['registrations']):,} registrations" in first.summary_line()
        out = tmp_path / "merged.json"
        export_journal(j, out)
        merged = json.loads(out.read_bytes())
        assert len(merged["registrations"]) == len(doc["registrations"])
        assert len(merged["money"]) == len(doc["money"])
        # a registration's links follow its interactions to their new ids
        by_id = {i["id"]: i["summary"] for i in merged["interactions"]}
        old_by_id = {i["id"]: i["summary"] for i in doc["interactions"]}
        linked = [(r, o) for r, o in zip(merged["registrations"], doc["registrations"],
                                         strict=True) if o["interaction_ids"]]
        assert linked
        for r, o in linked:
            assert ([by_id[i] for i in r["interaction_ids"]]
                    == [old_by_id[i] for i in o["interaction_ids"]])
        plan = plan_import(j, [src])  # again: the ledger is already there
        result = apply_import(j, plan)
        export_journal(j, out)
        assert len(json.loads(out.read_bytes())["money"]) == len(doc["money"])
        assert result.added == 0


def test_json_reformatted_by_another_tool_still_restores(tmp_path, demo_doc):
    pretty = json.dumps(json.loads(demo_doc), indent=4, ensure_ascii=True).encode()
    j, again = _restore(tmp_path, pretty, "pretty")
    j.close()
    assert again == demo_doc


def test_json_merge_into_a_journal_with_records(tmp_path, demo_doc):
    src = tmp_path / "doc.json"
    src.write_bytes(demo_doc)
    with Journal.open(tmp_path / "other.sqlite3") as j:
        doc = json.loads(demo_doc)
        first_vendor = doc["vendors"][0]["name"]
        j.vendors.add(first_vendor.upper(), domains=["elsewhere.example"])
        j.vendors.add("Local Only")
        plan = plan_import(j, [src])
        assert plan.json_mode == "merge"
        assert plan.json_counts["vendors"] == len(doc["vendors"]) - 1  # matched by name, any case
        result = apply_import(j, plan)
        assert result.added == len(doc["interactions"])
        assert result.vendors_added == len(doc["vendors"]) - 1
        again = plan_import(j, [src])
        assert again.added_count == 0 and not any(again.json_counts.values())
        assert again.skipped_counts[SkipReason.DUPLICATE] >= len(doc["interactions"])
        names = {v.name for v in j.vendors.all()}
        assert first_vendor.upper() in names and first_vendor not in names and "Local Only" in names


def test_json_documents_that_cannot_be_imported(vendors, write):
    for data, words in ((b"{}", "not a partnerdesk"), (b"{not json", "not valid JSON"),
                        (b'{"format": "partnerdesk-journal", "version": 99}', "newer partnerdesk"),
                        (b"\xff\xfe\x00junk", "partnerdesk JSON")):
        with pytest.raises(ImportFailed, match=words):
            plan_import(vendors, [write("x.json", data)])


def test_interaction_list_json_reimports_by_names(tmp_path, vendors, write):
    plan = plan_import(vendors, [write("a.eml", samples.gmail_alternative())], rep_email=REP)
    apply_import(vendors, plan)
    out = tmp_path / "list.json"
    export(vendors, out, "interactions", "json")
    with Journal.open(tmp_path / "second.sqlite3") as other:
        other.vendors.add("Acme")
        plan = plan_import(other, [out])
        assert plan.added_count == 1 and plan.added[0].vendor == "Acme"
        apply_import(other, plan)
        (row,) = other.interactions.list()
        assert row.source_id == "CAF=abc123@mail.gmail.com"  # an imported mail keeps its identity
        assert plan_import(other, [out]).added_count == 0


def test_one_transaction_cancel_and_progress(vendors, write):
    box = samples.mbox(*[samples.gmail_alternative().replace(b"abc123", f"m{n}".encode())
                         for n in range(2500)])
    plan = plan_import(vendors, [write("big.mbox", box)], rep_email=REP)
    assert plan.added_count == 2500 and len(plan.added) == 1000  # the preview is capped, counts are not
    seen = []
    with pytest.raises(ImportCancelled):
        apply_import(vendors, plan, progress=lambda d, t: seen.append((d, t)),
                     cancelled=lambda: len(seen) >= 1)
    assert vendors.interactions.count() == 0 and not vendors.contacts.all()  # rolled back, contacts too
    result = apply_import(vendors, plan, progress=lambda d, t: seen.append((d, t)))
    assert result.added == 2500 and seen[-1] == (2500, 2500)
    journal_fts_check(vendors)


def test_several_files_at_once_and_duplicates_across_them(vendors, write):
    a = write("a.eml", samples.gmail_alternative())
    box = write("x.mbox", samples.mbox(samples.gmail_alternative(), samples.shift_jis_mail()))
    cal = write("g.ics", samples.google_calendar())
    plan = plan_import(vendors, [a, box, cal, a], rep_email=REP, ics_range=RANGE)
    assert plan.skipped_counts[SkipReason.DUPLICATE] == 1
    assert {s.format for s in plan.sources} == {"eml", "mbox", "ics"}
    assert apply_import(vendors, plan).added == plan.added_count


def test_paths_that_cannot_be_read(vendors, tmp_path):
    with pytest.raises(ImportFailed, match="does not exist"):
        plan_import(vendors, [tmp_path / "missing.ics"])
    with pytest.raises(ImportFailed, match="folder"):
        plan_import(vendors, [tmp_path])
    odd = tmp_path / "notes.bin"
    odd.write_bytes(b"\x00\x01\x02 just bytes")
    with pytest.raises(ImportFailed, match="Cannot tell what kind"):
        plan_import(vendors, [odd])


def test_questions_and_answers_round_trip_and_merge(tmp_path):
    from datetime import date

    with Journal.open(tmp_path / "qa.sqlite3") as j:
        acme = j.vendors.add("Acme", domains=["acme.com"])
        standard = j.questions.for_vendor(acme.id)[0]
        own = j.questions.add(acme.id, "Will they fund the joint event?")
        j.questions.answer(acme.id, standard.id, "As a revenue line, sadly.", on=date(2025, 1, 10))
        j.questions.answer(acme.id, standard.id, "Better since the new CM.", on=date(2025, 6, 1))
        j.questions.answer(acme.id, own.id, "Yes, 50 %.", on=date(2025, 2, 1))
        doc = tmp_path / "qa.json"
        export_journal(j, doc)
        export(j, tmp_path / "answers.csv", "answers", "csv")
    data = json.loads(doc.read_text(encoding="utf-8"))
    assert len(data["answers"]) == 3 and any(q["vendor_id"] for q in data["questions"])
    assert "Better since the new CM." in (tmp_path / "answers.csv").read_text(encoding="utf-8-sig")
    restored, again = _restore(tmp_path, doc.read_bytes(), "qa-restored")
    try:
        assert again == doc.read_bytes()
        acme_id = restored.vendors.resolve("Acme").id
        assert len(restored.questions.history(acme_id, standard.id)) == 2
    finally:
        restored.close()
    with Journal.open(tmp_path / "qa-merge.sqlite3") as other:
        other.vendors.add("acme")
        plan = plan_import(other, [doc])
        assert plan.json_mode == "merge" and plan.json_counts["questions"] == 1  # only the rep's own
        result = apply_import(other, plan)
        assert result.answers_added == 3
        vid = other.vendors.resolve("acme").id
        answered = {q.text: [a.text for a in q.answers] for q in other.questions.for_vendor(vid)}
        assert answered["Will they fund the joint event?"] == ["Yes, 50 %."]
        assert len(answered[standard.text]) == 2
        assert plan_import(other, [doc]).json_counts["answers"] == 0


def test_properties_not_read_are_dropped_with_their_folded_and_soft_broken_lines():
    from partnerdesk.services.importers.vcard import split_cards

    text = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ann Lee\r\n"
            "NOTE;ENCODING=QUOTED-PRINTABLE:first=\r\nEMAIL:fake@x.com=\r\nlast\r\n"
            "PHOTO;ENCODING=b:AAAA\r\n BBBB\r\n CCCC\r\n"
            "item1.EMAIL;TYPE=work:ann@acme.com\r\n"
            "N;ENCODING=QUOTED-PRINTABLE:Lee;J=C3=\r\n=B6rg\r\nEND:VCARD\r\n")
    [(line, card)] = split_cards(text)
    assert line == 1
    assert card.split("\r\n") == ["BEGIN:VCARD", "VERSION:2.1", "FN:Ann Lee",
                                  "item1.EMAIL;TYPE=work:ann@acme.com",
                                  "N;ENCODING=QUOTED-PRINTABLE:Lee;J=C3=B6rg", "END:VCARD", ""]


@given(st.lists(st.sampled_from(["BEGIN:VCARD", "END:VCARD", "\r\n", " ", "=", "FN:a", "x",
                                  "NOTE;ENCODING=QUOTED-PRINTABLE:", "EMAIL:", "\t"]),
                max_size=60))
def test_splitting_cards_never_fails_and_keeps_only_cards(pieces):
    from partnerdesk.services.importers.vcard import OVERSIZED, split_cards

    text = "".join(pieces)
    for _line, card in split_cards(text):
        assert card == OVERSIZED or card.upper().startswith("BEGIN:VCARD")
