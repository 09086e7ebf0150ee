"""backup, backups, restore and check: keeping a journal safe from the command line.

Every handler here takes the journal's Path (takes_path = True) rather than an opened
Journal, so they work on a journal that will not open, and never migrate or create one.
Top-level imports stay light: this module is imported for every command, including --help.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

COMMANDS = ("backup", "backups", "restore", "check")


def register(sub: Any, db: argparse.ArgumentParser,
             add_format: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("backup", parents=[db],
                       help="copy the journal now (into its backups folder, or -o FILE)",
                       description="A consistent, checked copy of the journal. Without -o it goes "
                                   "into the backups folder beside the journal and old backups "
                                   "rotate (7 daily, 4 weekly, the last 3).")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the copy here instead (a new file, or a folder)")

    p = sub.add_parser("backups", parents=[db], help="list the journal's backups, newest first",
                       description="Each backup is checked (PRAGMA quick_check) as it is listed.")
    add_format(p)

    p = sub.add_parser("restore", parents=[db], help="replace the journal with a backup",
                       description="Checks the backup first and refuses a damaged one; the "
                                   "journal it replaces is kept in the backups folder "
                                   "(reason 'replaced'). Close partnerdesk windows on the "
                                   "journal first.")
    p.add_argument("file", metavar="FILE",
                   help="the backup: a path, or a file name from 'partnerdesk backups'")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")

    p = sub.add_parser("check", parents=[db],
                       help="check the journal file and its search index",
                       description="Runs SQLite's integrity check and the full-text index's own "
                                   "checks without writing. Exit status 0: all good; 1: problems "
                                   "found (or repaired), one line each.")
    p.add_argument("--repair", action="store_true",
                   help="rebuild the search index when only the index is damaged "
                        "(a backup is taken first; a damaged file is never written to)")
    p.add_argument("--quick", action="store_true",
                   help="PRAGMA quick_check instead of the full integrity_check")


def cmd_backup(path: Path, a: argparse.Namespace) -> int:
    from partnerdesk.services.backup import backup_now

    made = backup_now(path, "manual", dest=a.output)
    print(f"Backed up {path} to {made} ({_size(made.stat().st_size)}).")
    return 0


def cmd_backups(path: Path, a: argparse.Namespace) -> int:
    from partnerdesk.cli.output import print_csv, print_json, print_table
    from partnerdesk.services.backup import backup_folder, list_backups

    infos = list_backups(path)
    rows = [{
        "file": i.path.name,
        "path": str(i.path),
        "taken_at": i.taken_at.isoformat().replace("+00:00", "Z"),
        "when": i.local_time.strftime("%Y-%m-%d %H:%M"),
        "reason": i.reason,
        "size": i.size,
        "size_text": _size(i.size),
        "ok": bool(i.ok),
        "check": "ok" if i.ok else f"DAMAGED: {i.problem}",
        "problem": i.problem,
    } for i in infos]
    if a.format == "json":
        print_json([{k: r[k] for k in ("file", "path", "taken_at", "reason", "size", "ok",
                                       "problem")} for r in rows])
    elif a.format == "csv":
        print_csv(rows, ["file", "taken_at", "reason", "size", "ok", "problem", "path"])
    elif not rows:
        print(f"No backups of {path} yet (they go in {backup_folder(path)}). "
              "Make one: partnerdesk backup")
    else:
        print_table(rows, [("when", "When"), ("reason", "Reason"), ("size_text", "Size"),
                           ("check", "Check"), ("file", "File")], flexible="check")
        print(f"Folder: {backup_folder(path)}")
    return 0


def cmd_restore(path: Path, a: argparse.Namespace) -> int:
    from partnerdesk.domain.errors import InvalidInput, NotFound
    from partnerdesk.services.backup import backup_folder, restore

    chosen = Path(a.file).expanduser()
    if not chosen.exists() and not chosen.is_absolute() and len(chosen.parts) == 1:
        in_folder = backup_folder(path) / chosen
        if in_folder.exists():
            chosen = in_folder
    if not chosen.is_file():
        raise NotFound(f"There is no backup at {chosen}; list them with: partnerdesk backups")
    if not a.yes:
        if not sys.stdin.isatty():
            raise InvalidInput(
                f"restore replaces the journal {path} with {chosen}; add --yes to confirm "
                "(the current journal is kept in the backups folder)."
            )
        sys.stderr.write(f"Replace the journal {path}\n   with the backup {chosen}?\n"
                         "The current journal is kept in the backups folder. [y/N] ")
        sys.stderr.flush()
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    result = restore(chosen, path)
    print(f"Restored {result.journal} from {result.backup}.")
    if result.kept_aside is not None:
        print(f"The journal it replaced was kept at {result.kept_aside}.")
    return 0


def cmd_check(path: Path, a: argparse.Namespace) -> int:
    from partnerdesk.services.check import check_journal, repair_index

    report = check_journal(path, quick=a.quick)
    for note in report.notes:
        print(f"note: {note}")
    if report.ok:
        what = "quick check" if a.quick else "integrity check"
        extra = " and the search index check" if "fts" in report.checked else ""
        print(f"ok: {path} passed SQLite's {what}{extra}.")
        return 0
    repairable = [f for f in report.findings if f.area in ("index", "summary")]
    if a.repair and repairable and not report.file_damaged:
        after = repair_index(path)
        for area in after.repaired:
            print(f"repaired: rebuilt the {_AREA_NAMES.get(area, area)} from the interactions "
                  "(a backup was taken first)")
        for line in after.lines():
            print(line)
        if after.ok:
            print(f"ok: {path} passes every check now.")
        return 1
    for line in report.lines():
        print(line)
    if report.file_damaged:
        from partnerdesk.services.backup import newest_good_backup

        good = newest_good_backup(path)
        if good is not None:
            print(f"The file itself is damaged and was not written to. Restore the newest good "
                  f"backup: partnerdesk restore {good}")
        else:
            print("The file itself is damaged and was not written to; there is no good backup. "
                  "Keep a copy of the file before trying anything else.")
    elif repairable:
        if all(f.area == "index" for f in repairable):
            print("Only the search index is damaged; 'partnerdesk check --repair' rebuilds it.")
        else:
            print("Only what is counted from the interactions is out of step; "
                  "'partnerdesk check --repair' rebuilds it.")
    return 1


_AREA_NAMES = {"index": "full-text search index", "summary": "summaries behind the health scores"}


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"


for _handler in (cmd_backup, cmd_backups, cmd_restore, cmd_check):
    _handler.takes_path = True  # type: ignore[attr-defined]

HANDLERS = {
    "backup": cmd_backup,
    "backups": cmd_backups,
    "restore": cmd_restore,
    "check": cmd_check,
}
