"""Entry point of the `partnerdesk` command: run a subcommand, or open the window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from partnerdesk.cli.parser import build_parser, one_line

EXIT_USAGE = 2
EXIT_FAILED = 1
EXIT_BUG = 70


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    sys.stderr.write(one_line(f"partnerdesk: {message}") + "\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    args = build_parser().parse_args(argv)
    _interrupt_on_sigterm()
    from partnerdesk.services.safe_text import guard_stdout

    # Stored text cannot drive the terminal; CSV/JSON data into a pipe or file stays as it is.
    guard_stdout(getattr(args, "format", None) in ("csv", "json") or args.command == "export")
    if args.command is None:
        return open_window(getattr(args, "db", None))
    path = None
    try:
        from partnerdesk.cli.commands import all_handlers
        from partnerdesk.store.paths import resolve_journal_path

        path = resolve_journal_path(getattr(args, "db", None))
        handler = all_handlers()[args.command]
        from partnerdesk.cli.damage import reads_only, warn_if_known_damaged

        code = _run(handler, path, args)
        if reads_only(args):
            warn_if_known_damaged(path)  # last, where the rep looks: never silently
        return code
    except KeyboardInterrupt:
        return _fail("interrupted; nothing half-written was kept.", 130)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); quietly stop writing.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0
    except Exception as exc:  # the one place a failure becomes a sentence
        from partnerdesk.cli.damage import damaged_line
        from partnerdesk.store.db_errors import explain

        damaged = damaged_line(path, exc)
        if damaged is not None:
            return _fail(damaged)
        known = explain(exc, path)
        if known is not None:
            return _fail(str(known))
        if os.environ.get("PARTNERDESK_DEBUG"):
            raise
        return _fail(f"unexpected error ({type(exc).__name__}: {exc}); nothing half-written was kept. "
                     "Set PARTNERDESK_DEBUG=1 to see the details and report them.", EXIT_BUG)


def _run(handler: Any, path: Path, args: argparse.Namespace) -> int:
    if getattr(handler, "takes_path", False):
        # e.g. check and restore: they must work on a journal that will not open
        return int(handler(path, args))
    if getattr(handler, "reads_only", lambda a: False)(args):
        # A read needs neither SQLAlchemy (~0.5 s to import) nor a write lock.
        from partnerdesk.store.lite import open_current

        lite = open_current(path)
        if lite is not None:
            return int(handler(lite, args))
    from partnerdesk.cli.journal_path import announce_new, open_for_command

    journal, started = open_for_command(path, args)
    with journal:
        code = int(handler(journal, args))
    if started and code == 0:
        announce_new(path)
    return code


def _interrupt_on_sigterm() -> None:
    """SIGTERM (a closed terminal, a killed job) unwinds like Ctrl+C: every half-written
    export, report or backup removes its temporary file on the way out."""
    import signal

    def stop(_signo: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):  # not the main thread (tests), or no SIGTERM here
        pass


def open_window(db: str | None) -> int:
    try:
        from partnerdesk.ui.app import run
    except ImportError as exc:
        return _fail(f"the window cannot start ({exc}); the commands still work: partnerdesk --help")
    return run(db)


if __name__ == "__main__":
    raise SystemExit(main())
