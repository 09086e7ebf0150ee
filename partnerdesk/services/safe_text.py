"""What leaves partnerdesk is safe to open: CSV cells a spreadsheet will not run, and terminal text
that cannot drive the terminal.

A meeting's SUMMARY or a mail's subject is written by someone else. Spreadsheets (Excel,
LibreOffice, Google Sheets) run a cell that begins with = + - @ (or a tab or carriage return
before one) as a formula, so such a cell gets a leading apostrophe, as OWASP recommends; the
apostrophe shows in the cell and the text after it is kept. Terminals obey escape sequences, so
control characters in stored text (an imported '\\x1b]0;…\\x07' retitled the terminal) are
printed as visible escapes like '\\x1b' instead.
"""

from __future__ import annotations

from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell value as a spreadsheet may open it: text beginning like a formula is prefixed with '.

    A lone carriage return becomes a newline first: the csv module quotes a cell only for the
    characters of its own line ending, so a bare CR in a '\n' file split the row for readers that
    take CR as a line end, and the text after it began a row of its own (a formula, possibly)."""
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# C0 controls but newline and tab, DEL, and C1 controls (0x9B is a one-byte CSI on some terminals).
TERMINAL_ESCAPES = {c: repr(chr(c))[1:-1] for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))
                    if c not in (0x0A, 0x09)}


def terminal_text(text: str) -> str:
    return text.translate(TERMINAL_ESCAPES)


class TerminalWriter:
    """A text stream that writes control characters as visible escapes; everything else (isatty,
    fileno, buffer for binary output, encoding) is the wrapped stream's."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(text.translate(TERMINAL_ESCAPES))

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def guard_stdout(machine_format: bool) -> None:
    """Install the escaping writer on sys.stdout for text meant for people: always when stdout is a
    terminal, and for tables and messages also in a pipe. CSV or JSON into a file or a pipe are
    data and are left as they are (JSON escapes control characters itself)."""
    import sys

    out = sys.stdout
    if out is None or isinstance(out, TerminalWriter):
        return
    try:
        tty = out.isatty()
    except (AttributeError, ValueError):
        tty = False
    if tty or not machine_format:
        sys.stdout = TerminalWriter(out)  # type: ignore[assignment]
