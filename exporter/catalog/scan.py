"""Find the issues in an output folder and read what the files themselves say about them.

The catalogue is built from the published files only (no bulletin folder is needed, so an
archive of old issues can be catalogued): the EPUB's package document when there is an EPUB,
else the PDF's document information. Reading is defensive: a file that is not an issue or
cannot be read becomes a :class:`Skipped` line and the others are still catalogued.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lxml import etree

from exporter.render.theme import Theme
from exporter.source.models import default_identifier

from .covers import pdf_thumbnail, placeholder_thumbnail, thumbnail

# <publication-slug>-<year>-so-<issue, at least 2 digits>.<pdf|epub>, as exporter.output names it
FILE_RE = re.compile(
    r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<year>\d{4})-so-(?P<number>\d{2,})"
    r"\.(?P<format>pdf|epub)$"
)
MEDIA_TYPES = {"epub": "application/epub+zip", "pdf": "application/pdf"}
FORMAT_ORDER = ("pdf", "epub")
# Files the catalogue writes itself: never reported as "not an issue".
OWN_FILES = frozenset({"index.html", "opds.xml"})
# What `exporter build` writes beside an issue for the printer, not for readers.
PRINTER_FILE_RE = re.compile(r"-so-\d{2,}-booklet\.pdf$")
# exporter titles an issue "<publication> – Số <issue>/<year>" (models.Bulletin.title).
TITLE_RE = re.compile(r"^(?P<publication>.+?)\s+[–-]\s+Số\s+(?P<number>\d+)/(?P<year>\d{4})$")
# "tuần 20–26/11/2023", "tuần 27/11–3/12/2023", "tuần 29/12/2023–4/1/2024" (formats.date_range)
WEEK_RE = re.compile(
    r"tuần\s+(?P<d1>\d{1,2})(?:/(?P<m1>\d{1,2}))?(?:/(?P<y1>\d{4}))?\s*[–-]\s*"
    r"(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4})",
    re.IGNORECASE,
)
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # an OPF, a cover page or a cover picture larger than this
# is not what exporter writes: refuse it rather than inflate a zip bomb

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
T = TypeVar("T")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class IssueFile:
    """One edition of an issue on disk."""

    format: str  # "pdf" | "epub"
    path: Path
    size: int

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


@dataclass(frozen=True)
class Skipped:
    """A file left out of the catalogue, and why (one line, English like the CLI)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.reason}"


@dataclass
class Issue:
    """One issue as the catalogue shows it; every field comes from the files themselves."""

    stem: str
    slug: str
    year: int
    number: int
    publication: str
    title: str
    identifier: str
    updated: dt.datetime  # UTC; EPUB dcterms:modified or PDF /ModDate, never the clock
    language: str = "vi"
    publisher: str | None = None
    rights: str | None = None
    creators: list[str] = field(default_factory=list)
    week_start: dt.date | None = None  # only when a file states the week (never guessed)
    week_end: dt.date | None = None  # EPUB dc:date (exporter writes the week's last day)
    headlines: list[str] = field(default_factory=list)
    files: dict[str, IssueFile] = field(default_factory=dict)  # "pdf", "epub"
    cover: bytes = b""  # JPEG thumbnail, at most covers.MAX_WIDTH wide
    cover_size: tuple[int, int] = (0, 0)
    cover_source: str = ""  # "epub" | "pdf" | "placeholder"

    @property
    def issued(self) -> dt.date | None:
        return self.week_end

    @property
    def sort_key(self) -> tuple[int, int, dt.date, str]:
        return (self.year, self.number, self.week_end or dt.date.min, self.slug)


@dataclass
class _Read:
    """What one file says (fields it does not know stay empty)."""

    title: str | None = None
    identifier: str | None = None
    language: str | None = None
    publisher: str | None = None
    rights: str | None = None
    creators: list[str] = field(default_factory=list)
    date: dt.date | None = None
    updated: dt.datetime | None = None
    week: tuple[dt.date, dt.date] | None = None
    headlines: list[str] = field(default_factory=list)
    cover: bytes | None = None


