"""Markdown to sanitised XHTML blocks, once, at load time.

Raw HTML inside Markdown is allowed but passed through nh3 with a short allow-list, so a
scraped ``<script>`` or ``onerror=`` never reaches a renderer. The result is re-serialised as
XML because the same fragments go into EPUB XHTML files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

_TAGS = {
    "p", "br", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark", "abbr", "q",
    "cite", "code", "kbd", "samp", "pre", "a", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tfoot", "tr", "th",
    "td", "caption", "img", "figure", "figcaption", "section", "aside", "span",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "li": {"id", "class"},
    "th": {"style", "colspan", "rowspan"},
    "td": {"style", "colspan", "rowspan"},
    "section": {"class"},
    "sup": {"class"},
    "hr": {"class"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
# A table with this many columns cannot fit a newspaper column: print spans it across both.
WIDE_TABLE_COLUMNS = 4

_md = (
    MarkdownIt("commonmark", {"html": True, "xhtmlOut": True}).enable("table").use(footnote_plugin)
)


@dataclass
class Converted:
    """The body as top-level blocks: XHTML strings and stand-alone images (figures)."""

    blocks: list[tuple[str, str | dict[str, str]]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def sanitize(html_text: str) -> str:
    return nh3.clean(
        html_text,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript"},
        filter_style_properties={"text-align"},
        link_rel=None,
    )


def _fragments(html_text: str) -> list[etree._Element]:
    if not html_text.strip():
        return []
    wrapper = lxml_html.fragment_fromstring(html_text, create_parent="div")
    if wrapper.text and wrapper.text.strip():
        para = etree.Element("p")
        para.text = wrapper.text.strip()
        wrapper.insert(0, para)
    wrapper.text = None
    for child in wrapper:
        if child.tail and child.tail.strip():
            para = etree.Element("p")
            para.text = child.tail.strip()
            child.addnext(para)
        child.tail = None
    return list(wrapper)


def to_xhtml(element: etree._Element) -> str:
    """Serialise one element as XML (``<br/>``, no HTML-only entities)."""
    return etree.tostring(element, method="xml", encoding="unicode", with_tail=False)


def _standalone_image(element: etree._Element) -> etree._Element | None:
    if element.tag != "p" or len(element) != 1 or (element.text or "").strip():
        return None
    img = element[0]
    if img.tag != "img" or (img.tail or "").strip():
        return None
    return img


_ID_ATTRS = ("id",)


def _prefix_ids(root: etree._Element, prefix: str) -> None:
    """Footnote ids (fn1, fnref1) repeat in every article; make them unique per document."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in _ID_ATTRS:
            if el.get(attr):
                el.set(attr, f"{prefix}-{el.get(attr)}")
        href = el.get("href")
        if el.tag == "a" and href and href.startswith("#"):
            el.set("href", f"#{prefix}-{href[1:]}")


def _drop_backrefs(root: etree._Element) -> None:
    """The footnote plugin's ``↩︎`` glyph is in none of our fonts; the number links back."""
    for link in root.xpath(".//a[contains(concat(' ', @class, ' '), ' footnote-backref ')]"):
        parent = link.getparent()
        prev = link.getprevious()
        tail = link.tail or ""
        if prev is not None:
            prev.tail = ((prev.tail or "").rstrip() + tail) or None
        else:
            parent.text = ((parent.text or "").rstrip() + tail) or None
        parent.remove(link)


def markdown_to_blocks(
    source: str, id_prefix: str, resolve_image: Callable[[str], str]
) -> Converted:
    """Convert an article body, one block per top-level element.

    A paragraph holding only an image becomes a figure block. ``resolve_image`` maps an image
    reference to its bulletin-relative path or raises ``ValueError`` with the reason; links
    to local files are refused because neither edition could follow them.
    """
    result = Converted()

    def resolved(src: str) -> str | None:
        try:
            return resolve_image(src)
        except ValueError as exc:
            result.problems.append((f'image "{src}"', str(exc)))
            return None

    for element in _fragments(sanitize(_md.render(source))):
        _prefix_ids(element, id_prefix)
        _drop_backrefs(element)
        img = _standalone_image(element)
        if img is not None:
            src = resolved(img.get("src", ""))
            if not (img.get("alt") or "").strip():
                result.problems.append((f'image "{img.get("src", "")}"', "has no alt text"))
            figure = {"file": src or "", "alt": img.get("alt", ""), "caption": img.get("title")}
            result.blocks.append(("figure", figure))
            continue
        for inner in element.iter("img"):
            src = resolved(inner.get("src", ""))
            if not (inner.get("alt") or "").strip():
                result.problems.append((f'image "{inner.get("src", "")}"', "has no alt text"))
            if src:
                inner.set("src", src)
        if element.tag == "table":
            element = _wrap_table(element)
        for link in element.iter("a"):
            href = link.get("href", "")
            if href and not href.startswith("#") and not is_external(href):
                result.problems.append((f'link "{href}"', "points to a local file"))
        result.blocks.append(("html", to_xhtml(element)))
    return result


def _wrap_table(table: etree._Element) -> etree._Element:
    """Tables go in a ``div.table`` (``div.table.wide`` when too many columns for a column).

    Layout properties (spanning, keeping together) must sit on a real block: a table's own
    box is wrapped in an anonymous one that does not inherit them.
    """
    columns = max((len(row) for row in table.iter("tr")), default=0)
    wrapper = etree.Element(
        "div", {"class": "table wide" if columns >= WIDE_TABLE_COLUMNS else "table"}
    )
    wrapper.append(table)
    return wrapper


def markdown_to_xhtml(source: str) -> str:
    """A short Markdown text (editor's note) without figures."""
    return "\n".join(to_xhtml(el) for el in _fragments(sanitize(_md.render(source))))


_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_external(reference: str) -> bool:
    return bool(_SCHEME_RE.match(reference)) or reference.startswith("//")
