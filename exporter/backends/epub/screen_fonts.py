"""Small e-books: fonts cut down to the characters the bulletin uses, pictures sized for screens.

The seven bundled faces weigh 3.9 MB in full; a weekly bulletin uses a few hundred characters
of them. Subsetting (HarfBuzz, through uharfbuzz: milliseconds where fontTools took seconds)
keeps every OpenType feature, so Vietnamese shaping is untouched, and is reproducible.
Pictures larger than a tablet's screen (1600 x 2560, portrait) are scaled down; the originals
on disk are never touched. The generated cover (1600 x 2400, what e-book stores ask for) fits.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

import uharfbuzz as hb
from PIL import Image

from exporter.render.rendition import Asset

# Drawn by the CSS or the reading system rather than written in the text.
ALWAYS = "“”‘’–—…·• 0123456789"
SCREEN = (1600, 2560)  # width, height
SCREEN_QUALITY = 82


def _deflated(data: bytes) -> int:
    """About what the bytes cost inside the zip: a fast deflate (level 1) for both sides of the
    comparison; level 9, what the EPUB writer uses, took longer than the whole subsetting."""
    return len(zlib.compress(data, 1)) - 6


def subset_font(data: bytes, characters: str) -> bytes:
    options = hb.SubsetInput()
    options.unicode_set.update(ord(c) for c in characters)
    # Every layout feature (ccmp, mark, mkmk, locl…: stacked marks depend on them), every name
    # and language. Each set starts as a fixed default list: clear it before inverting it, or
    # what is on that list is what gets dropped.
    for kept in (options.layout_feature_tag_set, options.name_id_set, options.name_lang_id_set):
        kept.clear()
        kept.invert()
    # E-readers' screens ignore TrueType hinting; .notdef keeps its outline.
    options.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    face = hb.subset(hb.Face(hb.Blob(data)), options)
    if face is None:
        raise ValueError("HarfBuzz could not subset the font")
    return face.blob.data


def _screen_image(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        if image.width <= SCREEN[0] and image.height <= SCREEN[1]:
            return data
        image.thumbnail(SCREEN, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if image.format == "JPEG" or image.mode == "RGB":
            image.convert("RGB").save(out, format="JPEG", quality=SCREEN_QUALITY, optimize=True)
        else:
            image.save(out, format="PNG", optimize=True)
    smaller = out.getvalue()
    return smaller if len(smaller) < len(data) else data


def for_screens(
    assets: dict[str, Asset], text: str
) -> tuple[dict[str, Asset], dict[str, int], Callable[[], int]]:
    """Assets with fonts subset to ``text`` and big pictures scaled down, byte counts, and a
    function giving what the changes save inside the EPUB (compressed): the size without them
    is the EPUB's size plus that.

    That saving is only a statistic, yet deflating the original fonts takes longer than the
    subsetting: zlib lets go of the GIL, so a thread works it out beside the packaging and the
    function waits for it.
    """
    characters = "".join(sorted(set(text) | set(text.upper()) | set(text.lower()) | set(ALWAYS)))
    result = dict(assets)
    pool = ThreadPoolExecutor(max_workers=1)
    deflated: list[tuple[Future[int], bytes]] = []
    stats = {
        "fonts_original_bytes": 0,
        "fonts_subset_bytes": 0,
        "images_original_bytes": 0,
        "images_screen_bytes": 0,
    }
    for href, asset in assets.items():
        data = asset.read()
        if asset.media_type.startswith("font/"):
            smaller = subset_font(data, characters)
            stats["fonts_original_bytes"] += len(data)
            stats["fonts_subset_bytes"] += len(smaller)
        elif asset.media_type.startswith("image/"):
            smaller = _screen_image(data)
            stats["images_original_bytes"] += len(data)
            stats["images_screen_bytes"] += len(smaller)
        else:
            continue
        if smaller is not data:
            result[href] = replace(asset, data=smaller, source=None)
            deflated.append((pool.submit(_deflated, data), smaller))
    pool.shutdown(wait=False)

    def saved() -> int:
        return sum(original.result() - _deflated(smaller) for original, smaller in deflated)

    return result, stats, saved