def parse_week(text: str) -> tuple[dt.date, dt.date] | None:
    """The week exporter prints as ``tuần 20–26/11/2023`` (``formats.date_range``)."""
    match = WEEK_RE.search(text)
    if not match:
        return None
    g = match.groupdict()
    try:
        end = dt.date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        start = dt.date(
            int(g["y1"] or end.year), int(g["m1"] or end.month), int(g["d1"] or end.day)
        )
    except ValueError:
        return None
    return (start, end) if start <= end else None


def _parse_iso_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _parse_iso_datetime(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _clean(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text or None


def _zip_read(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > MAX_ENTRY_BYTES:
        raise ValueError(f"{name} is {info.file_size:,} bytes uncompressed")
    return book.read(info)


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


class _Epub:
    """An EPUB opened for reading: its package document and the files it names."""

    def __init__(self, book: zipfile.ZipFile) -> None:
        self.book = book
        container = _xml(_zip_read(book, "META-INF/container.xml"))
        rootfile = container.find(".//c:rootfile", NS)
        if rootfile is None or not rootfile.get("full-path"):
            raise ValueError("META-INF/container.xml names no package document")
        self.opf_name = rootfile.get("full-path", "")
        self.opf = _xml(_zip_read(book, self.opf_name))
        metadata = self.opf.find("opf:metadata", NS)
        if metadata is None:
            raise ValueError(f"{self.opf_name} has no metadata")
        self.metadata = metadata
        self.manifest = {
            item.get("id", ""): item
            for item in self.opf.iterfind("opf:manifest/opf:item", NS)
            if item.get("id") and item.get("href")
        }

    def read(self, href: str) -> bytes:
        """A file named by an href relative to the package document."""
        base = posixpath.dirname(self.opf_name)
        return _zip_read(self.book, posixpath.normpath(posixpath.join(base, href.split("#")[0])))

    def document(self, href: str) -> etree._Element | None:
        try:
            return _xml(self.read(href))
        except (KeyError, ValueError, etree.XMLSyntaxError):
            return None

    def text(self, path: str) -> str | None:
        return _clean(self.metadata.findtext(path, namespaces=NS))

    def item_with(self, prop: str) -> etree._Element | None:
        return next(
            (i for i in self.manifest.values() if prop in (i.get("properties") or "").split()),
            None,
        )

    def identifier(self) -> str | None:
        """The ``dc:identifier`` the package names as unique (the first one otherwise)."""
        unique = self.opf.get("unique-identifier")
        ids = self.metadata.findall("dc:identifier", NS)
        chosen = next((i for i in ids if unique and i.get("id") == unique), None)
        if chosen is None and ids:
            chosen = ids[0]
        return _clean(chosen.text) if chosen is not None else None

    def cover(self) -> bytes | None:
        item = self.item_with("cover-image")
        if item is None:  # EPUB 2: <meta name="cover" content="item-id"/>
            meta = self.metadata.find("opf:meta[@name='cover']", NS)
            item = self.manifest.get(meta.get("content", "")) if meta is not None else None
        return self.read(item.get("href", "")) if item is not None else None

    def week(self) -> tuple[dt.date, dt.date] | None:
        """exporter's cover page reads "Bìa <publication>, số N, tuần 20–26/11/2023"."""
        pages = [
            r.get("href", "")
            for r in self.opf.iterfind("opf:guide/opf:reference", NS)
            if r.get("type") == "cover"
        ]
        spine = [
            self.manifest[ref.get("idref", "")].get("href", "")
            for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)
            if ref.get("idref") in self.manifest
        ]
        for href in [*pages, *spine[:2]]:
            page = self.document(href)
            if page is not None:
                week = parse_week(" ".join([*page.itertext(), *page.xpath(".//@alt")]))
                if week:
                    return week
        return None

    def headlines(self) -> list[str]:
        """The article titles of the navigation document's table of contents."""
        nav = self.item_with("nav")
        doc = self.document(nav.get("href", "")) if nav is not None else None
        toc = doc.find(".//x:nav[@epub:type='toc']", NS) if doc is not None else None
        if toc is None:
            return []
        titles = (_clean("".join(a.itertext())) for a in toc.iterfind(".//x:a", NS))
        return [t for t in titles if t]


def read_epub(path: Path) -> _Read:
    """The package document's metadata, the cover picture, the week and the headlines."""
    with zipfile.ZipFile(path) as book:
        epub = _Epub(book)
        return _Read(
            title=epub.text("dc:title"),
            identifier=epub.identifier(),
            language=epub.text("dc:language"),
            publisher=epub.text("dc:publisher"),
            rights=epub.text("dc:rights"),
            creators=[
                c for c in (_clean(e.text) for e in epub.metadata.iterfind("dc:creator", NS)) if c
            ],
            date=_parse_iso_date(epub.text("dc:date")),
            updated=_parse_iso_datetime(epub.text("opf:meta[@property='dcterms:modified']")),
            week=epub.week(),
            headlines=epub.headlines(),
            cover=epub.cover(),
        )


def _pdf_date(value: object) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _outline_leaves(items: Iterable[object]) -> list[str]:
    """Bookmark titles that have no children: the articles (sections hold them)."""
    leaves: list[str] = []
    items = list(items)
    for n, item in enumerate(items):
        if isinstance(item, list):
            leaves.extend(_outline_leaves(item))
            continue
        has_children = n + 1 < len(items) and isinstance(items[n + 1], list)
        title = _clean(getattr(item, "title", None))
        if title and not has_children:
            leaves.append(title)
    return leaves


def read_pdf(path: Path) -> _Read:
    """The document information dictionary (pypdf), the catalogue's /Lang and the bookmarks."""
    from pypdf import PdfReader  # imported on first use: listing an EPUB-only folder skips it

    reader = PdfReader(path, strict=False)
    info = reader.metadata
    read = _Read()
    if info is not None:
        read.title = _clean(info.title)
        authors = _clean(info.author)
        read.creators = [a.strip() for a in authors.split(",") if a.strip()] if authors else []
        subject = _clean(info.subject)
        read.week = parse_week(subject) if subject else None
        read.updated = _pdf_date(_safe(lambda: info.modification_date)) or _pdf_date(
            _safe(lambda: info.creation_date)
        )
    lang = _safe(lambda: reader.root_object.get("/Lang"))
    read.language = _clean(str(lang)) if lang else None
    read.headlines = _safe(lambda: _outline_leaves(reader.outline)) or []
    if not reader.pages:
        raise ValueError("the PDF has no pages")
    return read


def _safe(call: Callable[[], T]) -> T | None:
    """A metadata field pypdf cannot parse is missing, not a reason to skip the file."""
    try:
        return call()
    except Exception:  # noqa: BLE001 - pypdf raises many types for malformed values
        return None


def _derived_identifier(publication: str | None, slug: str, year: int, number: int) -> str:
    """What exporter gives an issue without an explicit identifier, so PDF and EPUB agree."""
    if publication:
        return default_identifier(publication, year, number)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'exporter:{slug}:{year}:{number}')}"


