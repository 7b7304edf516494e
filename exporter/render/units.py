"""Units such as km/h, m³/s or đồng/kg never break at their slash.

Line breaking (UAX #14, in Pango and in browsers) allows a break after "/" before a letter,
so "80 km/h" could end a line with "km/" and start the next with "h". A no-break character
after the slash would end up in the PDF's text and break search; a span with
``white-space: nowrap`` keeps the text as written.
"""

from __future__ import annotations

import re
from html import escape

from lxml import etree
from markupsafe import Markup

from exporter.source.markup import to_xhtml

# letters (and ² ³) / letters: "km/h", "đồng/kg", "người/km²"; not dates, fractions or URLs.
_UNIT = re.compile(r"(?<![\w/.:])([^\W\d_][\w²³]{0,9}/[^\W\d_][\w²³]{0,9})(?![\w/])")
_SKIP = frozenset({"a", "code", "kbd", "samp", "pre", "script", "style"})
CLASS = "unit"


def keep_units_together(html: str) -> str:
    """Wrap each unit with a slash in ``span.unit`` (text nodes only; links and code left)."""
    if "/" not in html:
        return html
    root = etree.fromstring(html)
    changed = False
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in _SKIP:
            continue
        if any(a.tag in _SKIP for a in element.iterancestors()):
            continue
        if element.get("class") == CLASS:
            continue
        changed |= _wrap(element, "text")
        for child in list(element):
            if child.get("class") != CLASS:
                changed |= _wrap(child, "tail")
    return to_xhtml(root) if changed else html


def _wrap(element: etree._Element, where: str) -> bool:
    text = getattr(element, where)
    if not text or "/" not in text or not _UNIT.search(text):
        return False
    pieces = _UNIT.split(text)  # text, unit, text, unit, ..., text
    setattr(element, where, pieces[0])
    parent, at = (element, 0) if where == "text" else (element.getparent(), None)
    anchor = element
    for i in range(1, len(pieces), 2):
        span = etree.Element("span", {"class": CLASS})
        span.text, span.tail = pieces[i], pieces[i + 1]
        if at is not None:
            parent.insert(at, span)
            at += 1
        else:
            anchor.addnext(span)
            anchor = span
    return True


def units_filter(text: str) -> Markup:
    """Jinja filter for plain fields (lead, caption): escaped text with units kept together."""
    return Markup(_UNIT.sub(rf'<span class="{CLASS}">\1</span>', escape(text, quote=False)))
