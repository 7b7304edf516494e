"""The bundled faces: which characters they cover and how much leading their marks need.

A glyph missing from a face is silently drawn by WeasyPrint in some system font, one letter
in the middle of a word. So every character the bulletin prints is checked against every
bundled face before rendering, and the line heights in the CSS are checked (by tests)
against the tallest stacked Vietnamese capitals of the face each style uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import uharfbuzz as hb
from lxml import etree

from exporter.errors import Problem
from exporter.source.models import Bulletin, FigureBlock
from exporter.vietnamese.letters import VI_LETTERS, VI_LOWER, VI_UPPER

from .theme import Theme

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

# What every face must draw: the 186 letters and the punctuation of Vietnamese news text.
REQUIRED = VI_LETTERS + "“”‘’–—…₫"

_FACE_RE = re.compile(r"@font-face\s*{([^}]*)}", re.S)
_DESCRIPTOR_RE = re.compile(r"(font-family|font-weight|font-style|src)\s*:\s*([^;]+);?")


@dataclass(frozen=True)
class Face:
    family: str
    weight: int
    style: str
    path: Path


def faces(theme: Theme, stylesheet: str = "common.css") -> list[Face]:
    """The ``@font-face`` rules of a stylesheet, with their font files resolved."""
    path = theme.style(stylesheet)
    found = []
    for body in _FACE_RE.findall(path.read_text(encoding="utf-8")):
        descriptors = {k: v.strip() for k, v in _DESCRIPTOR_RE.findall(body)}
        url = re.search(r"url\(\s*['\"]?([^'\")]+)", descriptors.get("src", ""))
        if not url:
            continue
        found.append(
            Face(
                family=descriptors.get("font-family", "").strip("'\" "),
                weight={"normal": 400, "bold": 700}.get(descriptors.get("font-weight", "400"))
                or int(descriptors.get("font-weight", "400")),
                style=descriptors.get("font-style", "normal"),
                path=theme.style(url.group(1)),
            )
        )
    return found


@lru_cache(maxsize=32)
def _font(path: Path) -> TTFont:
    from fontTools.ttLib import TTFont  # outlines are read by tests and line heights only

    return TTFont(path, lazy=True)


@lru_cache(maxsize=32)
def cmap(path: Path) -> frozenset[int]:
    """The code points a face draws (HarfBuzz reads the cmap without parsing the font)."""
    return frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)


def missing(path: Path, characters: str = REQUIRED) -> list[str]:
    covered = cmap(path)
    return [c for c in characters if ord(c) not in covered]


@lru_cache(maxsize=64)
def vertical_extent(path: Path, characters: str) -> tuple[float, float]:
    """(highest top, lowest bottom) of the given characters' glyphs, in em."""
    from fontTools.pens.boundsPen import BoundsPen

    font = _font(path)
    glyphs = font.getGlyphSet()
    best = font.getBestCmap()
    units = font["head"].unitsPerEm
    top, bottom = 0.0, 0.0
    for char in characters:
        name = best.get(ord(char))
        if name is None:
            continue
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds:
            top = max(top, pen.bounds[3] / units)
            bottom = min(bottom, pen.bounds[1] / units)
    return top, bottom


DESCENDERS = "gjpqyỵặậ"


def needed_line_height(path: Path, uppercase: bool = True) -> float:
    """Leading (in em) that keeps stacked marks clear of the line above and below."""
    tops = VI_UPPER + VI_LOWER if uppercase else VI_LOWER
    top, _ = vertical_extent(path, tops)
    _, bottom = vertical_extent(path, VI_LOWER + DESCENDERS)
    return top - bottom


def _texts(bulletin: Bulletin) -> Iterator[tuple[str, str, str]]:
    """(file, field, text) of everything the editions print."""
    yield "bulletin.toml", "publication", bulletin.publication
    if bulletin.editor_note_html:
        yield "bulletin.toml", "editor_note", _text_of(bulletin.editor_note_html)
    for section in bulletin.sections:
        yield "bulletin.toml", "sections.title", section.title
    for article in bulletin.articles:
        file = article.source
        for field in ("title", "kicker", "lead", "attribution"):
            yield file, field, getattr(article, field) or ""
        yield file, "authors", " ".join(article.authors)
        yield file, "tags", " ".join(article.tags)
        figures = [article.top_figure] if article.top_figure else []
        for block in article.blocks:
            if isinstance(block, FigureBlock):
                figures.append(block.figure)
            else:
                yield file, "body", _text_of(block.html)
        for figure in figures:
            yield file, "figures", f"{figure.caption or ''} {figure.credit or ''}"


def _text_of(fragment: str) -> str:
    return "".join(etree.fromstring(f"<div>{fragment}</div>").itertext())


def check_coverage(bulletin: Bulletin, theme: Theme) -> list[Problem]:
    """One warning per character some bundled face cannot draw (it would fall back)."""
    all_faces = faces(theme)
    covered = frozenset.intersection(*(cmap(f.path) for f in all_faces)) if all_faces else None
    if covered is None:
        return []
    problems: list[Problem] = []
    seen: set[str] = set()  # every character already looked at, drawable or not
    for file, field, text in _texts(bulletin):
        new = set(text) - seen  # a whole bulletin is a few hundred distinct characters
        if not new:
            continue
        for char in sorted(new, key=text.index):
            seen.add(char)
            if char.isspace() or ord(char) in covered:
                continue
            lacking = sorted({f.path.name for f in all_faces if ord(char) not in cmap(f.path)})
            problems.append(
                Problem(
                    file,
                    field,
                    (
                        f'"{char}" (U+{ord(char):04X}) is not in the bundled fonts '
                        f"({', '.join(lacking)}); it would be drawn in a fallback font"
                    ),
                )
            )
    return problems
