"""A saved news page -> article fields, with trafilatura doing the extraction.

trafilatura (maintained, benchmarked on news sites) decides what the article text is; this
module only maps its result onto our fields and accounts for the rest of the page: each line
of the page's visible text is reported as kept (and where) or dropped, with a boilerplate
reason when a rule names it and "not article text (extractor)" otherwise. The page is parsed
from the string; no URL is ever passed, so nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from urllib.parse import unquote, urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from exporter.source.models import VN_TZ

from . import patterns as pt
from . import vocabulary as vocab
from .dates import parse_date_line
from .model import Block, Extracted, ImportedFigure, ImportFailure, LineRecord

EXTRACTOR = "not article text (extractor)"
RELATED = "related-news block"
HEADER = "page header (before the title)"
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})  # fmt: skip
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe", "textarea")


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


_LANDMARK_TAGS = {"nav": "menu", "aside": RELATED, "footer": "site footer", "header": HEADER}
_LANDMARK_CLASSES = (
    ("breadcrumb", "breadcrumb"),
    ("comment", "reader comment"),
    ("related", RELATED),
    ("menu", "menu"),
    ("share", "share button"),
    ("tag", "tags"),
    ("footer", "site footer"),
)


def _landmark(element: etree._Element) -> str | None:
    """The report reason a page region implies: ``<nav>`` is a menu, ``.comments`` comments."""
    named = _LANDMARK_TAGS.get(element.tag)
    if named:
        return named
    marks = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return next((reason for word, reason in _LANDMARK_CLASSES if word in marks), None)


def visible_lines(page: lxml_html.HtmlElement) -> list[tuple[int, str, str | None]]:
    """(source line, text, region reason) of each block of visible text, in document order."""
    lines: list[tuple[int, str, str | None]] = []
    parts: list[str] = []
    where: list[object] = [0, None]

    def flush() -> None:
        text = " ".join("".join(parts).split())
        if text:
            lines.append((int(where[0]), text, where[1]))  # type: ignore[call-overload]
        parts.clear()

    def walk(element: etree._Element, region: str | None) -> None:
        if not isinstance(element.tag, str) or element.tag in _INVISIBLE:
            return
        region = _landmark(element) or region
        block = element.tag in _BLOCK_TAGS
        if block:
            flush()
        if not parts:
            where[:] = [element.sourceline or where[0], region]
        parts.append(element.text or "")
        for child in element:
            walk(child, region)
            if child.tail:
                if not parts:
                    where[:] = [child.sourceline or where[0], region]
                parts.append(child.tail)
        if block:
            flush()

    body = page.find("body")
    walk(body if body is not None else page, None)
    flush()
    return lines


def _caption(page: lxml_html.HtmlElement, src: str) -> str | None:
    """The caption the page shows with an image: its figure's figcaption, or the text of the
    next caption-like element (``class`` containing caption/desc, as many CMSs write)."""
    for img in page.iter("img"):
        if img.get("src") != src:
            continue
        for ancestor in img.iterancestors():
            caption = ancestor.find(".//figcaption")
            if caption is not None:
                return _text(caption) or None
            for el in ancestor.iter():
                cls = (el.get("class") or "").lower()
                if el is not img and ("caption" in cls or "desc" in cls) and _text(el):
                    return _text(el)
            if ancestor.tag in ("figure", "table", "article", "body"):
                break
    return None


def _file_name(src: str) -> str:
    return posixpath.basename(unquote(urlsplit(src).path)) or "anh.jpg"


def _published(
    doc_date: str | None, lines: list[tuple[int, str, str | None]]
) -> dt.datetime | None:
    """The extractor's date; when it has no time, a date line of the page on that day."""
    when = None
    if doc_date:
        try:
            when = dt.datetime.fromisoformat(doc_date)
        except ValueError:
            when = None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=VN_TZ)
    if when is not None and (when.hour, when.minute) != (0, 0):
        return when
    for _, text, _ in lines:
        parsed = parse_date_line(text)
        for stamp, timed, updated in parsed.stamps if parsed else []:
            if timed and not updated and (when is None or stamp.date() == when.date()):
                return stamp
    return when


