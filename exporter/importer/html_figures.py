"""The pictures of a saved page that belong to the article, and what is written under them.

A page shows many images: the site's logo, icons, ads, video posters, thumbnails of related
news. Only a picture in the article's own flow is a figure (the boxes around it are weeded
out by the reader); here: which ``<img>`` is a real picture, its file name, its caption and
credit ("… ẢNH: DUY KHANG", "… (Ảnh: Thu Trang)", "… - Ảnh: VGP/Minh Thư").
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from lxml import etree

from . import patterns as pt
from . import vocabulary as vocab
from .html_lines import hidden, marked

_LAZY = ("data-src", "data-original", "data-lazy-src", "data-srcset", "srcset")
_NOT_PICTURE = re.compile(
    r"(^|[-_./])(logo|icon|avatar|spacer|pixel|blank|loading|placeholder|sprite|banner)"
    r"([-_./\d]|$)",
    re.IGNORECASE,
)
_BADGES = ("logo", "icon", "avatar", "author", "byline", "emoji")
_SMALL = 100  # pixels: below this in both directions an image is an icon
_ALT_NUMBER = re.compile(r"(^|\s[-–—]\s*)ảnh\s*\d*\.?$", re.IGNORECASE)


def source_of(img: etree._Element) -> str | None:
    """The picture's address: ``src``, or the lazy-loading attribute when ``src`` is a stub."""
    src = (img.get("src") or "").strip()
    if src and not src.startswith("data:") and not _NOT_PICTURE.search(file_name(src)):
        return src
    for name in _LAZY:
        value = (img.get(name) or "").strip().split(" ")[0]
        if value and not value.startswith("data:"):
            return value
    return src or None


def file_name(src: str) -> str:
    """``./page_files/anh%201.jpg?w=600`` -> ``anh 1.jpg``."""
    return posixpath.basename(unquote(urlsplit(src).path)) or "anh.jpg"


def _size(img: etree._Element, name: str) -> int | None:
    m = re.match(r"\s*(\d+)", img.get(name) or "")
    return int(m.group(1)) if m else None


def _badge(img: etree._Element) -> bool:
    """In a logo, icon or author-photo box (``author-avatar``, ``site-logo``)."""
    boxes = [img, *img.iterancestors()][:3]
    return any(marked(el, _BADGES) for el in boxes)


def is_picture(img: etree._Element) -> bool:
    """A photo, not a logo, icon, author's photo, tracking pixel or ad."""
    if hidden(img) or _badge(img):
        return False
    src = source_of(img)
    if not src or _NOT_PICTURE.search(file_name(src)):
        return False
    width, height = _size(img, "width"), _size(img, "height")
    if width is not None and height is not None and width < _SMALL and height < _SMALL:
        return False
    alt = vocab.key(img.get("alt") or "")
    return alt not in ("quảng cáo", "advertisement", "logo")


def pictures(element: etree._Element) -> list[etree._Element]:
    """The real pictures in ``element`` (itself an ``<img>`` or holding some)."""
    found = [element] if element.tag == "img" else list(element.iter("img"))
    return [img for img in found if is_picture(img)]


def split_caption(text: str) -> tuple[str | None, str | None]:
    """(caption, credit) with the credit as "Ảnh: …" whatever the page wrote."""
    caption, credit = pt.split_credit(text)
    return caption, normal_credit(credit) if credit else None


def normal_credit(credit: str) -> str:
    """``ẢNH: X`` / ``(Ảnh: X)`` / ``ảnh: X`` -> ``Ảnh: X`` (the name as written)."""
    text = credit.strip().strip("()").strip()
    word, colon, who = text.partition(":")
    word = " ".join(word.split())
    word = word[:1].upper() + word[1:].lower()
    return f"{word}: {who.strip()}" if colon and who.strip() else word


def useful_alt(alt: str | None, title: str, name: str) -> str | None:
    """The page's alt text, unless it says nothing: empty, the file name, or the article's
    title with "- Ảnh 1." (what many CMSs fill in)."""
    text = " ".join((alt or "").split())
    if not text or vocab.squash(title) and vocab.squash(title) in vocab.squash(text):
        return None
    if text in (name, posixpath.splitext(name)[0]) or _ALT_NUMBER.search(text):
        return None
    return text
