"""Cover thumbnails for the catalogue: small, the same bytes for the same input.

From the EPUB's cover picture when there is one, else the PDF's first page rendered with
pdfium (the front page: masthead, issue, lead story), else a card drawn in the bundled fonts.
Pillow's JPEG encoder is deterministic and nothing time-dependent (EXIF, ICC) is written.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from exporter.render.cover import ACCENT, INK, PAPER, fit_lines, theme_font
from exporter.render.theme import Theme

MAX_WIDTH = 400
MAX_HEIGHT = 640
QUALITY = 82
RENDER_WIDTH = 2 * MAX_WIDTH  # rendered larger, then scaled down: sharper small text


def _encode(image: Image.Image) -> tuple[bytes, tuple[int, int]]:
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    else:
        image = image.convert("RGB")
    if image.width > MAX_WIDTH or image.height > MAX_HEIGHT:
        image.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return out.getvalue(), image.size


def thumbnail(data: bytes) -> tuple[bytes, tuple[int, int]]:
    """A JPEG at most MAX_WIDTH wide from any picture Pillow reads; and its size."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return _encode(image)


def pdf_thumbnail(path: Path) -> tuple[bytes, tuple[int, int]]:
    """The first page inside its trim box (no bleed or crop marks of a print-ready PDF)."""
    import pypdfium2 as pdfium  # loaded only for issues without an EPUB

    document = pdfium.PdfDocument(str(path))
    try:
        page = document[0]
        left, bottom, right, top = page.get_mediabox()
        t_left, t_bottom, t_right, t_top = page.get_trimbox()
        crop = (t_left - left, t_bottom - bottom, right - t_right, top - t_top)
        scale = RENDER_WIDTH / max(1.0, t_right - t_left)
        bitmap = page.render(scale=scale, crop=crop)
        image = bitmap.to_pil()
        page.close()
    finally:
        document.close()
    return _encode(image)


def placeholder_thumbnail(
    publication: str, number: int, year: int, theme: Theme
) -> tuple[bytes, tuple[int, int]]:
    """A plain card (publication, issue, year) in the colours of exporter's drawn covers."""
    width, height, margin = MAX_WIDTH, 600, 32
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 14], fill=ACCENT)
    font, lines = fit_lines(
        draw, theme, "NotoSerifDisplay-Bold.ttf", publication, width - 2 * margin, 56, 3
    )
    y = 90
    for line in lines:
        draw.text((margin, y), line, font=font, fill=INK, anchor="ls")
        y += int(font.size * 1.25)
    draw.line([margin, y, width - margin, y], fill=INK, width=2)
    draw.text(
        (margin, y + 40),
        f"Số {number} · Năm {year}",
        font=theme_font(theme, "NotoSans-Bold.ttf", 24),
        fill=ACCENT,
        anchor="ls",
    )
    draw.rectangle([0, height - 10, width, height], fill=ACCENT)
    return _encode(image)
