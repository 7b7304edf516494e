"""The OPDS 1.2 acquisition feed (Atom 1.0) that reader apps subscribe to.

Every date in it comes from the issues (or SOURCE_DATE_EPOCH), never from the clock, and
identifiers are the EPUBs' own ``dc:identifier``: the same archive always gives the same feed,
and a reader app sees an issue as the same book wherever it downloaded it from.
"""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import quote, urljoin

from lxml import etree

from exporter.vietnamese import formats

from .scan import Issue

ATOM = "http://www.w3.org/2005/Atom"
DCTERMS = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"
REL_ACQUISITION = "http://opds-spec.org/acquisition"
REL_IMAGE = "http://opds-spec.org/image"
REL_THUMBNAIL = "http://opds-spec.org/image/thumbnail"
FEED_NAME = "opds.xml"
INDEX_NAME = "index.html"
FORMAT_LABELS = {"pdf": "PDF", "epub": "EPUB"}


def href(name: str, base_url: str | None) -> str:
    """Relative to the feed, or absolute under ``base_url`` when the site's address is known."""
    relative = quote(name)
    if not base_url:
        return relative
    return urljoin(base_url if base_url.endswith("/") else base_url + "/", relative)


def atom_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_id(issues: list[Issue]) -> str:
    """Stable across runs and hosts: from the publications catalogued, not the folder's path."""
    slugs = ",".join(sorted({issue.slug for issue in issues}))
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'exporter-catalog:{slugs}')}"


def week_label(issue: Issue) -> str | None:
    """``Tuần 20–26/11/2023`` when the files state the week, ``Ngày 26/11/2023`` if only its end."""
    if issue.week_start and issue.week_end:
        return f"Tuần {formats.date_range(issue.week_start, issue.week_end)}"
    if issue.week_end:
        return f"Ngày {formats.date_range(issue.week_end, issue.week_end)}"
    return None


def summary(issue: Issue) -> str:
    """One Vietnamese sentence: publication, issue, week, editions."""
    parts = [f"{issue.publication} số {issue.number} năm {issue.year}"]
    week = week_label(issue)
    if week:
        parts.append(week[0].lower() + week[1:])
    editions = " và ".join(FORMAT_LABELS[f] for f in issue.files)
    return f"{', '.join(parts)}. Bản {editions}."


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def build_feed(
    issues: list[Issue],
    *,
    title: str,
    author: str,
    updated: dt.datetime,
    cover_names: dict[str, str],
    sizes: dict[str, dict[str, str]],
    base_url: str | None = None,
) -> bytes:
    """The feed's bytes (UTF-8, indented). ``cover_names``: stem -> covers/<stem>.jpg;
    ``sizes``: stem -> format -> "1,3 MB" (link titles say what is downloaded)."""
    a = f"{{{ATOM}}}"
    d = f"{{{DCTERMS}}}"
    feed = etree.Element(f"{a}feed", nsmap={None: ATOM, "dcterms": DCTERMS, "opds": OPDS})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "vi")
    _sub(feed, f"{a}id", feed_id(issues))
    _sub(feed, f"{a}title", title)
    _sub(feed, f"{a}subtitle", "Các số đã phát hành, số mới nhất ở đầu; bản PDF và EPUB.")
    _sub(feed, f"{a}updated", atom_time(updated))
    _sub(_sub(feed, f"{a}author"), f"{a}name", author)
    feed_href = href(FEED_NAME, base_url)
    _sub(feed, f"{a}link", rel="self", href=feed_href, type=ACQUISITION_FEED)
    _sub(feed, f"{a}link", rel="start", href=feed_href, type=ACQUISITION_FEED, title=title)
    _sub(
        feed,
        f"{a}link",
        rel="alternate",
        href=href(INDEX_NAME, base_url),
        type="text/html",
        title="Trang tải về",
    )

    for issue in issues:
        entry = _sub(feed, f"{a}entry")
        _sub(entry, f"{a}title", issue.title)
        _sub(entry, f"{a}id", issue.identifier)
        _sub(entry, f"{a}updated", atom_time(issue.updated))
        for name in issue.creators or [issue.publisher or issue.publication]:
            _sub(_sub(entry, f"{a}author"), f"{a}name", name)
        _sub(entry, f"{d}language", issue.language)
        if issue.publisher:
            _sub(entry, f"{d}publisher", issue.publisher)
        if issue.issued:
            _sub(entry, f"{d}issued", issue.issued.isoformat())
        _sub(entry, f"{a}summary", summary(issue))
        if issue.headlines:
            _sub(
                entry,
                f"{a}content",
                "Trong số này: " + "; ".join(issue.headlines) + ".",
                type="text",
            )
        cover = href(cover_names[issue.stem], base_url)
        _sub(entry, f"{a}link", rel=REL_IMAGE, href=cover, type="image/jpeg")
        _sub(entry, f"{a}link", rel=REL_THUMBNAIL, href=cover, type="image/jpeg")
        for fmt in ("epub", "pdf"):  # reader apps take the first they can open: EPUB reflows
            if fmt not in issue.files:
                continue
            item = issue.files[fmt]
            _sub(
                entry,
                f"{a}link",
                rel=REL_ACQUISITION,
                href=href(item.path.name, base_url),
                type=item.media_type,
                length=str(item.size),
                title=f"Tải {FORMAT_LABELS[fmt]} ({sizes[issue.stem][fmt]})",
            )
    etree.indent(feed, space="  ")
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
