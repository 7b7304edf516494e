"""Pictures sized for print: no more pixels than the printer can use where each is printed.

A photo straight from a camera may be 6000 px wide; printed across a 85 mm column at 300 dpi
it needs 1004. The print backend works out, before layout, the widest place each picture is
printed (the text block, a column, the front page), downscales what has more pixels than
that at the configured resolution, and re-encodes only those. The originals are never touched.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import replace

from PIL import Image

from exporter.render.rendition import Asset
from exporter.source.models import Bulletin, FigureBlock, HtmlBlock, PdfOptions

MM_PER_INCH = 25.4
GUTTER_MM = 6.0  # print.css --gutter


def print_widths_mm(bulletin: Bulletin, options: PdfOptions) -> dict[str, float]:
    """The widest printed width of each image href, from where the templates place it."""
    page_width, _ = options.size_mm
    margins = options.margins
    text = page_width - margins.inner - margins.outer
    column = (text - GUTTER_MM) / 2 if options.column_count == 2 else text
    widths: dict[str, float] = {}

    def use(href: str, width: float) -> None:
        widths[href] = max(width, widths.get(href, 0.0))

    for article in bulletin.articles:
        if article.top_figure:
            use(article.top_figure.file, text)
        for block in article.blocks:
            if isinstance(block, FigureBlock):
                use(block.figure.file, text if block.figure.wide else column)
            elif isinstance(block, HtmlBlock) and "<img" in block.html:
                for src in _sources(block.html):
                    use(src, column)
    return widths


def _sources(html: str) -> Iterable[str]:
    from lxml import etree

    return [img.get("src", "") for img in etree.fromstring(html).iter("img")]


def downscale(asset: Asset, width_mm: float, dpi: int, quality: int) -> Asset:
    """The asset with at most ``dpi`` pixels per printed inch; unchanged if already so."""
    data = asset.read()
    target = max(1, round(width_mm / MM_PER_INCH * dpi))
    with Image.open(io.BytesIO(data)) as image:
        if image.width <= target:
            return asset
        height = max(1, round(image.height * target / image.width))
        smaller = image.resize((target, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if image.format == "JPEG":
            smaller.convert("RGB").save(out, format="JPEG", quality=quality, optimize=True)
        else:
            smaller.save(out, format="PNG", optimize=True)
    new = out.getvalue()
    return replace(asset, data=new, source=None) if len(new) < len(data) else asset


def for_print(
    bulletin: Bulletin, assets: dict[str, Asset]
) -> tuple[dict[str, Asset], dict[str, int]]:
    """Assets with pictures downscaled for print, and byte counts for the build report."""
    options = bulletin.pdf
    widths = print_widths_mm(bulletin, options)
    result = dict(assets)
    before = after = 0
    for href, width in widths.items():
        asset = assets.get(href)
        if asset is None or not asset.media_type.startswith("image/"):
            continue
        smaller = downscale(asset, width, options.image_dpi, options.jpeg_quality)
        result[href] = smaller
        before += len(asset.read())
        after += len(smaller.read())
    stats = {
        "images_original_bytes": before,
        "images_embedded_bytes": after,
        "images_saved_bytes": before - after,
    }
    return result, stats
