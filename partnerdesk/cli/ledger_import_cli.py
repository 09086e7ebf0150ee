"""`partnerdesk ledger import`: the preview, then the import in one transaction."""

from __future__ import annotations

import argparse
from typing import Any

SHOWN = 50


def run_import(journal: Any, a: argparse.Namespace) -> int:
    from partnerdesk.cli.output import print_json
    from partnerdesk.services.ledger_io import import_ledger_file

    kwargs = dict(vendor=a.vendor, kind=a.kind, day_first=a.day_first)
    plan = import_ledger_file(journal, a.file, write=False, **kwargs)
    result = plan
    if not a.dry_run and not plan.nothing_to_do:
        result = import_ledger_file(journal, a.file, write=True, **kwargs)
    if a.format == "json":
        print_json({"file": result.path, "kind": result.kind, "written": result.written,
                    "added": result.added, "updated": result.updated,
                    "duplicates": result.duplicates, "new_vendors": result.new_vendors,
                    "skipped": result.skipped, "preview": result.preview})
        return 0
    for line in result.preview[:SHOWN]:
        print(line)
    if len(result.preview) > SHOWN:
        print(f"… and {len(result.preview) - SHOWN:,} more")
    for line in result.skipped[:SHOWN]:
        print(f"skipped {line}")
    if len(result.skipped) > SHOWN:
        print(f"… and {len(result.skipped) - SHOWN:,} more skipped")
    if result.new_vendors:
        print("New vendors: " + ", ".join(result.new_vendors))
    print(result.summary_line(imported=not a.dry_run))
    return 0
