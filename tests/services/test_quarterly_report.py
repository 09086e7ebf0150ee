"""The quarterly summary PDF: checked with qpdf and poppler as a reader's system would see it."""

from __future__ import annotations

import errno
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from partnerdesk.domain.errors import InvalidInput
from partnerdesk.domain.models import FollowUp
from partnerdesk.domain.vocab import EventKind, FollowUpOwner, Tag
from partnerdesk.services import pdf_base
from partnerdesk.services.demo import generate
from partnerdesk.services.quarterly_report import Quarter, build_quarterly_report, parse_quarter
from partnerdesk.store.journal import Journal
from tests.helpers import draft
from tests.services.pdf_checks import (
    assert_fonts_embedded,
    needs_pdf_tools,
    no_leftovers,
    page_count,
    page_size,
    pages_text,
    qpdf_ok,
    text_of,
)

TODAY = date(2026, 11, 27)
HEBREW = "שותפים בע״מ"
ARABIC = "شركة الاتصالات"
CJK = "华为云计算"


@pytest.fixture
def demo(journal: Journal) -> Journal:
    generate(journal, interactions=3000, vendors=8, seed=3, today=TODAY)
    return journal


def report(journal: Journal, tmp_path: Path, quarter: str = "2026Q3", **kw: object) -> Path:
    kw.setdefault("today", TODAY)
    return build_quarterly_report(journal, quarter, tmp_path / "q.pdf", **kw)  # type: ignore[arg-type]


# -- quarters ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["2026Q3", "2026q3", " 2026-Q3 ", "Q3 2026", "q3-2026"])
def test_quarter_spellings(text: str) -> None:
    q = parse_quarter(text)
    assert (q.year, q.number, q.code, q.label) == (2026, 3, "2026Q3", "Q3 2026")
    assert (q.start, q.end) == (date(2026, 7, 1), date(2026, 10, 1))