def _issue(
    stem: str,
    match: re.Match[str],
    reads: dict[str, _Read],
    files: dict[str, IssueFile],
    theme: Theme,
    warnings: list[str],
) -> Issue:
    """Merge what the files say: the EPUB first, the PDF fills the gaps."""
    slug, year, number = match["slug"], int(match["year"]), int(match["number"])
    ordered = [reads[f] for f in ("epub", "pdf") if f in reads]

    def first(attr: str) -> Any:
        return next((getattr(r, attr) for r in ordered if getattr(r, attr)), None)

    title: str | None = first("title")
    parsed = TITLE_RE.match(title) if title else None
    publication = parsed["publication"] if parsed else slug.replace("-", " ").title()
    title = title or f"{publication} – Số {number}/{year}"

    # The week's end is the EPUB's dc:date (or the PDF's stated week); its start is shown only
    # when a file states the same week, never guessed.
    week: tuple[dt.date, dt.date] | None = first("week")
    end = reads["epub"].date if "epub" in reads else None
    if end is None and week:
        end = week[1]
    start = week[0] if week and week[1] == end else None

    updated = max((r.updated for r in ordered if r.updated), default=None)
    if updated is None:
        updated = dt.datetime.combine(end or dt.date(year, 1, 1), dt.time(), tzinfo=dt.UTC)
    identifier = first("identifier") or _derived_identifier(
        publication if parsed else None, slug, year, number
    )

    issue = Issue(
        stem=stem,
        slug=slug,
        year=year,
        number=number,
        publication=publication,
        title=title,
        identifier=identifier,
        updated=updated,
        language=first("language") or "vi",
        publisher=first("publisher"),
        rights=first("rights"),
        creators=list(first("creators") or []),
        week_start=start,
        week_end=end,
        headlines=list(first("headlines") or []),
        files={f: files[f] for f in FORMAT_ORDER if f in files},
    )
    _add_cover(issue, reads, theme, warnings)
    return issue


