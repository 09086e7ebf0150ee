"""health and question: relationship health on the command line, and partnership questions.

Top-level imports stay light: this module is imported for every command, including --help.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

PERIODS = ["week", "month", "quarter"]
MAX_ID = 2**63 - 1
_ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def register(sub: Any, db: argparse.ArgumentParser,
             add_format: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser(
        "health", parents=[db], help="relationship health: every vendor, or one vendor over time",
        description="Without VENDOR: every active vendor's score for the current period (default "
                    "the quarter), its trend, helpful share, promises kept, overdue promises and "
                    "last contact. With VENDOR: its score per period (default month) from its "
                    "first interaction, with the main reason for each. The formula: "
                    "docs/health.md.")
    p.add_argument("vendor", nargs="?", metavar="VENDOR")
    p.add_argument("--by", choices=PERIODS, help="week, month or quarter")
    p.add_argument("--since", metavar="D", help="with VENDOR: from the period holding this date")
    add_format(p)

    q = sub.add_parser("question", parents=[db], help="partnership questions and dated answers")
    qsub = q.add_subparsers(dest="action", metavar="ACTION", required=True,
                            parser_class=type(q))  # one-line usage errors, like the rest
    p = qsub.add_parser("list", parents=[db],
                        help="a vendor's questions (the standard five, your own), latest answers")
    p.add_argument("vendor")
    add_format(p)
    p = qsub.add_parser("add", parents=[db], help="add your own question for a vendor")
    p.add_argument("vendor")
    p.add_argument("text")
    p = qsub.add_parser("answer", parents=[db],
                        help="record the vendor's answer (earlier answers are kept)")
    p.add_argument("vendor")
    p.add_argument("question_id", type=int, metavar="QUESTION_ID")
    p.add_argument("text", help="the answer; '-' reads it from standard input")
    p.add_argument("--on", metavar="D", help="when the vendor gave it (default today)")
    p = qsub.add_parser("history", parents=[db], help="every answer to one question, oldest first")
    p.add_argument("vendor")
    p.add_argument("question_id", type=int, metavar="QUESTION_ID")
    add_format(p)


def _vendor(journal: Any, name: str) -> Any:
    from partnerdesk.domain.errors import NotFound

    try:
        return journal.vendors.resolve(name)
    except NotFound as exc:
        raise NotFound(f"{exc} To add it: partnerdesk vendor add '{name}'") from None


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


# -- health ----------------------------------------------------------------------------------
_COMPONENT_COLUMNS = (("helpfulness", "helpfulness"), ("promises", "promises"),
                      ("cadence", "cadence"), ("initiative", "who reaches out"))


def cmd_health(journal: Any, a: argparse.Namespace) -> int:
    from partnerdesk.domain.errors import InvalidInput
    from partnerdesk.domain.health_types import Period
    from partnerdesk.domain.when import parse_day
    from partnerdesk.services.health import local_today

    with journal.reading() as conn:
        today = local_today(conn)  # in the journal's time zone
    if a.vendor is None:
        if a.since:
            raise InvalidInput("--since goes with a VENDOR (its series); the portfolio scores the "
                               "current period. Try: partnerdesk health VENDOR --since D")
        return _portfolio(journal, Period(a.by or "quarter"), a.format, today)
    vendor = _vendor(journal, a.vendor)
    since = parse_day(a.since) if a.since else None
    if since is not None and since > today:
        raise InvalidInput(f"--since {since.isoformat()} is in the future; "
                           "give a date up to today.")
    return _series(journal, vendor, Period(a.by or "month"), since, a.format, today)


# Scores only read: they run on a LiteJournal (see cli/commands.py).
cmd_health.reads_only = lambda a: True  # type: ignore[attr-defined]


def _portfolio(journal: Any, period: Any, fmt: str, today: Any) -> int:
    from partnerdesk.cli.output import print_csv, print_json, print_table
    from partnerdesk.domain.when import to_local
    from partnerdesk.services.health import period_label, period_start, portfolio

    rows = portfolio(journal, today=today, period=period)
    label = period_label(period_start(today, period), period)
    out = [{
        "vendor": r.display_name,
        "period": label,
        "score": r.score,
        "band": r.band.value if r.band else None,
        "trend": r.trend.value if r.trend else None,
        "change": r.change,
        "interactions": r.interactions,
        "helpful_pct": r.helpful_pct,
        "promises_kept_pct": r.promises_kept_pct,
        "overdue_promises": r.overdue_promises,
        "as_of": r.as_of.isoformat() if r.as_of else None,
        "last_contact": (to_local(r.last_contact).isoformat(timespec="seconds")
                         if r.last_contact else None),
        "evidence_interactions": r.evidence_interactions,
        "evidence_promises": r.evidence_promises,
        "sparkline": list(r.sparkline),
        "reasons": list(r.reasons),
    } for r in rows]
    if fmt == "json":
        print_json(out)
    elif fmt == "csv":
        print_csv([{**r, "reason": r["reasons"][0] if r["reasons"] else ""} for r in out],
                  ["vendor", "period", "score", "band", "trend", "change", "interactions",
                   "helpful_pct", "promises_kept_pct", "overdue_promises", "as_of",
                   "last_contact", "evidence_interactions", "evidence_promises", "reason"])
    elif not out:
        print("No vendors yet. Add one: partnerdesk vendor add NAME")
    else:
        print(f"Health in {label} (so far), against the previous scored {period.value}; "
              f"overdue as of {out[0]['as_of']}; \"rests on\" = interactions in the last 12 "
              "months + promises:")
        table = [{
            **r,
            "score": _score(r["score"]),
            "band": r["band"] or "",
            "trend": _ARROWS.get(r["trend"] or "", ""),
            "change": "" if r["change"] is None else (f"{r['change']:+.0f}"
                                                      if round(r["change"]) else "0"),
            "helpful_pct": _pct(r["helpful_pct"]),
            "promises_kept_pct": _pct(r["promises_kept_pct"]),
            "last_contact": (r["last_contact"] or "")[:10],
            "rests_on": f"{r['evidence_interactions']} + {r['evidence_promises']}",
        } for r in out]
        print_table(table, [("vendor", "Vendor"), ("score", "Score"), ("band", "Band"),
                            ("trend", "Trend"), ("change", "Change"), ("interactions", "Contacts"),
                            ("helpful_pct", "Helpful"), ("promises_kept_pct", "Kept"),
                            ("overdue_promises", "Overdue"), ("last_contact", "Last contact"),
                            ("rests_on", "Rests on")],
                    flexible="vendor")
    return 0


def _series(journal: Any, vendor: Any, period: Any, since: Any, fmt: str, today: Any) -> int:
    from partnerdesk.cli.output import print_csv, print_json, print_table
    from partnerdesk.services.health import explain, period_label, vendor_health

    points = vendor_health(journal, vendor.id, period=period, since=since, today=today)
    out = []
    for p in points:
        comps = {c.name: c for c in p.components}
        out.append({
            "period": period_label(p.start, period),
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "score": p.score,
            "band": p.band.value if p.band else None,
            "trend": p.trend.value if p.trend else None,
            "interactions": p.interactions,
            "helpful": p.helpful,
            "transactional": p.transactional,
            "helpful_pct": round(100 * p.helpful / p.interactions, 1) if p.interactions else None,
            "promises_due": p.promises_due,
            "promises_kept": p.promises_kept,
            "overdue_promises": p.overdue_promises,
            "as_of": p.as_of.isoformat() if p.as_of else None,
            "evidence_interactions": p.evidence_interactions,
            "evidence_promises": p.evidence_promises,
            "components": [{"name": c.name, "value": c.value, "weight": round(c.weight, 4),
                            "detail": c.detail} for c in p.components],
            **{f"score_{key}": comps[name].value if name in comps else None
               for key, name in _COMPONENT_COLUMNS},
            "reasons": explain(p),
        })
    if fmt == "json":
        print_json([{k: v for k, v in r.items() if not k.startswith("score_")} for r in out])
    elif fmt == "csv":
        cols = ["period", "start", "end", "score", "band", "trend", "interactions", "helpful",
                "transactional", "helpful_pct", "promises_due", "promises_kept",
                "overdue_promises", "as_of", "evidence_interactions", "evidence_promises",
                *[f"score_{key}" for key, _ in _COMPONENT_COLUMNS], "reason"]
        print_csv([{**r, "reason": r["reasons"][0]} for r in out], cols)
    elif not out:
        print(f"No interactions with {vendor.display_name} yet, so no health to show. "
              f"Log one: partnerdesk log '{vendor.name}' -s SUMMARY -t helpful")
    else:
        print(f"{vendor.display_name}: health by {period.value} (score 0-100; red < 40, "
              "green from 70; \"rests on\" = interactions in the last 12 months + promises; "
              "why: docs/health.md)")
        table = [{
            "period": r["period"],
            "score": _score(r["score"]),
            "band": r["band"] or "",
            "trend": _ARROWS.get(r["trend"] or "", ""),
            "interactions": r["interactions"],
            "helpful_pct": _pct(r["helpful_pct"]),
            "rests_on": f"{r['evidence_interactions']} + {r['evidence_promises']}",
            "why": r["reasons"][0] if r["reasons"] else "",
        } for r in out]
        print_table(table, [("period", "Period"), ("score", "Score"), ("band", "Band"),
                            ("trend", "Trend"), ("interactions", "Contacts"),
                            ("helpful_pct", "Helpful"), ("rests_on", "Rests on"),
                            ("why", "Top reason")], flexible="why")
    return 0


# -- questions -------------------------------------------------------------------------------
def _question_id(value: int) -> int:
    from partnerdesk.domain.errors import NotFound

    if not 1 <= value <= MAX_ID:
        raise NotFound(f"Question #{value} does not exist; list them with: "
                       "partnerdesk question list VENDOR")
    return value


def cmd_question(journal: Any, a: argparse.Namespace) -> int:
    from partnerdesk.cli.output import print_csv, print_json, print_table
    from partnerdesk.domain.when import parse_day

    vendor = _vendor(journal, a.vendor)
    store = journal.questions
    if a.action == "add":
        q = store.add(vendor.id, a.text)
        print(f"Added question #{q.id} for {vendor.display_name}: {q.text}")
        return 0
    if a.action == "answer":
        qid = _question_id(a.question_id)
        text = a.text
        if text == "-":
            text = _read_stdin()
        on = parse_day(a.on) if a.on else None
        ans = store.answer(vendor.id, qid, text, on=on)
        print(f"Recorded {vendor.display_name}'s answer to question #{qid} "
              f"on {ans.on.isoformat()}.")
        return 0
    if a.action == "history":
        qid = _question_id(a.question_id)
        answers = store.history(vendor.id, qid)
        rows = [{"question_id": x.question_id, "on": x.on.isoformat(), "answer": x.text}
                for x in answers]
        if a.format == "json":
            print_json(rows)
        elif a.format == "csv":
            print_csv(rows, ["question_id", "on", "answer"])
        elif not rows:
            print(f"{vendor.display_name} has not answered question #{qid} yet. Record it: "
                  f"partnerdesk question answer '{vendor.name}' {qid} TEXT")
        else:
            print_table(rows, [("on", "Answered on"), ("answer", "Answer")], flexible="answer")
        return 0
    questions = store.for_vendor(vendor.id)
    if a.format == "json":
        print_json([{
            "id": q.id, "standard": q.standard, "question": q.text,
            "answers": [{"on": x.on.isoformat(), "answer": x.text} for x in q.answers],
        } for q in questions])
        return 0
    flat = [{
        "id": q.id, "standard": q.standard, "question": q.text,
        "answered_on": q.latest.on.isoformat() if q.latest else None,
        "answer": q.latest.text if q.latest else None,
        "answers": len(q.answers),
    } for q in questions]
    if a.format == "csv":
        print_csv(flat, ["id", "standard", "question", "answered_on", "answer", "answers"])
        return 0
    print_table([{
        **r,
        "standard": "" if r["standard"] else "own",
        "answer": (f"{r['answered_on']}: {r['answer']}" if r["answer"] else "(unanswered)")
                  + (f"  [+{r['answers'] - 1} earlier]" if r["answers"] > 1 else ""),
    } for r in flat], [("id", "#"), ("standard", ""), ("question", "Question"),
                       ("answer", "Latest answer")], flexible="answer")
    return 0


def _read_stdin() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin.read()
    return buffer.read().decode(sys.stdin.encoding or "utf-8", errors="replace")


HANDLERS = {"health": cmd_health, "question": cmd_question}
