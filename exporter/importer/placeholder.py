"""Stand-in pictures for images an imported article names but nobody has sent yet.

Publishing has always done this ("for position only"): the page is laid out with a marked box
in the picture's place, and the real photo, dropped in later under the same name, replaces it.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from exporter.render.theme import Theme
from exporter.source.placeholder import MARKER


def make_placeholder(name: str, width: int = 1200, height: int = 750) -> bytes:
    """A grey JPEG saying which picture is missing."""
    image = Image.new("RGB", (width, height), (222, 222, 218))
    draw = ImageDraw.Draw(image)
    draw.rectangle([8, 8, width - 9, height - 9], outline=(150, 150, 145), width=6)
    draw.line([8, 8, width - 9, height - 9], fill=(190, 190, 185), width=3)
    draw.line([8, height - 9, width - 9, 8], fill=(190, 190, 185), width=3)
    font_path = Theme().style("fonts/NotoSans-Bold.ttf")
    big = ImageFont.truetype(str(font_path), 56)
    small = ImageFont.truetype(str(font_path), 36)
    for text, font, y in (("ẢNH CHƯA CÓ", big, height / 2 - 40), (name, small, height / 2 + 40)):
        draw.rectangle(_box(draw, text, font, width / 2, y), fill=(222, 222, 218))
        draw.text((width / 2, y), text, font=font, fill=(90, 90, 85), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80, comment=MARKER)
    return out.getvalue()


def _box(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, x: float, y: float
) -> tuple[float, float, float, float]:
    left, top, right, bottom = draw.textbbox((x, y), text, font=font, anchor="mm")
    return left - 20, top - 12, right + 20, bottom + 12
