"""A saved page cut into the pieces a reader sees: text blocks, pictures and boxes.

The page's own markup says what most pieces are: a ``<figure>`` or a picture table is a
picture with its caption, a ``<ul>`` a list, an element the CMS names ``RelatedOneNews``,
``ads-inread``, ``VideoStream``, ``audio-box``, ``detail-tools`` or ``tags`` a box around the
article (related news, advertising, a player, share buttons, tags) whose lines are reported
together. What the markup does not name stays a text block, one per line, for the layout
rules of the reader. Elements that hold the title or the article text are never boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from . import patterns as pt
from .html_figures import pictures
from .html_layout import caption_styled
from .html_lines import RELATED, Line, PageText, is_tag, markers
from .html_nav import link_only, links

UnitKind = Literal["text", "figure", "box", "row"]

# (box, report reason, marker beginnings, whole markers)
_BOXES: tuple[tuple[str, str, tuple[str, ...], frozenset[str]], ...] = (
    ("breadcrumb", "breadcrumb", ("breadcrumb", "crumb"), frozenset()),
    ("related", RELATED, ("relate", "lienquan", "tinlienquan", "xemthem", "readmore"), frozenset()),
    (
        "ads",
        "advertising",
        ("advert", "quangcao", "sponsor", "adsense", "adsbygoogle"),
        frozenset({"ad", "ads", "adv", "qc", "banner", "dfp"}),
    ),
    ("audio", "audio player", ("audio", "podcast", "listen", "speech", "tts"), frozenset()),
    ("video", "video player", ("video", "clip", "player"), frozenset()),
    ("share", "share button", ("share", "social", "tool", "print", "sharing"), frozenset()),
    ("tags", "tags", ("tag", "keyword", "tukhoa"), frozenset()),
    ("comment", "reader comment", ("comment", "binhluan"), frozenset()),
)
LINKS = "links"  # a list of nothing but links: named by nothing, known by its shape
_PICTURE_BOX = ("image", "img", "photo", "picture", "pic", "figure", "anh", "hinh")
_PLAYERS = ("video", "iframe", "object", "embed", "audio")
_CAPTION_WORDS = 80  # a longer line in a picture box is article text, not a caption


@dataclass
class Unit:
    """One piece of the page: a text block, a picture with its caption, a box, a table row."""

    kind: UnitKind
    element: etree._Element
    lines: list[Line] = field(default_factory=list)
    box: str | None = None  # for a box: related, ads, video, audio, share, tags, comment, ...
    reason: str | None = None  # for a box: the report reason of its lines
    images: list[etree._Element] = field(default_factory=list)  # for a figure
    item: tuple[bool, int | None] | None = None  # a list item: (ordered, number)

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def owner(self) -> etree._Element:
        return self.lines[0].owner if self.lines else self.element


def box_of(element: etree._Element) -> tuple[str, str] | None:
    """(box, reason) when the page's markup names the element as a box around the article.
    A breadcrumb or tag box is a run of links: a date line named ``bread-crumb__time`` is
    not one."""
    names = markers(element)
    for box, reason, starts, whole in _BOXES:
        if any(m.startswith(starts) or m in whole for m in names):
            if box in ("breadcrumb", "tags") and not links(element):
                return None
            return box, reason
    return None


def _player(element: etree._Element, page: PageText) -> bool:
    """A small element holding a video or audio player (its lines are the player's)."""
    has = any(is_tag(el, *_PLAYERS) for el in element.iter())
    return has and len(page.inside(element)) <= 3


def _caption_like(lines: list[Line]) -> bool:
    return len(lines) <= 4 and all(pt.words(line.text) <= _CAPTION_WORDS for line in lines)


class Segmenter:
    """Cuts the page into units in document order; ``protected`` elements (those holding the
    title or the article text) are always looked into, never taken whole."""

    def __init__(self, page: PageText, protected: set[etree._Element], content: etree._Element):
        self.page = page
        self.protected = protected
        self.content = content
        self.units: list[Unit] = []

    def run(self, root: etree._Element) -> list[Unit]:
        self.visit(root)
        return self.units

    def inside_content(self, element: etree._Element) -> bool:
        return element is self.content or self.content in element.iterancestors()

    def visit(self, element: etree._Element) -> None:
        lines = self.page.inside(element)
        images = pictures(element)
        if not lines and not images:
            return
        if element not in self.protected and self.whole(element, lines, images):
            return
        self.children(element)

    def whole(self, element: etree._Element, lines: list[Line], images: list) -> bool:
        """Take the element as one unit (or a run of units) if its markup says what it is."""
        named = box_of(element)
        if named or _player(element, self.page):
            box, reason = named or ("video", "video player")
            self.units.append(Unit("box", element, lines, box=box, reason=reason))
            return True
        if images and self.is_figure(element, lines):
            self.units.append(Unit("figure", element, lines, images=images))
            return True
        if element.tag in ("ul", "ol"):
            self.list_items(element)
            return True
        if element.tag == "table" and self.inside_content(element):
            for row in element.iter("tr"):
                if _nearest(row, "table") is element and self.page.inside(row):
                    self.units.append(Unit("row", row, self.page.inside(row)))
            return True
        return False

    def is_figure(self, element: etree._Element, lines: list[Line]) -> bool:
        """A ``<figure>``, a picture table or a picture box: pictures and a short caption;
        or a block holding a picture and nothing but a caption-styled line (``<p><img><br>
        <em>…</em></p>``)."""
        if not _caption_like(lines):
            return False
        if element.tag in ("figure", "table", "img", "picture"):
            return True
        if any(m.startswith(_PICTURE_BOX) for m in markers(element)):
            return True
        return all(line.owner is element and caption_styled(line, self.protected) for line in lines)

    def list_items(self, element: etree._Element) -> None:
        """One unit per item; a list of nothing but links is a box of headlines."""
        items = [li for li in element if is_tag(li, "li") and self.page.inside(li)]
        if items and all(link_only(li) for li in items):
            self.units.append(
                Unit("box", element, self.page.inside(element), box=LINKS, reason=RELATED)
            )
            return
        ordered = element.tag == "ol"
        number = int(element.get("start") or 1) if (element.get("start") or "1").isdigit() else 1
        for li in items:
            if (li.get("value") or "").isdigit():
                number = int(li.get("value") or number)
            nested = [el for el in li.iter("ul", "ol") if _nearest(el, "li") is li]
            own = [line for line in self.page.inside(li) if _nearest(line.owner, "li", 0) is li]
            if own:
                unit = Unit("text", li, own, item=(ordered, number if ordered else None))
                self.units.append(unit)
            for sub in nested:
                self.visit(sub)
            number += 1

    def children(self, element: etree._Element) -> None:
        """The element's own lines and its children, in document order."""
        own: list[tuple[tuple[float, int], Line | etree._Element]] = [
            ((line.index, 1), line) for line in self.page.inside(element) if line.owner is element
        ]
        kids = [((self.page.anchor(c), 0), c) for c in element if isinstance(c.tag, str)]
        for _, item in sorted(own + kids, key=lambda pair: pair[0]):
            if isinstance(item, Line):
                self.units.append(Unit("text", element, [item]))
            else:
                self.visit(item)


def segment(
    root: etree._Element, page: PageText, protected: set[etree._Element], content: etree._Element
) -> list[Unit]:
    """The units of the page under ``root``, in document order."""
    return Segmenter(page, protected, content).run(root)


def _nearest(element: etree._Element, tag: str, skip: int = 1) -> etree._Element | None:
    """The closest ``tag`` element around ``element`` (itself too when ``skip`` is 0)."""
    chain = [element, *element.iterancestors()][skip:]
    return next((el for el in chain if el.tag == tag), None)
