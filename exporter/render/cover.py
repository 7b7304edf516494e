"""A cover for bulletins that bring none: publication, issue, week and lead headline.

Drawn with Pillow in the bundled fonts so every diacritic is right, and saved without
timestamps so the same issue always gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from exporter.source.models import Article, Bulletin
from exporter.vietnamese import formats

from .theme import Theme

WIDTH, HEIGHT = 1600, 2400
INK = (20, 20, 20)
PAPER = (250, 247, 240)
ACCENT = (160, 28, 32)
MARGIN = 120


def theme_font(theme: Theme, name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(theme.style(f"fonts/{name}")), size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def fit_lines(
    draw: ImageDraw.ImageDraw,
    theme: Theme,
    font_name: str,
    text: str,
    width: int,
    start: int,
    max_lines: int,
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size (from ``start`` down) at which ``text`` fits in ``max_lines``."""
    size = start
    while True:
        font = theme_font(theme, font_name, size)
        lines = _wrap(draw, text, font, width)
        if (
            len(lines) <= max_lines
            and all(draw.textlength(x, font=font) <= width for x in lines)
            or size <= 24
        ):
            return font, lines
        size -= 4


def make_cover(
    bulletin: Bulletin,
    theme: Theme,
    lead: Article | None = None,
    teasers: Sequence[Article] | None = None,
) -> bytes:
    """The cover: masthead, issue and week, the lead story large and four more listed
    (``teasers`` first, when the editor chose them, then the others in order)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN

    draw.rectangle([0, 0, WIDTH, 56], fill=ACCENT)
    title_font, title_lines = fit_lines(
        draw, theme, "NotoSerifDisplay-Bold.ttf", bulletin.publication, inner, 190, 2
    )
    y = 260
    for line in title_lines:
        draw.text((MARGIN, y), line, font=title_font, fill=INK, anchor="ls")
        y += int(title_font.size * 1.25)
    y += 10
    draw.line([MARGIN, y, WIDTH - MARGIN, y], fill=INK, width=6)
    y += 80
    info = theme_font(theme, "NotoSans-Bold.ttf", 56)
    week = formats.date_range(bulletin.week.start, bulletin.week.end)
    draw.text(
        (MARGIN, y),
        f"Số {bulletin.issue} · Năm {bulletin.year}",
        font=info,
        fill=ACCENT,
        anchor="ls",
    )
    y += 84
    draw.text(
        (MARGIN, y),
        f"Tuần {week}",
        font=theme_font(theme, "NotoSans-Regular.ttf", 52),
        fill=INK,
        anchor="ls",
    )

    articles = bulletin.articles
    if articles:
        lead = lead or articles[0]
        first = [lead, *(teasers or ())]
        chosen = {a.slug for a in first}
        articles = first + [a for a in articles if a.slug not in chosen]
        label_font = theme_font(theme, "NotoSans-Bold.ttf", 44)
        y = 1180
        draw.text((MARGIN, y), lead.section.upper(), font=label_font, fill=ACCENT, anchor="ls")
        y += 40
        head_font, head_lines = fit_lines(
            draw, theme, "NotoSerifDisplay-Bold.ttf", lead.title, inner, 110, 5
        )
        for line in head_lines:
            y += int(head_font.size * 1.4)
            draw.text((MARGIN, y), line, font=head_font, fill=INK, anchor="ls")
        small = theme_font(theme, "NotoSerif-Regular.ttf", 44)
        y += 60
        for other in articles[1:5]:
            for line in _wrap(draw, f"• {other.title}", small, inner)[:2]:
                y += 66
                if y > HEIGHT - 200:
                    break
                draw.text((MARGIN, y), line, font=small, fill=INK, anchor="ls")
            y += 14

    if bulletin.publisher:
        draw.text(
            (MARGIN, HEIGHT - 110),
            bulletin.publisher,
            font=theme_font(theme, "NotoSans-Regular.ttf", 40),
            fill=INK,
            anchor="ls",
        )
    draw.rectangle([0, HEIGHT - 40, WIDTH, HEIGHT], fill=ACCENT)

    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88, optimize=True)
    return out.getvalue()
