"""The one contract between input files and the rest of the pipeline.

Input models use ``extra="forbid"`` so that a misspelt key is an error, not a silently ignored
field. Validators raise ``ValueError`` with a short reason ("is not a date"); the loader turns
these into one-line problems naming the file, the field and the offending value.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import uuid
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d",
)


def _parse_datetime(value: object) -> dt.datetime:
    """Accept ISO and Vietnamese day-first forms; a naive time is Vietnam time."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        text = value.strip()
        parsed = None
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            for fmt in _DATE_FORMATS:
                try:
                    parsed = dt.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
        if parsed is None:
            raise ValueError("is not a date")
    else:
        raise ValueError("is not a date")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VN_TZ)
    return parsed


def _parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _parse_datetime(value).date()


def _one_or_many(value: object) -> object:
    """``authors: Xuân Hiếu`` is as natural as a list of one."""
    return [value] if isinstance(value, str) else value


_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _check_slug(value: str) -> str:
    if not _SLUG_RE.match(value):
        raise ValueError("is not a slug (lowercase ASCII letters, digits and hyphens)")
    return value


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        raise ValueError("is not an http(s) URL")
    return value


_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _check_color(value: str) -> str:
    if not _COLOR_RE.match(value):
        raise ValueError("is not a colour like #b3261e")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
DateTime = Annotated[dt.datetime, BeforeValidator(_parse_datetime)]
Date = Annotated[dt.date, BeforeValidator(_parse_date)]
Slug = Annotated[str, AfterValidator(_check_slug)]
Url = Annotated[str, AfterValidator(_check_url)]
Color = Annotated[str, AfterValidator(_check_color)]
Names = Annotated[list[Text], BeforeValidator(_one_or_many)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Figure(Model):
    """A picture with the words a blind reader and a print reader need."""

    file: Text
    alt: Text
    caption: str | None = None
    credit: str | None = None
    # Print: span both columns (a map, a chart with small labels). Wide pictures always do.
    wide: bool = False


class ArticleMeta(Model):
    """What the front matter of an article file may hold."""

    title: Text
    slug: Slug | None = None
    section: str | None = None
    kicker: str | None = None
    authors: Names = Field(default_factory=list)
    attribution: str | None = None
    # The site's own tag an imported lead began with ("TTO", "QNO"): kept, not printed.
    source_prefix: str | None = None
    published: DateTime
    updated: DateTime | None = None
    lead: str | None = None
    pull_quote: str | None = None
    figures: list[Figure] = Field(default_factory=list)
    tags: Names = Field(default_factory=list)
    source_url: Url | None = None
    language: Literal["vi"] = "vi"
    # A short item (news in brief, a notice, a house advertisement) that the print edition
    # places where a section leaves a gap, not in reading order (issue 14); the e-book shows
    # it after the section it was printed in.
    filler: bool = False

    @model_validator(mode="after")
    def _updated_after_published(self) -> ArticleMeta:
        if self.updated is not None and self.updated < self.published:
            raise ValueError("updated: is earlier than published")
        return self


class ArticleInput(ArticleMeta):
    """A JSON article file: the front matter fields plus the Markdown body."""

    body: str = ""


class HtmlBlock(Model):
    """One top-level element of the body as sanitised XHTML."""

    kind: Literal["html"] = "html"
    html: str


class FigureBlock(Model):
    kind: Literal["figure"] = "figure"
    figure: Figure
    id: str | None = None


Block = Annotated[HtmlBlock | FigureBlock, Field(discriminator="kind")]


class Article(ArticleInput):
    """A loaded article: paths resolved, body converted once into blocks.

    ``top_figure`` is the first front-matter figure (shown under the lead); the other
    front-matter figures are spread through the body as figure blocks.
    """

    slug: Slug
    section: str
    blocks: list[Block]
    top_figure: Figure | None = None
    body_line: int = Field(default=1, description="line of the file where the body starts")
    source: str = Field(description="path of the article file, relative to the bulletin folder")


class DateRange(Model):
    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class SectionSpec(Model):
    """A section as listed in ``bulletin.toml``: a title and article files, in order."""

    title: Text
    slug: Slug | None = None
    accent: Color | None = None
    # An empty list is allowed: the loader warns and leaves the section out.
    articles: list[Text]


class TypographyOptions(Model):
    tone_style: Literal["keep", "old", "new"] = "keep"
    justify: bool = False
    allow_letters: str = ""


# Sheet sizes in mm, and margins (top, bottom, inner, outer) that suit each.
PAGE_SIZES = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "Letter": (215.9, 279.4)}
DEFAULT_MARGINS = {"A4": (20, 18, 18, 15), "A5": (16, 15, 15, 12), "Letter": (20, 18, 18, 15)}
_LENGTH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|in)\s*$")
_TO_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4}


