"""Drop caps drawn as outlines, so that the PDF's text reads an article's first word whole.

A drop cap set as text is a separate, larger piece of text: pypdf, poppler and pdfplumber all
read it apart from the rest of its word ("N" … "ghị quyết"), and a reader searching the PDF
for an article's first words finds nothing. Here the large letter is the glyph's outline (an
SVG in the float's background, so no text at all), and the letter itself stays in the line,
transparent and pulled left under the drop cap: the text reads "Nghị quyết".
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from functools import cached_property
from html import escape, unescape
from io import BytesIO

from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

from exporter.render.rendition import Rendition

# The faces print.css gives the drop cap ("Exporter Display" bold) and body text.
DISPLAY_FONT = "styles/fonts/NotoSerifDisplay-Bold.ttf"
BODY_FONT = "styles/fonts/NotoSerif-Regular.ttf"
CAP_SIZE = 50.0  # pt: the cap height spans two body lines plus a body cap height
GAP = 0.05  # em of CAP_SIZE between the drop cap and the text
LINES = 3  # the cap's baseline sits on the third body line

_SPAN = re.compile(r'<span class="drop-cap">([^<]+)</span>')
_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;}]+)")


def custom_properties(stylesheets: list[str]) -> dict[str, str]:
    """CSS custom properties as the stylesheets set them (later sheets win)."""
    found: dict[str, str] = {}
    for text in stylesheets:
        for name, value in _PROPERTY.findall(re.sub(r"/\*.*?\*/", "", text, flags=re.S)):
            found[name] = value.strip()
    return found


def _points(value: str) -> float:
    number = float(re.match(r"[\d.]+", value).group())  # type: ignore[union-attr]
    return number * {"pt": 1.0, "px": 0.75, "mm": 72 / 25.4}.get(value.lstrip("0123456789."), 1.0)


@dataclass
class DropCaps:
    """Replaces each ``span.drop-cap`` of a page with the outline and the hidden letter."""

    display: TTFont
    body: TTFont
    body_size: float  # pt
    leading: float  # line height over font size
    colour: str

    @classmethod
    def for_rendition(cls, rendition: Rendition) -> DropCaps | None:
        fonts = [rendition.assets.get(DISPLAY_FONT), rendition.assets.get(BODY_FONT)]
        if None in fonts:
            return None  # a theme without our faces keeps its drop caps as text
        props = custom_properties([sheet.text for sheet in rendition.stylesheets])
        display, body = (TTFont(BytesIO(asset.read())) for asset in fonts)  # type: ignore[union-attr]
        return cls(
            display,
            body,
            _points(props.get("--body-size", "9.6pt")),
            float(props.get("--body-leading", "1.5")),
            props.get("--accent", "#000"),
        )

    @cached_property
    def _glyphs(self):  # noqa: ANN202
        return self.display.getGlyphSet()

    def _advance(self, font: TTFont, text: str) -> float:
        cmap, metrics = font.getBestCmap(), font["hmtx"]
        return sum(metrics[cmap[ord(ch)]][0] for ch in text if ord(ch) in cmap)

    def svg(self, text: str) -> tuple[str, float, float, float]:
        """(SVG, advance, top, bottom) of ``text`` in the display face, in font units."""
        cmap = self.display.getBestCmap()
        path, bounds = SVGPathPen(self._glyphs), BoundsPen(self._glyphs)
        x = 0.0
        for ch in text:
            name = cmap.get(ord(ch))
            if name is None:
                continue
            glyph = self._glyphs[name]
            glyph.draw(TransformPen(path, (1, 0, 0, -1, x, 0)))  # y down, as SVG draws
            glyph.draw(TransformPen(bounds, (1, 0, 0, 1, x, 0)))
            x += glyph.width
        _, bottom, _, top = bounds.bounds or (0, 0, 0, 0)
        top = max(top, 0)
        bottom = min(bottom, 0)
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {-top:g} {x:g} {top - bottom:g}"'
            f' preserveAspectRatio="none"><path fill="{self.colour}" d="{path.getCommands()}"/>'
            "</svg>"
        )
        return svg, x, top, bottom

    def span(self, text: str) -> str:
        svg, advance, top, bottom = self.svg(text)
        scale = CAP_SIZE / self.display["head"].unitsPerEm
        hhea, upm = self.body["hhea"], self.body["head"].unitsPerEm
        line = self.body_size * self.leading
        # The body's first baseline sits half the leading plus the ascent below the line top.
        first_baseline = (line + self.body_size * (hhea.ascent + hhea.descent) / upm) / 2
        baseline = (LINES - 1) * line + first_baseline
        style = (
            f"width:{advance * scale:.2f}pt;height:{(top - bottom) * scale:.2f}pt;"
            f"margin:{baseline - top * scale:.2f}pt {GAP * CAP_SIZE:.2f}pt 0 0;"
            f"background-image:url('data:image/svg+xml,{urllib.parse.quote(svg)}')"
        )
        shift = f"margin-left:-{self._advance(self.body, text) / upm:.4f}em"
        return (
            f'<span class="drop-cap" aria-hidden="true" style="{style}"></span>'
            f'<span class="drop-cap-letter" style="{shift}">{escape(text)}</span>'
        )

    def paint(self, html: str) -> str:
        return _SPAN.sub(lambda m: self.span(unescape(m.group(1))), html)
