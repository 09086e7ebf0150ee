"""Readable text from an HTML-only mail body, in one linear pass.

Not html.parser: it is quadratic on malformed input ('<a<a<a…' of 300 KB never finished). Here a
single regular-expression scan finds tags and comments; a '<' that opens no complete tag is text,
as a browser shows it. Only the first HTML_CHARS_MAX characters are read (limits.py).
"""

from __future__ import annotations

import html
import re

from partnerdesk.services.importers.limits import HTML_CHARS_MAX

_BLOCK = {"p", "div", "br", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
          "blockquote", "pre", "hr", "section", "article", "header", "footer", "body"}
_RAW = {"script", "style", "title", "template", "noscript", "textarea", "xmp"}  # skipped to their end tag
_HEAD_ONLY = {"head", "meta", "link", "base", "title", "style", "script", "noscript", "template", "html"}

# A comment (unclosed: to the end, as browsers read it), a declaration or processing instruction,
# or a tag whose name and attributes hold no '<' or '>'. Every alternative stops at the next '<' or
# '>' or consumes the rest, so the scan is linear in the input.
_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<[!?][^>]*>?|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^<>]*)>", re.S)


def html_to_text(markup: str) -> str:
    markup = markup[:HTML_CHARS_MAX]
    parts: list[str] = []
    no_end: set[str] = set()  # raw elements with no end tag after the first one: never search again
    in_head = False
    pos = 0
    for m in _TOKEN.finditer(markup):
        if m.start() < pos:
            continue  # inside a raw element already skipped
        if not in_head:
            parts.append(markup[pos:m.start()])
        pos = m.end()
        closing, name = m.group(1), (m.group(2) or "").lower()
        if not name:
            continue  # comment, doctype, <?xml …?>
        if closing:
            if name == "head":
                in_head = False
            elif name in _BLOCK:
                parts.append("\n")
            continue
        if name == "head":
            in_head = True
        elif in_head and name not in _HEAD_ONLY:
            in_head = False  # a body element: the head ended without </head>, as browsers read it
        if name in _RAW and not m.group(3).rstrip().endswith("/"):
            if name not in no_end:
                end = re.compile(rf"</{name}\s*>", re.I).search(markup, pos)
                if end is None:
                    no_end.add(name)
                else:
                    pos = end.end()
            continue
        if in_head:
            continue
        if name == "li":
            parts.append("\n• ")
        elif name in ("td", "th"):
            parts.append(" ")
        elif name in _BLOCK:
            parts.append("\n")
    if not in_head:
        parts.append(markup[pos:])
    text = html.unescape("".join(parts)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