def _check_page_size(value: str) -> str:
    if value in PAGE_SIZES:
        return value
    parts = value.split()
    if len(parts) == 2 and all(_LENGTH_RE.match(p) for p in parts):
        return value
    raise ValueError('is not A4, A5, Letter or a size like "170mm 240mm"')


def parse_length_mm(text: str) -> float:
    match = _LENGTH_RE.match(text)
    assert match, text
    return float(match.group(1)) * _TO_MM[match.group(2)]


class Margins(Model):
    """Page margins in mm; inner is the binding side (left on right-hand pages)."""

    top: float = Field(ge=0, le=100)
    bottom: float = Field(ge=0, le=100)
    inner: float = Field(ge=0, le=100)
    outer: float = Field(ge=0, le=100)


# What pads an issue to a multiple of ``page_multiple`` pages ("fillers", short items taken
# from the issue, may come later).
PAD_KINDS = ("notes", "blank", "fillers")
PAGE_MULTIPLES = (1, 2, 4, 8, 16)


def _check_pad(value: object) -> object:
    if value in PAD_KINDS:
        return value
    reason = 'is not "notes", "blank" or "fillers"'
    if isinstance(value, str):  # as editorial.closest_word does (which imports this module)
        meant = difflib.get_close_matches(value.strip().casefold(), PAD_KINDS, n=1, cutoff=0.6)
        if meant:
            reason += f'; did you mean "{meant[0]}"?'
    raise ValueError(reason)


SECTION_STARTS = ("page", "flow")


def _check_section_start(value: object) -> object:
    if value in SECTION_STARTS:
        return value
    reason = 'is not "page" or "flow"'
    if isinstance(value, str):
        meant = difflib.get_close_matches(value.strip().casefold(), SECTION_STARTS, cutoff=0.6)
        if meant:
            reason += f'; did you mean "{meant[0]}"?'
    raise ValueError(reason)


def _check_page_multiple(value: object) -> object:
    if isinstance(value, bool) or value not in PAGE_MULTIPLES:
        raise ValueError("is not 1, 2, 4, 8 or 16")
    return value


class PdfOptions(Model):
    page_size: Annotated[str, AfterValidator(_check_page_size)] = "A4"
    margins_mm: Margins | None = None
    # "auto": two columns when the text block is at least 140 mm wide (A4, Letter), else one.
    columns: Literal["auto", 1, 2] = "auto"
    print_ready: bool = False
    variant: Literal["pdf/a-3b", "pdf/ua-1"] | None = None
    image_dpi: int = Field(default=300, ge=72, le=1200)
    jpeg_quality: int = Field(default=85, ge=30, le=100)
    # The page count made a multiple of this after layout (4: a saddle-stitched issue, 2:
    # printed on both sides of loose sheets); 1 leaves it as the content makes it.
    page_multiple: Annotated[int, BeforeValidator(_check_page_multiple)] = 1
    # What the pages added are: "notes" (titled "Ghi chú", ruled for notes), "blank", or
    # "fillers": the fillers no gap took, then blank.
    pad: Annotated[Literal["notes", "blank", "fillers"], BeforeValidator(_check_pad)] = "notes"
    # A gap at the end of a section is given a filler (an article with ``filler: true``) when
    # at least this many lines of the page are left under it.
    filler_gap_lines: int = Field(default=5, ge=1, le=60)
    # Where a section begins: on a page of its own, or ("flow") on the page where the one
    # before ends when at least a third of it is left.
    section_start: Annotated[Literal["page", "flow"], BeforeValidator(_check_section_start)] = (
        "page"
    )

    @property
    def size_mm(self) -> tuple[float, float]:
        if self.page_size in PAGE_SIZES:
            return PAGE_SIZES[self.page_size]
        width, height = self.page_size.split()
        return parse_length_mm(width), parse_length_mm(height)

    @property
    def margins(self) -> Margins:
        if self.margins_mm is not None:
            return self.margins_mm
        top, bottom, inner, outer = DEFAULT_MARGINS.get(
            self.page_size, DEFAULT_MARGINS["A5" if self.size_mm[0] < 180 else "A4"]
        )
        return Margins(top=top, bottom=bottom, inner=inner, outer=outer)

    @property
    def column_count(self) -> int:
        if self.columns != "auto":
            return self.columns
        margins = self.margins
        return 2 if self.size_mm[0] - margins.inner - margins.outer >= 140 else 1