@pytest.mark.parametrize("text", ["", "2026", "2026Q5", "2026Q0", "Q3", "26Q3", "2026 Q3 x", "1969Q4"])
def test_bad_quarters_are_refused_in_one_sentence(text: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_quarter(text)
    assert "\n" not in str(exc.value)


def test_quarter_arithmetic() -> None:
    q = Quarter(2026, 1)
    assert q.shift(-1) == Quarter(2025, 4) and q.shift(4) == Quarter(2027, 1)
    assert Quarter(2026, 4).end == date(2027, 1, 1)
    assert [m[0].month for m in Quarter(2026, 4).months()] == [10, 11, 12]
    assert Quarter.containing(date(2026, 11, 27)) == Quarter(2026, 4)


def test_a_quarter_that_has_not_started_is_refused(demo: Journal, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="2027Q1 has not started"):
        report(demo, tmp_path, "2027Q1")
    assert not (tmp_path / "q.pdf").exists()


# -- the document --------------------------------------------------------------------------
@needs_pdf_tools
def test_report_has_cover_overview_and_a_section_per_vendor(demo: Journal, tmp_path: Path) -> None:
    path = report(demo, tmp_path, rep_name="Dana Reyes")
    qpdf_ok(path)
    assert_fonts_embedded(path)
    pages = pages_text(path)
    n = page_count(path)
    assert len(pages) == n
    cover = pages[0]
    assert "Quarterly partner summary" in cover and "Q3 2026" in cover
    assert "Dana Reyes" in cover and "27 Nov 2026" in cover
    assert "Overview · Q3 2026" in pages[1]
    vendors = demo.vendors.all(include_archived=False)
    overview = " ".join(pages[1].split())  # a long name wraps inside its cell
    for v in vendors:
        assert v.display_name in overview, v.display_name  # a row in the overview
        assert any(p.count(v.display_name) >= 2 for p in pages[2:]), v.display_name  # header + title
    body = "\n".join(pages)
    for heading in ("Health and activity, last four quarters", "Key interactions in Q3 2026",
                    "Open follow-ups on 27 Nov 2026", "Partnership questions"):
        assert body.count(heading) >= len(vendors), heading
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {n}" in page
    # running header on every page but the cover
    assert all("Quarterly partner summary · Q3 2026" in p for p in pages[1:])


@needs_pdf_tools
def test_letter_paper_and_a4(demo: Journal, tmp_path: Path) -> None:
    w, h = page_size(report(demo, tmp_path, paper="letter", vendor_ids=[1]))
    assert (round(w), round(h)) == (612, 792)
    w, h = page_size(report(demo, tmp_path, paper="A4", vendor_ids=[1]))
    assert (round(w), round(h)) == (595, 842)


def test_unknown_paper_is_refused(demo: Journal, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="a4 or letter"):
        report(demo, tmp_path, paper="legal")


@needs_pdf_tools
def test_only_the_chosen_vendors(demo: Journal, tmp_path: Path) -> None:
    vendors = demo.vendors.all()
    chosen, other = vendors[0], vendors[1]
    text = text_of(report(demo, tmp_path, vendor_ids=[chosen.id]))
    assert chosen.display_name in text
    assert other.display_name not in text
    assert "The selected vendors" in text


def test_unknown_vendor_id_is_refused(demo: Journal, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="#9999"):
        report(demo, tmp_path, vendor_ids=[9999])


@needs_pdf_tools
def test_empty_journal_gives_a_clean_two_page_document(journal: Journal, tmp_path: Path) -> None:
    path = report(journal, tmp_path)
    qpdf_ok(path)
    assert page_count(path) == 2
    assert "There are no active vendors" in text_of(path)


@needs_pdf_tools
def test_empty_quarter(journal: Journal, tmp_path: Path) -> None:
    v = journal.vendors.add("Quiet Telecom")
    journal.interactions.add(draft(v.id, "Long ago", at=datetime(2024, 2, 1, 12, tzinfo=UTC)))
    path = report(journal, tmp_path)
    qpdf_ok(path)
    text = text_of(path)
    assert "Quiet Telecom" in text
    assert "No interactions logged in Q3 2026." in text
    assert "No score in this span" in text


@needs_pdf_tools
def test_a_vendor_with_one_interaction(journal: Journal, tmp_path: Path) -> None:
    v = journal.vendors.add("Solo Networks")
    journal.interactions.add(draft(v.id, "The only call", at=datetime(2026, 8, 4, 12, tzinfo=UTC),
                                   quality=4, follow_up=FollowUp(date(2026, 8, 20), "Send the SOW",
                                                                 FollowUpOwner.VENDOR)))
    path = report(journal, tmp_path)
    qpdf_ok(path)
    text = text_of(path)
    assert "The only call" in text and "Send the SOW" in text
    assert "1 interaction in Q3 2026 · 100% helpful" in text


@needs_pdf_tools
def test_events_are_numbered_on_the_chart_and_listed(journal: Journal, tmp_path: Path) -> None:
    v = journal.vendors.add("Bought Cloud")
    journal.interactions.add(draft(v.id, "Before", at=datetime(2026, 3, 4, 12, tzinfo=UTC)))
    journal.events.add(v.id, date(2026, 5, 1), EventKind.ACQUISITION, "Acquired by Megacorp")
    journal.events.add(v.id, date(2023, 5, 1), EventKind.OTHER, "Too old for the chart")
    text = text_of(report(journal, tmp_path))
    assert "Acquired by Megacorp" in text and "1 May 2026" in text
    assert "Too old for the chart" not in text


@needs_pdf_tools
def test_hard_text_wraps_escapes_and_falls_back(journal: Journal, tmp_path: Path) -> None:
    names = [f"R&D <Partners> & Co {HEBREW}", ARABIC, f"{CJK} Partners", "Rocket 🚀 Cloud 👨‍👩‍👧",
             "X" * 200, ("Very long vendor name " * 9).strip()]
    at = datetime(2026, 8, 3, 10, tzinfo=UTC)
    notes = (f"{HEBREW} promised a reply by Friday; {ARABIC} too. {CJK}: 周五前回复. "
             "<b>not bold</b> & no markup. " * 40) + "word " * 200_000  # ~1 MB of notes
    for k, name in enumerate(names):
        v = journal.vendors.add(name)
        journal.interactions.add(draft(v.id, f"{name[:150]} summary", at=at + timedelta(days=k),
                                       notes=notes, quality=5, tag=Tag.TRANSACTIONAL,
                                       follow_up=FollowUp(date(2026, 9, 1), "y" * 400)))
        journal.events.add(v.id, date(2026, 7, 15), EventKind.ACQUISITION, f"{HEBREW} & <Co> {CJK}")
    path = report(journal, tmp_path)
    qpdf_ok(path)
    assert_fonts_embedded(path)
    text = text_of(path)
    assert "R&D <Partners> & Co" in text  # escaped, not swallowed as markup
    assert "<b>not bold</b>" in text
    assert HEBREW in text  # poppler gives right-to-left text back in logical order
    assert ARABIC in text  # after folding the joined presentation forms back (NFKC)
    assert "Rocket" in text and "Cloud" in text
    compact = text.replace("\n", "")
    assert "X" * 200 in compact  # the long word wraps inside its cell, nothing is cut
    assert CJK in text  # drawn in the shipped Droid Sans Fallback, whatever this machine has


def test_text_helpers() -> None:
    assert pdf_base.clean("a\x00b\tc\r\nd") == "ab c\nd"
    family = pdf_base.clean("👨‍👩‍👧 ok 🚀")
    assert "\u200d" not in family and family.startswith(("\ufffd", "👨")) and " ok " in family
    assert pdf_base.markup("R&D <x>") == "R&amp;D &lt;x&gt;"
    assert pdf_base.is_rtl_text(f"{HEBREW} abc") and not pdf_base.is_rtl_text(f"abc {HEBREW}")
    assert pdf_base.ellipsize("x" * 500, 8, 100).endswith("…")
    assert pdf_base.text_width(pdf_base.ellipsize("x" * 500, 8, 100), 8) <= 100


@needs_pdf_tools
def test_two_hundred_vendors(journal: Journal, tmp_path: Path) -> None:
    generate(journal, interactions=6000, vendors=200, seed=5, today=TODAY)
    calls: list[tuple[int, int]] = []
    path = report(journal, tmp_path, progress=lambda d, t: calls.append((d, t)))
    qpdf_ok(path)
    n = page_count(path)
    assert n >= 202
    pages = pages_text(path)
    overview = [p for p in pages if "Overview" in p]
    assert len(overview) >= 2  # the overview table ran onto more pages, its header repeated
    assert all("Interactions" in p and "Promises" in p for p in overview)
    assert pages[-1].rstrip().endswith(f"Page {n} of {n}")
    # progress: never backwards, ends at its total
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:], strict=False))


