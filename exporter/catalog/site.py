"""``index.html``: the archive as a Vietnamese download page that works offline.

One page, no JavaScript, no network: the stylesheet is inlined (``styles/catalog.css``, which a
theme may override like the editions' styles) and the bundled Noto faces are cut down to the
Vietnamese alphabet plus what the page prints, so every diacritic looks the same on every
device instead of falling back to whatever the system has.
"""

from __future__ import annotations

import datetime as dt
import io
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.numbers import format_decimal
from fontTools.ttLib import TTFont
from markupsafe import Markup

from exporter.backends.epub.screen_fonts import ALWAYS, subset_font
from exporter.render.theme import Theme
from exporter.vietnamese import formats
from exporter.vietnamese.letters import VI_LETTERS

from .opds import ACQUISITION_FEED, FEED_NAME, FORMAT_LABELS, href, week_label
from .scan import Issue

TEMPLATE = "catalog/index.html"
STYLESHEET = "catalog.css"
FONT_DIR = "fonts"
LICENCE = "OFL.txt"
EAGER = 4  # covers of the first cards load at once; the rest when scrolled to


@dataclass(frozen=True)
class Face:
    """One web font the page uses: the bundled TTF and the family name the CSS asks for."""

    source: str  # file in styles/fonts
    family: str
    weight: int

    @property
    def file(self) -> str:
        return f"{FONT_DIR}/{self.source.removesuffix('.ttf')}.woff"


FACES = (
    Face("NotoSans-Regular.ttf", "Noto Sans", 400),
    Face("NotoSans-Bold.ttf", "Noto Sans", 700),
    Face("NotoSerifDisplay-Bold.ttf", "Noto Serif Display", 700),
)
# Always in the fonts, so they change only when the page starts printing something new.
BASE_CHARACTERS = VI_LETTERS + string.printable.strip() + ALWAYS + "\u00a0©–—’"


def file_size(size: int) -> str:
    """``1,3 MB``, ``850 kB``: SI units, Vietnamese decimal comma, no-break space."""
    nbsp = formats.NBSP
    if size < 1000:
        return f"{size}{nbsp}byte"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        value = size / scale
        if value < 999.95 or unit == "GB":
            pattern = "#,##0.0" if value < 9.95 else "#,##0"
            return f"{format_decimal(value, pattern, locale=formats.LOCALE)}{nbsp}{unit}"
    raise AssertionError("unreachable")


def catalogue_title(issues: list[Issue]) -> str:
    publications = list(dict.fromkeys(issue.publication for issue in issues))
    if len(publications) == 1:
        return f"{publications[0]} – Kho lưu trữ"
    return "Kho lưu trữ bản tin"


def _card(issue: Issue, position: int, cover: str, show_publication: bool) -> dict[str, object]:
    name = f"{issue.publication} số {issue.number}"
    downloads = [
        {
            "format": fmt,
            "label": FORMAT_LABELS[fmt],
            "href": href(item.path.name, None),
            "type": item.media_type,
            "size": file_size(item.size),
        }
        for fmt, item in issue.files.items()
    ]
    return {
        "id": issue.stem,
        "number": issue.number,
        "year": issue.year,
        "name": name,
        "publication": issue.publication if show_publication else None,
        "week": week_label(issue) or f"Năm {issue.year}",
        "cover": href(cover, None),
        "cover_width": issue.cover_size[0],
        "cover_height": issue.cover_size[1],
        "cover_alt": f"Bìa {name}",
        "eager": position < EAGER,
        "downloads": downloads,
    }


def render_index(
    issues: list[Issue],
    *,
    theme: Theme,
    cover_names: dict[str, str],
    updated: dt.datetime,
    base_url: str | None,
) -> str:
    """The page's HTML; cards grouped by year, newest first, as ``issues`` is ordered."""
    css = theme.style(STYLESHEET).read_text(encoding="utf-8")
    if "</style" in css.lower():
        raise ValueError(f"{STYLESHEET} must not contain '</style'")
    show_publication = len({issue.publication for issue in issues}) > 1
    years: list[dict[str, object]] = []
    for position, issue in enumerate(issues):
        if not years or years[-1]["year"] != issue.year:
            years.append({"year": issue.year, "cards": []})
        cards = years[-1]["cards"]
        assert isinstance(cards, list)
        cards.append(_card(issue, position, cover_names[issue.stem], show_publication))
    newest = issues[0]
    env = theme.environment()
    return env.get_template(TEMPLATE).render(
        title=catalogue_title(issues),
        publication=newest.publication if not show_publication else None,
        years=years,
        count=len(issues),
        feed_href=FEED_NAME,
        feed_type=ACQUISITION_FEED,
        feed_url=href(FEED_NAME, base_url) if base_url else None,
        updated=formats.short_date(updated.date()),
        updated_iso=updated.strftime("%Y-%m-%d"),
        publisher=newest.publisher,
        rights=newest.rights,
        faces=FACES,
        licence_href=f"{FONT_DIR}/{LICENCE}",
        css=Markup(css),  # noqa: S704 - the theme's own stylesheet, checked for </style above
    )


@lru_cache(maxsize=16)
def _woff(path: str, size: int, mtime_ns: int, characters: str) -> bytes:
    """Subsetting takes about half a second a face: a process cataloguing again reuses it."""
    subset = subset_font(Path(path).read_bytes(), characters)
    font = TTFont(io.BytesIO(subset), recalcTimestamp=False)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def web_fonts(page: str, theme: Theme) -> dict[str, bytes]:
    """WOFF subsets of the faces (zlib only: no Brotli needed), plus their licence."""
    characters = "".join(sorted(set(BASE_CHARACTERS) | set(page)))
    fonts: dict[str, bytes] = {}
    for face in FACES:
        source = theme.style(f"fonts/{face.source}")
        stat = source.stat()
        fonts[face.file] = _woff(str(source), stat.st_size, stat.st_mtime_ns, characters)
    fonts[f"{FONT_DIR}/{LICENCE}"] = theme.style(f"fonts/{LICENCE}").read_bytes()
    return fonts