class EpubOptions(Model):
    pass


# Stories beside the lead on the print front page: three fit under the editor's note on A4
# (a fourth pushes the front page onto a second page).
FRONT_PAGE_TEASERS = 3


class BulletinSpec(Model):
    """What ``bulletin.toml`` may hold."""

    publication: Text
    issue: int = Field(ge=1)
    year: int = Field(ge=1900, le=2200)
    week: DateRange
    editor_note: str | None = None
    cover: str | None = None
    identifier: str | None = None
    publisher: str | None = None
    rights: str | None = None
    language: Literal["vi"] = "vi"
    typography: TypographyOptions = Field(default_factory=TypographyOptions)
    pdf: PdfOptions = Field(default_factory=PdfOptions)
    epub: EpubOptions = Field(default_factory=EpubOptions)
    # The editor's front page: the lead story and the others shown beside it, as article
    # files listed in the sections. Unset: the loader's default (see render.pages.front_page).
    lead: Text | None = None
    teasers: list[Text] | None = None
    sections: list[SectionSpec] = Field(min_length=1)


class Section(Model):
    title: Text
    slug: Slug
    accent: Color | None = None
    articles: list[Article]


class Bulletin(Model):
    """A whole issue, validated: the only thing later stages see."""

    root: Path
    publication: Text
    issue: int
    year: int
    week: DateRange
    editor_note_html: str | None = None
    cover: str | None = None
    identifier: str
    publisher: str | None = None
    rights: str | None = None
    language: Literal["vi"] = "vi"
    typography: TypographyOptions
    pdf: PdfOptions
    epub: EpubOptions
    sections: list[Section]
    # Front page chosen in bulletin.toml: ``Article.source`` of the lead and of the teasers.
    lead_file: str | None = None
    teaser_files: list[str] | None = None

    @property
    def articles(self) -> list[Article]:
        return [article for section in self.sections for article in section.articles]

    @property
    def fillers(self) -> list[Article]:
        return [article for article in self.articles if article.filler]

    def without_fillers(self) -> Bulletin:
        """The bulletin in reading order without its fillers (which the print edition
        places after layout); a section holding only fillers is left out."""
        if not self.fillers:
            return self
        sections = [
            s.model_copy(update={"articles": [a for a in s.articles if not a.filler]})
            for s in self.sections
        ]
        return self.model_copy(update={"sections": [s for s in sections if s.articles]})

    def with_fillers_after(self, placed: dict[str, str] | None = None) -> Bulletin:
        """The bulletin with each filler at the end of the section it was printed in
        (``placed``: filler slug -> section slug), else of the section it is listed in."""
        if not self.fillers:
            return self
        placed = placed or {}
        known = {s.slug for s in self.sections}
        ends: dict[str, list[Article]] = {}
        for section in self.sections:
            for article in section.articles:
                if article.filler:
                    where = placed.get(article.slug, section.slug)
                    ends.setdefault(where if where in known else section.slug, []).append(article)
        sections = [
            s.model_copy(
                update={"articles": [a for a in s.articles if not a.filler] + ends.get(s.slug, [])}
            )
            for s in self.sections
        ]
        return self.model_copy(update={"sections": [s for s in sections if s.articles]})

    @property
    def authors(self) -> list[str]:
        """Every author once, in order of first appearance."""
        return list(dict.fromkeys(a for article in self.articles for a in article.authors))

    @property
    def title(self) -> str:
        return f"{self.publication} – Số {self.issue}/{self.year}"


def default_identifier(publication: str, year: int, issue: int) -> str:
    """A stable identifier: the same issue always gets the same ``dc:identifier``."""
    name = f"exporter:{publication.strip().casefold()}:{year}:{issue}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"
