"""Entry point of the `partnerdesk` command: run a subcommand, or open the window."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

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
    if args.command is None:
        return open_window(getattr(args, "db", None))
    path = None
    try:
        from partnerdesk.cli.commands import all_handlers
        from partnerdesk.store.paths import resolve_journal_path

        path = resolve_journal_path(getattr(args, "db", None))
        handler = all_handlers()[args.command]
        if getattr(handler, "takes_path", False):
            # e.g. check and restore: they must work on a journal that will not open
            return int(handler(path, args))
        from partnerdesk.store.journal import Journal

        with Journal.open(path) as journal:
            return int(handler(journal, args))
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
        from partnerdesk.store.db_errors import explain

        known = explain(exc, path)
        if known is not None:
            return _fail(str(known))
        if os.environ.get("PARTNERDESK_DEBUG"):
            raise
        return _fail(f"unexpected error ({type(exc).__name__}: {exc}); nothing half-written was kept. "
                     "Set PARTNERDESK_DEBUG=1 to see the details and report them.", EXIT_BUG)


def open_window(db: str | None) -> int:
    try:
        from partnerdesk.ui.app import run
    except ImportError as exc:
        return _fail(f"the window cannot start ({exc}); the commands still work: partnerdesk --help")
    return run(db)


if __name__ == "__main__":
    raise SystemExit(main())
