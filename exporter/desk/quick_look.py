"""A quick look at an edited article: its section laid out from that article on, not from the top.

Within a section the articles follow one another down the pages, so WeasyPrint must lay the
whole section out again to reach a page in its middle (48 pages take two seconds). But nothing
before the edited article changed: on the page where it starts, the old layout is right down to
the article's top. So the article and what follows it are laid out alone, after a blank block
as tall as what stood above it on that page, with the page number, the left or right side, the
footnote number and the running head that page had; the page the edit is on is shown at once
(its top taken from the old picture of the page when it is the article's first page). The whole
section is laid out right after, as always, and its pages replace the quick look.

Used only when it can be exact: one article changed, not the section's first, and no footnote
area on the page it starts on (the notes of the articles above would take room from it).
"""

from __future__ import annotations

import io
import re

from lxml import etree
from lxml import html as lxml_html
from PIL import Image

from .streaming import walk

_ID = re.compile(r'\bid="([^"]+)"')


def _chunks(html: str) -> dict[str, str]:
    """The markup from each id to the next one: what an edit inside that element changes."""
    found: dict[str, str] = {}
    matches = list(_ID.finditer(html))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(html)
        found.setdefault(match.group(1), html[match.start() : end])
    return found


def changed_ids(old: str, new: str) -> set[str]:
    """Ids of the elements whose own markup differs between two versions of a part."""
    before, after = _chunks(old), _chunks(new)
    return {key for key, chunk in after.items() if before.get(key) != chunk}


def edited_article(html: str, ids: set[str]) -> str | None:
    """The one article (its id) holding every changed element, if it is not its section's
    first; None otherwise (then there is nothing quicker than the whole section)."""
    root = lxml_html.document_fromstring(html)
    articles: set[str] = set()
    for element_id in ids:
        found = root.xpath("//*[@id=$id]", id=element_id)
        if not found:
            return None
        article = next(
            (e for e in [found[0], *found[0].iterancestors()] if e.tag == "article"), None
        )
        if article is None:
            return None
        articles.add(article.get("id"))
    if len(articles) != 1:
        return None
    slug = articles.pop()
    article = root.xpath("//article[@id=$id]", id=slug)[0]
    if article.getprevious() is None or article.getprevious().tag != "article":
        return None
    return slug


def _has_footnotes(page: object) -> bool:
    return any(
        type(box).__name__ == "FootnoteAreaBox" and box.children
        for box in walk(page._page_box)  # type: ignore[attr-defined]
    )


def article_top(pages: list[object], slug: str) -> tuple[int, float] | None:
    """(page index, y in CSS px) where the article's box starts in a laid-out part, or None
    when that page has a footnote area (see the module's docstring)."""
    for index, page in enumerate(pages):
        for box in walk(page._page_box):  # type: ignore[attr-defined]
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == slug and element.tag == "article":
                if _has_footnotes(page):
                    return None
                return index, box.border_box_y()
    return None


def fragment(html: str, slug: str, spacer: float) -> tuple[str, int]:
    """The part from article ``slug`` on, after a blank block ``spacer`` px tall, and how many
    footnotes the articles left out held (the fragment's footnotes are numbered on from them)."""
    root = lxml_html.document_fromstring(html)
    article = root.xpath("//article[@id=$id]", id=slug)[0]
    section = article.getparent()
    title = next(iter(section.xpath(".//*[contains(@class, 'section-title')]")), None)
    removed_notes = 0
    for child in list(section):
        if child is article:
            break
        removed_notes += len(child.xpath(".//*[contains(concat(' ', @class, ' '), ' footnote ')]"))
        section.remove(child)
    head: list[etree._Element] = []
    if title is not None:
        # The running head reads the section's name from its title: keep it, drawing nothing.
        proxy = etree.Element("p")
        proxy.set(
            "style", "string-set: section content(text); height: 0; margin: 0; overflow: hidden"
        )
        proxy.text = title.text_content()
        head.append(proxy)
    block = etree.Element("div")
    block.set("style", f"height: {spacer:.4f}px; margin: 0; padding: 0; border: 0")
    head.append(block)
    # ``.article + .article`` styles an article that follows another: keep one before it.
    before = etree.Element("article")
    before.set("class", "article")
    before.set("style", "display: none")
    head.append(before)
    for n, element in enumerate(head):
        section.insert(n, element)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"), removed_notes


def holds(page: object, ids: set[str]) -> bool:
    """Whether any changed element has a box on the page."""
    for box in walk(page._page_box):  # type: ignore[attr-defined]
        element = getattr(box, "element", None)
        if element is not None and element.get("id") in ids:
            return True
    return False


def composite(old_png: bytes, new_png: bytes, cut: float) -> bytes:
    """The old picture above ``cut`` (a fraction of the height), the new one below it."""
    old = Image.open(io.BytesIO(old_png)).convert("RGB")
    new = Image.open(io.BytesIO(new_png)).convert("RGB")
    y = round(cut * new.height)
    new.paste(old.crop((0, 0, old.width, y)), (0, 0))
    out = io.BytesIO()
    new.save(out, format="PNG", compress_level=1)
    return out.getvalue()