def _add_cover(issue: Issue, reads: dict[str, _Read], theme: Theme, warnings: list[str]) -> None:
    """EPUB cover picture, else the PDF's first page, else a drawn card: every issue has one."""
    cover = reads["epub"].cover if "epub" in reads else None
    if cover:
        try:
            issue.cover, issue.cover_size = thumbnail(cover)
            issue.cover_source = "epub"
            return
        except Exception as exc:  # noqa: BLE001 - Pillow raises many types for bad pictures
            warnings.append(f"{issue.stem}.epub: cover picture unreadable ({_reason(exc)})")
    if "pdf" in issue.files:
        try:
            issue.cover, issue.cover_size = pdf_thumbnail(issue.files["pdf"].path)
            issue.cover_source = "pdf"
            return
        except Exception as exc:  # noqa: BLE001 - pdfium raises for damaged pages
            warnings.append(f"{issue.stem}.pdf: first page not rendered ({_reason(exc)})")
    issue.cover, issue.cover_size = placeholder_thumbnail(
        issue.publication, issue.number, issue.year, theme
    )
    issue.cover_source = "placeholder"


def scan(
    out_dir: Path | str,
    skipped: list[Skipped] | None = None,
    warnings: list[str] | None = None,
    *,
    theme: Theme | None = None,
) -> list[Issue]:
    """Every issue in ``out_dir``, newest first; files left out are appended to ``skipped``.

    Reads only, writes nothing (thumbnails are returned as bytes). Sub-folders, hidden files
    and the catalogue's own files are ignored silently; ``warnings`` gets what was worked
    around (a cover drawn instead of read, an identifier two issues share).
    """
    folder = Path(out_dir)
    theme = theme or Theme()
    skipped = skipped if skipped is not None else []
    warnings = warnings if warnings is not None else []
    groups: dict[str, tuple[re.Match[str], dict[str, IssueFile]]] = {}
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(".") or name in OWN_FILES or not path.is_file():
            continue
        if PRINTER_FILE_RE.search(name):
            continue  # the printer's booklet: not offered to readers, not "not an issue"
        match = FILE_RE.match(name)
        if not match:
            skipped.append(Skipped(path, "not an issue (<publication>-<year>-so-<NN>.pdf/.epub)"))
            continue
        stem = name.rsplit(".", 1)[0]
        entry = groups.setdefault(stem, (match, {}))
        entry[1][match["format"]] = IssueFile(match["format"], path, path.stat().st_size)

    issues: list[Issue] = []
    for stem, (match, files) in groups.items():
        reads: dict[str, _Read] = {}
        for fmt, item in list(files.items()):
            try:
                reads[fmt] = read_epub(item.path) if fmt == "epub" else read_pdf(item.path)
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the catalogue
                skipped.append(Skipped(item.path, f"unreadable {fmt.upper()}: {_reason(exc)}"))
                del files[fmt]
        if files:
            issues.append(_issue(stem, match, reads, files, theme, warnings))

    issues.sort(key=lambda i: i.sort_key, reverse=True)
    seen: set[str] = set()
    for issue in reversed(issues):  # the oldest keeps an identifier two issues share
        if issue.identifier in seen:
            derived = _derived_identifier(None, issue.stem, issue.year, issue.number)
            warnings.append(
                f"{issue.stem}: identifier {issue.identifier} is also an older issue's; "
                f"the feed uses {derived}"
            )
            issue.identifier = derived
        seen.add(issue.identifier)
    return issues


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"