class HtmlReader:
    """Reads one saved page; ``read()`` returns the fields and one record per visible line."""

    def __init__(self, text: str, section: str | None = None) -> None:
        self.text = text
        self.art = Extracted(section=section)
        self.warnings: list[str] = []
        self.kept: dict[str, str] = {}  # squashed text -> where it went
        self.lines: list[tuple[int, str, str | None]] = []
        self.dropped_in_body: dict[str, str] = {}

    def read(self) -> tuple[Extracted, list[LineRecord], list[str]]:
        page = lxml_html.document_fromstring(self.text)
        lines = self.lines = visible_lines(page)
        doc = trafilatura.bare_extraction(
            self.text,
            with_metadata=True,
            include_images=True,
            include_comments=False,
            include_tables=True,
            include_formatting=False,
            include_links=False,
            date_extraction_params={
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
                "original_date": True,
                "extensive_search": False,
            },
        )
        body = getattr(doc, "body", None)
        if doc is None or body is None or not len(body):
            raise ImportFailure("only boilerplate: the extractor found no article text")
        self.art.title = " ".join((doc.title or "").split())
        if not self.art.title:
            raise ImportFailure("only boilerplate: no title found")
        self.keep(self.art.title, "title")
        if self.art.section is None and doc.categories:
            self.art.section = doc.categories[0]
        self.art.authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        self.body(body, page)
        self.closing()
        self.lead(" ".join((doc.description or "").split()))
        if not self.art.body:
            raise ImportFailure("only boilerplate: no article text after the title")
        self.art.published = _published(doc.date, lines)
        if self.art.published is None:
            raise ImportFailure("no publication date found (e.g. 23/11/2023 20:39)")
        if doc.url and doc.url.startswith(("http://", "https://")):
            self.art.source_url = doc.url
        for a in self.art.authors:
            self.keep(a, "authors")
        return self.art, self.records(lines), self.warnings

    def failed_records(self) -> list[LineRecord]:
        """After a failure: every visible line, with the boilerplate reason where one fits."""
        self.kept.clear()
        records = self.records(self.lines)
        for record in records:
            if record.dropped == EXTRACTOR:
                record.dropped = "not imported (the input failed)"
        return records

    def keep(self, text: str, to: str) -> None:
        self.kept.setdefault(vocab.squash(text), to)

    def body(self, body: etree._Element, page: lxml_html.HtmlElement) -> None:
        for element in body:
            tag = element.tag
            if tag == "graphic":
                self.figure(element, page)
            elif tag == "list":
                ordered = element.get("rend") == "ol"
                for n, item in enumerate(element.iter("item"), start=1):
                    self.add(Block("ol" if ordered else "li", _text(item), n if ordered else None))
            elif tag == "table":
                self.warnings.append("a table was flattened into one paragraph per row")
                for row in element.iter("row"):
                    self.add(Block("p", " | ".join(_text(c) for c in row.iter("cell"))))
            elif tag == "head":
                text = _text(element)
                if vocab.squash(text) == vocab.squash(self.art.title):
                    continue
                self.add(Block("h", text))
            else:
                self.add(Block("p", _text(element)))
            for graphic in element.iter("graphic") if tag != "graphic" else ():
                self.figure(graphic, page)

    def add(self, block: Block) -> None:
        if not block.text:
            return
        reason = vocab.boilerplate(block.text, in_body=True)
        if reason:
            self.dropped_in_body[vocab.squash(block.text)] = reason
            return
        self.keep(block.text, f"body[{len(self.art.body)}]")
        self.art.body.append(block)

    def figure(self, graphic: etree._Element, page: lxml_html.HtmlElement) -> None:
        src = graphic.get("src") or ""
        n = len(self.art.figures)
        shown = _caption(page, src) or graphic.get("title") or None
        caption, credit = pt.split_credit(shown) if shown else (None, None)
        figure = ImportedFigure(_file_name(src), caption, credit, position=len(self.art.body))
        figure.page_alt = " ".join((graphic.get("alt") or "").split()) or None
        self.art.figures.append(figure)
        if shown:
            to = "caption+credit" if caption and credit else "caption" if caption else "credit"
            self.keep(shown, f"figure[{n}].{to}")

    def closing(self) -> None:
        """A last paragraph that is an attribution or an author line leaves the body."""
        while self.art.body and self.art.body[-1].kind == "p":
            text = self.art.body[-1].text
            if source := pt.attribution(text):
                self.art.attribution = source
                self.kept[vocab.squash(text)] = "attribution"
            elif (found := pt.names(text)) is not None:
                self.art.authors += [a for a in found if a not in self.art.authors]
                self.kept[vocab.squash(text)] = "authors"
            else:
                return
            self.art.body.pop()

    def lead(self, description: str) -> None:
        """The description is the lead when it is the first paragraph (which then leaves the
        body) or text of its own; not when it is a cut-off copy of the first paragraph."""
        if not description:
            return
        first = self.art.body[0].text if self.art.body else ""
        plain = pt.split_lead_prefix(first)[1]  # the sapo may carry "TTO - ", the meta not
        same = vocab.squash(description) in (vocab.squash(first), vocab.squash(plain))
        cut = vocab.squash(description.rstrip(".… "))
        if same:
            description = first
            self.art.body.pop(0)
            for figure in self.art.figures:
                figure.position = max(0, figure.position - 1)
            self.kept = {k: _shift(v) for k, v in self.kept.items()}
        elif vocab.squash(plain).startswith(cut) or vocab.squash(description) in {
            vocab.squash(b.text) for b in self.art.body
        }:
            return
        prefix, text = pt.split_lead_prefix(description)
        self.art.lead = text
        self.kept[vocab.squash(description)] = "lead"
        if prefix:
            self.warnings.append(f'lead: site tag "{prefix}" removed')

    def records(self, lines: list[tuple[int, str, str | None]]) -> list[LineRecord]:
        records = []
        kept_texts = list(self.kept.items())
        for number, text, region in lines:
            key = vocab.squash(text)
            to = self.kept.get(key)
            if to is None and pt.words(text) >= 8:
                to = next((where for k, where in kept_texts if key in k), None)
            if to is None:
                parsed = parse_date_line(text)
                if parsed and any(s[0] == self.art.published for s in parsed.stamps):
                    to = "authors+published" if parsed.authors else "published"
            record = LineRecord(number, text, to=to)
            if to is None:
                record.dropped = (
                    self.dropped_in_body.get(key)
                    or vocab.boilerplate(text, in_body=False)
                    or (RELATED if vocab.related_heading(text) else None)
                    or region
                    or EXTRACTOR
                )
            records.append(record)
        return records


def _shift(where: str) -> str:
    """``body[3]`` -> ``body[2]`` after the first paragraph became the lead."""
    if where == "body[0]":
        return "lead"
    if where.startswith("body["):
        return f"body[{int(where[5:-1]) - 1}]"
    return where