# -- writing: whole or not at all ----------------------------------------------------------
def test_cancel_leaves_no_file(demo: Journal, tmp_path: Path) -> None:
    out = tmp_path / "q.pdf"
    out.write_bytes(b"the previous report")
    seen: list[int] = []

    def cancelled() -> bool:
        return len(seen) >= 3

    with pytest.raises(pdf_base.ExportCancelled, match="cancelled"):
        build_quarterly_report(demo, "2026Q3", out, today=TODAY, cancelled=cancelled,
                               progress=lambda d, t: seen.append(d))
    assert out.read_bytes() == b"the previous report"
    assert no_leftovers(tmp_path) == []


def test_cancel_while_laying_out(demo: Journal, tmp_path: Path) -> None:
    n_vendors = len(demo.vendors.all(include_archived=False))
    seen: list[int] = []
    with pytest.raises(pdf_base.ExportCancelled):
        build_quarterly_report(demo, "2026Q3", tmp_path / "q.pdf", today=TODAY,
                               progress=lambda d, t: seen.append(d),
                               cancelled=lambda: bool(seen) and seen[-1] > n_vendors + 1)
    assert not (tmp_path / "q.pdf").exists() and no_leftovers(tmp_path) == []


def test_a_failure_while_building_leaves_the_old_file(demo: Journal, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from partnerdesk.services import quarterly_report

    out = tmp_path / "q.pdf"
    out.write_bytes(b"old")

    def boom(*a: object, **k: object) -> bytes:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(quarterly_report, "render", boom)
    with pytest.raises(RuntimeError):
        build_quarterly_report(demo, "2026Q3", out, today=TODAY)
    assert out.read_bytes() == b"old" and no_leftovers(tmp_path) == []


def test_a_full_disk_is_one_clear_error_and_no_file(demo: Journal, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(pdf_base.ExportFailed, match="disk is full"):
        build_quarterly_report(demo, "2026Q3", tmp_path / "q.pdf", today=TODAY, vendor_ids=[1])
    assert not (tmp_path / "q.pdf").exists() and no_leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["missing/q.pdf", "afile/q.pdf", "."])
def test_a_target_that_cannot_take_a_file_fails_first(demo: Journal, tmp_path: Path,
                                                      where: str) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(pdf_base.ExportFailed):
        build_quarterly_report(demo, "2026Q3", tmp_path / where, today=TODAY)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_without_write_permission(demo: Journal, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(pdf_base.ExportFailed, match="permission denied"):
            build_quarterly_report(demo, "2026Q3", locked / "q.pdf", today=TODAY)
    finally:
        locked.chmod(0o700)


def test_the_written_file_is_private_like_the_journal(demo: Journal, tmp_path: Path) -> None:
    # Issue 8, item 8: a PDF holds the journal's private notes, so 0600 whatever the umask.
    umask = os.umask(0)
    try:
        path = report(demo, tmp_path, vendor_ids=[1])
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("quarter", ["2026Q3", "2026Q4"])
def test_monthly_scores_agree_whichever_way_they_are_computed(demo: Journal, quarter: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Small selections score vendor by vendor, large ones in one portfolio pass: same figures."""
    from partnerdesk.services import quarterly_report as qr

    q = parse_quarter(quarter)
    one_by_one = qr.collect(demo, q, today=TODAY)
    monkeypatch.setattr(qr, "PORTFOLIO_FROM", 1)
    in_one_pass = qr.collect(demo, q, today=TODAY)
    for a, b in zip(one_by_one.sections, in_one_pass.sections, strict=True):
        assert [m.score for m in a.months] == pytest.approx([m.score for m in b.months])
        assert any(m.score is not None for m in a.months)
        assert [m.start for m in a.months][::3] == [lv.start for lv in a.quarters]


def test_sections_count_the_quarter(demo: Journal) -> None:
    from partnerdesk.domain.models import InteractionFilter
    from partnerdesk.domain.when import day_start
    from partnerdesk.services import quarterly_report as qr

    data = qr.collect(demo, parse_quarter("2026Q2"), today=TODAY)
    for sec in data.sections:
        items = demo.interactions.list(InteractionFilter(
            vendor_ids=(sec.vendor.id,), since=day_start(date(2026, 4, 1)),
            until=day_start(date(2026, 7, 1))), limit=10**6)
        assert sec.in_quarter == len(items)
        assert sec.helpful_in_quarter == sum(1 for i in items if i.tag is Tag.HELPFUL)
        assert len(sec.key) == min(8, len(items))
        assert sum(m.helpful + m.transactional for m in sec.months[-3:]) == len(items)
        # promises first: no left-out item with a vendor promise outranks a shown one without
        shown = {i.id for i in sec.key}
        if any(i.follow_up is None for i in sec.key):
            assert all(i.id in shown for i in items
                       if i.follow_up is not None and i.follow_up.owner is FollowUpOwner.VENDOR
                       and i.quality in (1, 5) and i.channel.value in ("meeting", "event"))


@needs_pdf_tools
def test_question_answers_latest_first_with_earlier_ones(journal: Journal, tmp_path: Path) -> None:
    v = journal.vendors.add("Asked Networks")
    journal.interactions.add(draft(v.id, "A call", at=datetime(2026, 8, 4, 12, tzinfo=UTC)))
    first, second = journal.questions.for_vendor(v.id)[:2]
    journal.questions.answer(v.id, first.id, "A real partnership, with shared plans",
                             on=date(2025, 3, 1))
    journal.questions.answer(v.id, first.id, f"Now: a revenue line {HEBREW}", on=date(2026, 8, 1))
    own = journal.questions.add(v.id, "Will the <new> comp plan & tiers stick?")
    text = text_of(report(journal, tmp_path))
    assert "Now: a revenue line" in text and HEBREW in text and "1 Aug 2026" in text
    assert "earlier, 1 Mar 2025: A real partnership, with shared plans" in text
    assert second.text in text and "not answered yet" in text
    assert own.text in text  # escaped, shown as typed


def test_short_cell_text_that_does_not_fit_wraps_instead_of_overflowing() -> None:
    from reportlab.platypus import Paragraph

    narrow = pdf_base.data_table([["Event"], ["compensation change"], [pdf_base.Txt("ok")]],
                                 [20 * 2.8346])
    cells = narrow._cellvalues  # type: ignore[attr-defined]
    assert isinstance(cells[1][0], Paragraph)  # 20 mm is too narrow for it on one line
    assert cells[2][0] == "ok"  # a fitting one stays a cheap plain string
    assert pdf_base.cell_text("Send the revised quote", 200) == pdf_base.Txt("Send the revised quote")
    assert isinstance(pdf_base.cell_text("R&D <x>", 200), pdf_base.Txt)  # plain strings need no escaping
    assert isinstance(pdf_base.cell_text("שלום", 200), Paragraph)
