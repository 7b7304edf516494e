"""A saved news page -> article fields, read from the page's own structure.

The page is parsed from the string (no URL is ever fetched) and cut into pieces by
``html_blocks``; ``html_layout`` finds the anchors every news page has: the title (``<h1>``),
the element holding the article's paragraphs (the content), and between them the byline, the
date and the sapo. The reader then walks the pieces in order:

1. **header** (before the title): the breadcrumb (section, kicker) and date lines;
2. **preamble** (title to the first paragraph of the content): byline, date, the visible
   sapo (the lead, with its "(BĐ) - " site tag taken off), pictures, tool boxes;
3. **body** (the content): paragraphs, sub-headings, list items, pictures with their
   captions, tables; boxes the CMS put inside (related news, ads, players) and boilerplate
   lines are reported and left out; the author and "Nguồn: …" lines that end it leave it;
4. **tail** (after the content): the byline some sites put there, and the tags.

What the page shows wins over its ``<meta>`` and JSON-LD (``html_page``), which fill what it
does not show. Every visible line gets a record: where it went, or why it was left out (its
box, a boilerplate rule, its page region, else "not article text").
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

from . import patterns as pt
from . import vocabulary as vocab
from .dates import DateLine, dateish
from .dates import parse_date_line as date_line
from .html_blocks import LINKS, Unit, segment
from .html_byline import author_names, inline_parts
from .html_dates import SeenDate, choose
from .html_figures import file_name, normal_credit, source_of, split_caption, useful_alt
from .html_layout import (
    HEADINGS,
    SAPO,
    caption_styled,
    content_root,
    find_title,
    styled_as,
    within,
)
from .html_lines import BOLD, HEADER, RELATED, Line, PageText, emphasised, read_lines, text_of
from .html_nav import breadcrumb_items, hashtags, link_only, tag_items, tag_links
from .html_page import PageMeta, read_meta
from .model import Block, Extracted, ImportedFigure, ImportFailure, LineRecord, NoDate

EXTRACTOR = "not article text (extractor)"
REPEATED_TITLE = "repeated title"
UNUSED_DATE = "date line (not used)"
_PREFIX_EDGES = " ()[]-–—:"
_LINK_RUN = 100  # a breadcrumb found as a run of links ranks after the named ones
_SAPO_WORDS = 5  # a shorter line in a sapo-named box is a label, not the lead
_CAPTION_WORDS = 50  # a caption with a credit after a bare picture is at most this long
_ODD_WORDS = 6  # a shorter body line that ends no sentence may be page furniture: say so


class HtmlReader:
    """Reads one saved page; ``read()`` returns the fields and one record per visible line."""

    def __init__(self, text: str, section: str | None = None) -> None:
        self.text = text
        self.override = section
        self.art = Extracted(section=section)
        self.warnings: list[str] = []
        self.page = PageText()
        self.meta = PageMeta()
        self.content: etree._Element | None = None
        self.protected: set[etree._Element] = set()  # wrappers of the title and the content
        self.to: dict[int, str] = {}  # line index -> field
        self.why: dict[int, str] = {}  # line index -> reason it was left out
        self.notes: dict[int, str] = {}
        self.body_lines: list[list[Line]] = []
        self.figure_lines: list[tuple[list[Line], list[Line]]] = []  # (caption, credit)
        self.seen: list[SeenDate] = []
        self.crumbs: list[tuple[int, list[str], list[Line]]] = []  # (rank, levels, lines)
        self.tag_lines: list[Line] = []
        self.lead_lines: list[Line] = []
        self.lead_box: etree._Element | None = None  # the element the lead was read from
        self.table_warned = False
        self.odd: set[int] = set()  # first lines of short body paragraphs ending no sentence
        self.rel_tags: list[str] = []

    # ------------------------------------------------------------------------------ read

    def read(self) -> tuple[Extracted, list[LineRecord], list[str]]:
        doc = lxml_html.document_fromstring(self.text)
        body = doc.find("body")
        root = body if body is not None else doc
        self.page = read_lines(root)
        self.meta = read_meta(doc, self.text)
        self.rel_tags = list(
            dict.fromkeys(
                t
                for a in root.iterfind(".//a[@rel]")
                if "tag" in a.get("rel", "").split()
                for t in [" ".join(text_of(a).split())]
                if t
            )
        )
        self.content = content_root(self.page)
        if self.content is None:
            raise ImportFailure("only boilerplate: the page has no article text")
        title = find_title(root, self.page, self.meta.titles, self.content)
        self.art.title = text_of(title) if title is not None else (self.meta.title or "")
        if not self.art.title:
            raise ImportFailure("only boilerplate: no title found")
        self.protected = {self.content, *self.content.iterancestors()}
        if title is not None:
            self.protected |= {title, *title.iterancestors()}
        units = segment(root, self.page, self.protected, self.content)
        top, start, end = self.zones(units, title)
        self.header(units[:top])
        self.article(units[start:end])
        self.tail(units[end:])
        self.closing()
        self.finish_lead()
        if not self.art.body:
            raise ImportFailure("only boilerplate: no article text after the title")
        self.odd_lines()
        self.fields()
        return self.art, self.records(), self.warnings

    def zones(self, units: list[Unit], title: etree._Element | None) -> tuple[int, int, int]:
        """(the title's first unit, the first unit after it, the first unit after the
        content). Without a visible title above the content, the content starts the article."""
        inside = [i for i, u in enumerate(units) if within(u.element, self.content)]
        titled = [i for i, u in enumerate(units) if title is not None and within(u.element, title)]
        for i in titled:
            for line in units[i].lines:
                self.to[line.index] = "title"
        if not titled:
            self.warnings.append("no visible title: the page's meta title was used")
        if not titled or titled[-1] >= inside[-1]:
            return inside[0], inside[0], inside[-1] + 1
        return titled[0], titled[-1] + 1, inside[-1] + 1

    def failed_records(self) -> list[LineRecord]:
        """After a failure: every visible line, with the boilerplate reason where one fits."""
        records = self.records()
        for record in records:
            if record.to is not None or record.dropped == EXTRACTOR:
                record.to, record.dropped = None, "not imported (the input failed)"
        return records

    # ---------------------------------------------------------------------------- header

    def header(self, units: list[Unit]) -> None:
        """Before the title: breadcrumbs (named, or a short run of links just above the
        title) and date lines."""
        for n, unit in enumerate(units):
            distance = len(units) - n
            if unit.kind == "box" and unit.box == "breadcrumb":
                self.crumbs.append((distance, breadcrumb_items(unit.element), unit.lines))
            elif unit.kind == "text" and unit.lines[0].region in (None, HEADER):
                self.date(unit, after_title=False, distance=distance)
            for line in unit.lines:
                if line.region is None and not self.reason_of(line):
                    self.why.setdefault(line.index, HEADER)
        crumb = self.crumb_above(units)
        if crumb is not None:
            self.crumbs.append((_LINK_RUN, breadcrumb_items(crumb.owner), crumb.lines))

    def crumb_above(self, units: list[Unit]) -> Unit | None:
        """The nearest short run of section links above the title (a breadcrumb the page
        does not name), with only date lines or buttons between."""
        for unit in reversed(units):
            if unit.kind == "box" and unit.box == "share":
                continue
            if unit.kind != "text" or unit.lines[0].region is not None:
                return None
            if link_only(unit.owner) and len(unit.lines) == 1:
                levels = breadcrumb_items(unit.owner)
                return unit if 1 <= len(levels) <= 4 else None
            if date_line(unit.text) is None:
                return None
        return None

    def date(self, unit: Unit, *, after_title: bool, distance: int) -> bool:
        """A date line (after the title also a line of date and buttons): remembered for
        the choice."""
        parsed = date_line(unit.text)
        if parsed is None and after_title:
            parsed = self.date_in_parts(unit)
        if parsed is None:
            return False
        site = unit.lines[0].region == HEADER
        for line in unit.lines:
            self.seen.append(SeenDate(line.index, after_title, distance, parsed, site))
            self.why[line.index] = UNUSED_DATE
        if after_title and parsed.authors:
            self.add_authors(parsed.authors, unit.lines)
        return True

    def date_in_parts(self, unit: Unit) -> DateLine | None:
        """``<span class="author">X</span> - <span>16:10 | 21/11/2023</span> <a>Chia sẻ</a>``:
        the dates (and authors) of a line whose every other piece is a button or a name."""
        one_line = len(unit.lines) == 1 and len(self.page.inside(unit.owner)) == 1
        parts = inline_parts(unit.owner) if one_line else [(None, unit.text)]
        found = DateLine()
        for element, part in parts:
            pieces = [part] if date_line(part) else part.split("|")
            for piece in (p.strip() for p in pieces):
                if not any(c.isalnum() for c in piece):
                    continue
                if parsed := date_line(piece):
                    found.stamps += parsed.stamps
                    found.authors += parsed.authors
                elif names := author_names(piece, element):
                    found.authors += names
                elif not vocab.boilerplate(piece, in_body=False):
                    return None
        return found if found.stamps else None

    # --------------------------------------------------------------------------- article

    def article(self, units: list[Unit]) -> None:
        """Title to the end of the content: the preamble, then the body."""
        i, started = 0, False
        while i < len(units):
            taken = 0 if started else self.preamble(units, i)
            started = started or not taken
            i += taken or self.body(units, i)

    def preamble(self, units: list[Unit], at: int) -> int:
        """Place the piece at ``at`` (between the title and the article's first paragraph);
        returns how many pieces it took, 0 when it is that paragraph (the body starts)."""
        unit = units[at]
        if unit.kind == "box":
            self.box(unit, at)
            return 1
        if unit.kind == "figure":
            return 1 + self.figure(unit, units[at + 1 :])
        if unit.kind != "text" or unit.item is not None:
            return 0
        return int(self.preamble_line(unit, at))

    def preamble_line(self, unit: Unit, at: int) -> bool:
        """Sapo, date, byline, buttons, or (False) the first line of the body."""
        text, line = unit.text, unit.lines[0]
        inside = within(unit.element, self.content)
        if reason := vocab.boilerplate(text, in_body=False):
            self.drop(unit.lines, reason)
            return True
        if (sapo := self.sapo_of(unit)) is not None:
            return self.take_lead(unit, sapo)
        if self.date(unit, after_title=True, distance=at + 1):
            return True
        if (found := author_names(text, unit.owner)) and not pt.is_paragraph(text):
            self.add_authors(found, unit.lines)
            return True
        if vocab.related_heading(text):
            self.drop(unit.lines, RELATED)
            return True
        if vocab.squash(text) == vocab.squash(self.art.title):
            self.drop(unit.lines, REPEATED_TITLE)
            return True
        if pt.is_paragraph(text):
            if not self.lead_lines and (not inside or emphasised(unit.owner, BOLD)):
                return self.take_lead(unit, unit.owner)
            return False
        if inside:
            return False
        self.add(Block("p", text), unit.lines)
        self.warnings.append(
            f'line {line.source_line}: "{text}" could not be placed; kept as a body paragraph '
            "(delete it if it is not part of the article)"
        )
        return True

    def sapo_of(self, unit: Unit) -> etree._Element | None:
        """The box the page names as its sapo that this text is in, if any."""
        if pt.words(unit.text) < _SAPO_WORDS:
            return None
        return styled_as(unit.lines[0], SAPO, self.protected)

    def take_lead(self, unit: Unit, box: etree._Element) -> bool:
        """The lead is one sapo: its lines come from one box; a second one is article text."""
        if self.lead_lines and box is not self.lead_box:
            return False
        self.lead_lines += unit.lines
        self.lead_box = box
        return True

    def box(self, unit: Unit, at: int = 0) -> None:
        """A box around the article: its lines are reported with the box's reason; a tag box
        gives the tags, a breadcrumb the section."""
        if unit.box == "tags" and tag_items(unit.element):
            self.take_tags(tag_items(unit.element), unit.lines)
        elif unit.box == "breadcrumb":
            self.crumbs.append((at, breadcrumb_items(unit.element), unit.lines))
        self.drop(unit.lines, unit.reason or RELATED)

    def take_tags(self, tags: list[str], lines: list[Line]) -> None:
        """The first tag list after the title gives the tags; every one is reported."""
        if not self.tag_lines:
            self.art.tags, self.tag_lines = tags, lines
        self.drop(lines, "tags")

    # ------------------------------------------------------------------------------ body

    def body(self, units: list[Unit], i: int) -> int:
        """Place the piece at ``i`` in the body; returns how many pieces it took."""
        unit = units[i]
        if unit.kind == "box":
            self.box(unit)
        elif unit.kind == "figure":
            return 1 + self.figure(unit, units[i + 1 :])
        elif unit.kind == "row":
            if not self.table_warned:
                self.warnings.append("a table was flattened into one paragraph per row")
                self.table_warned = True
            cells = [line.text for line in unit.lines]
            self.add(Block("p", " | ".join(cells)), unit.lines)
        elif unit.item is not None:
            ordered, number = unit.item
            self.add(Block("ol" if ordered else "li", unit.text, number), unit.lines)
        else:
            self.body_line(unit, units[i + 1 :])
        return 1

    def body_line(self, unit: Unit, after: list[Unit]) -> None:
        text, owner = unit.text, unit.owner
        if vocab.squash(text) == vocab.squash(self.art.title):
            self.drop(unit.lines, REPEATED_TITLE)
        elif reason := vocab.boilerplate(text, in_body=True):
            self.drop(unit.lines, reason)
        elif vocab.related_heading(text):
            self.drop(unit.lines, RELATED)
        elif found := hashtags(text):
            self.take_tags(found, unit.lines)
        elif owner.tag not in HEADINGS and link_only(owner) and not pt.is_paragraph(text):
            self.drop(unit.lines, "related-news link")
        elif (parsed := date_line(text)) and any(s[2] for s in parsed.stamps):
            for line in unit.lines:
                self.seen.append(SeenDate(line.index, True, 10_000, parsed))
                self.why[line.index] = UNUSED_DATE
        elif owner.tag in HEADINGS or self.bold_heading(unit, after):
            self.add(Block("h", text), unit.lines)
        elif item := pt.list_item(text):
            number, rest = item
            self.add(Block("ol" if number else "li", rest, number), unit.lines)
        else:
            self.add(Block("p", text), unit.lines)
            if pt.words(text) < _ODD_WORDS and not pt.ends_sentence(text):
                self.odd.add(unit.lines[0].index)

    def bold_heading(self, unit: Unit, after: list[Unit]) -> bool:
        """``<p><strong>Giá vé không đổi</strong></p>`` before more text: a sub-heading
        (not a bold question or "Speaker:" line of an interview)."""
        text = unit.text
        if not (emphasised(unit.owner, BOLD) and pt.is_heading_like(text)):
            return False
        if text.rstrip().endswith(("?", "!")) or ":" in text:
            return False
        # Running text must follow: "Hoài Thu" above "Nguồn: Báo Nghệ An" closes the article.
        following = next((u for u in after if u.kind != "box"), None)
        return following is not None and (
            following.kind != "text" or bool(following.item) or pt.is_paragraph(following.text)
        )

    def add(self, block: Block, lines: list[Line]) -> None:
        if block.text:
            self.art.body.append(block)
            self.body_lines.append(lines)

    # --------------------------------------------------------------------------- figures

    def figure(self, unit: Unit, after: list[Unit]) -> int:
        """A picture and its caption (inside its box, or the styled line after a bare
        picture); returns how many of the following pieces it took."""
        caption = [line for line in unit.lines if not self.dropped_line(line)]
        taken = 0
        if not caption and after and self.caption_unit(after[0]):
            caption = after[0].lines
            taken = 1
        credit: list[Line] = []
        if caption and len(caption) > 1 and pt.credit_only(caption[-1].text):
            credit = [caption.pop()]
        elif caption and taken and len(after) > 1 and self.credit_unit(after[1]):
            credit = after[1].lines
            taken = 2
        for n, img in enumerate(unit.images):
            name = file_name(source_of(img) or "")
            text = " ".join(line.text for line in caption) if n == 0 else ""
            cap, cred = split_caption(text) if text else (None, None)
            if n == 0 and credit:
                cred = normal_credit(pt.credit_only(credit[0].text) or credit[0].text)
            figure = ImportedFigure(name, cap, cred, position=len(self.art.body))
            figure.page_alt = useful_alt(img.get("alt"), self.art.title, name)
            self.art.figures.append(figure)
            self.figure_lines.append((caption if n == 0 else [], credit if n == 0 else []))
        return taken

    def dropped_line(self, line: Line) -> bool:
        """A button in a picture box ("Phóng to", "Xem ảnh"): reported, not a caption."""
        reason = vocab.boilerplate(line.text, in_body=True)
        if reason:
            self.why[line.index] = reason
        return reason is not None

    def caption_unit(self, unit: Unit) -> bool:
        """The line after a bare picture is its caption when styled as one, or when it is
        short and ends with a photo credit ("… Ảnh: X")."""
        if unit.kind != "text" or unit.item is not None or len(unit.lines) != 1:
            return False
        if not self.lead_lines and not self.art.body and self.sapo_of(unit) is not None:
            return False  # a picture above the sapo: the sapo is not its caption
        if caption_styled(unit.lines[0], self.protected):
            return True
        return pt.words(unit.text) <= _CAPTION_WORDS and split_caption(unit.text)[1] is not None

    def credit_unit(self, unit: Unit) -> bool:
        return unit.kind == "text" and pt.credit_only(unit.text) is not None

    # ------------------------------------------------------------------------------ tail

    def tail(self, units: list[Unit]) -> None:
        """After the content: a byline or "Nguồn: …" right below it, the tags; the boxes
        the page names (tools, comments) are reported as such."""
        for unit in units:
            if unit.kind == "box" and unit.box != LINKS:
                for line in unit.lines:
                    reason = vocab.boilerplate(line.text, in_body=False)
                    self.why[line.index] = reason or unit.reason or RELATED
        for unit in units:
            if unit.kind == "box" and unit.box == "share":
                continue
            if unit.kind != "text" or unit.lines[0].region is not None:
                break
            if vocab.boilerplate(unit.text, in_body=False):
                continue
            if not self.signature(unit.text, unit.lines):
                break
        for unit in units:
            if self.tag_lines:
                break
            if unit.kind == "box" and unit.box == "tags":
                self.box(unit)
            elif unit.kind == "text" and tag_links(unit.owner) and tag_items(unit.owner):
                self.take_tags(tag_items(unit.owner), unit.lines)
            elif unit.kind == "text" and (found := hashtags(unit.text)):
                self.take_tags(found, unit.lines)

    # --------------------------------------------------------------------------- closing

    def closing(self) -> None:
        """A last paragraph that is an attribution or an author line leaves the body."""
        while self.art.body and self.art.body[-1].kind == "p":
            if not self.signature(self.art.body[-1].text, self.body_lines[-1]):
                return
            self.art.body.pop()
            self.body_lines.pop()

    def signature(self, text: str, lines: list[Line]) -> bool:
        """Take an article's signing line: "Theo NAME (Báo X)", "Nguồn: …", a byline."""
        if taken := pt.sourced_byline(text):
            self.add_authors(taken[0], lines)
            self.take_attribution(taken[1], [])
            for line in lines:
                self.to[line.index] = "authors+attribution"
        elif source := pt.attribution(text):
            self.take_attribution(source, lines)
        elif found := author_names(text, lines[0].owner):
            self.add_authors(found, lines)
        else:
            return False
        return True

    def odd_lines(self) -> None:
        """Short body paragraphs that end no sentence may be page furniture the rules do not
        know: they stay, and the editor is told."""
        for block, lines in zip(self.art.body, self.body_lines, strict=True):
            if lines[0].index in self.odd:
                where, text = lines[0].source_line, block.text
                self.warnings.append(f'line {where}: "{text}" kept in the body (not recognised)')

    def take_attribution(self, source: str, lines: list[Line]) -> None:
        self.art.attribution = (
            source if self.art.attribution is None else f"{source}; {self.art.attribution}"
        )
        for line in lines:
            self.to[line.index] = "attribution"

    def add_authors(self, found: list[str], lines: list[Line]) -> None:
        for name in found:
            if name not in self.art.authors:
                self.art.authors.append(name)
        for line in lines:
            self.to[line.index] = "authors"

    def finish_lead(self) -> None:
        """The sapo is the lead; without one, a first paragraph that starts with the site's
        tag ("TTO - ") or repeats the meta description. A first paragraph that repeats the
        lead goes with it."""
        if not self.lead_lines and self.art.body and self.art.body[0].kind == "p":
            prefix, plain = pt.split_lead_prefix(self.art.body[0].text)
            described = self.meta.description and vocab.squash(plain).startswith(
                vocab.squash(self.meta.description.rstrip(".… "))
            )
            if prefix or described:
                self.lead_lines = self.pop_first()
        if not self.lead_lines:
            return
        lead = " ".join(line.text for line in self.lead_lines)
        prefix, text = pt.split_lead_prefix(lead)
        self.art.lead = text.strip()
        first = vocab.squash(self.art.body[0].text) if self.art.body else None
        if first in (vocab.squash(lead), vocab.squash(text)):
            self.lead_lines += self.pop_first()
        for line in self.lead_lines:
            self.to[line.index] = "lead"
        if prefix:
            self.art.source_prefix = prefix.strip(_PREFIX_EDGES) or None
            self.notes[self.lead_lines[0].index] = f'site tag "{prefix.strip()}" removed'
            self.warnings.append(f'lead: site tag "{prefix.strip()}" removed')

    def pop_first(self) -> list[Line]:
        """Take the first body block out (it is the lead); pictures move up one place."""
        self.art.body.pop(0)
        for figure in self.art.figures:
            figure.position = max(0, figure.position - 1)
        return self.body_lines.pop(0)

    # ---------------------------------------------------------------------------- fields

    def fields(self) -> None:
        """Section, authors, tags, address and dates: the page first, then its meta. Without
        a date the article is still handed over (``NoDate``) for a date the editor gives."""
        self.section()
        if not self.art.authors:
            self.art.authors = [a for a in self.meta.authors if self.person(a)]
        if not self.art.tags:  # links the page marks as tags (rel="tag"), else the meta
            self.art.tags = self.rel_tags or list(self.meta.keywords)
        self.art.source_url = self.meta.url
        dates = choose(self.seen, self.meta.published)
        self.warnings += dates.warnings
        for index, used in dates.used.items():
            authors = self.to.get(index) == "authors"
            self.to[index] = "+".join(["authors", *used] if authors else used)
            self.why.pop(index, None)
        self.art.published, self.art.updated = dates.published, dates.updated
        if dates.published is None:
            records = self.records()
            tried = [(r.line, r.text) for r in records if r.to is None and dateish(r.text)]
            raise NoDate(self.art, records, self.warnings, tried)

    def person(self, name: str) -> bool:
        """A meta author that is a person's name, not the site's."""
        site = vocab.squash(self.meta.site_name or "")
        found = pt.names(name)
        return (
            bool(found)
            and not (site and site in vocab.squash(name))
            and not name.startswith(("Báo ", "Tạp chí ", "Đài ", "Cổng ", "Trang "))
        )

    def section(self) -> None:
        """Section and kicker: the breadcrumb nearest the title, else the JSON-LD one,
        else ``article:section`` (and ``--section`` over all of them)."""
        crumbs = sorted((c for c in self.crumbs if c[1]), key=lambda c: c[0])
        for _rank, _levels, lines in crumbs:
            self.drop(lines, "breadcrumb")
        levels = crumbs[0][1] if crumbs else self.meta.breadcrumb or []
        levels = [lv for lv in levels if vocab.key(lv) not in vocab.HOME]
        if self.override is not None:
            return
        if levels:
            self.art.section = levels[0]
            self.art.kicker = levels[-1] if len(levels) > 1 else None
        else:
            self.art.section = self.meta.section

    # --------------------------------------------------------------------------- records

    def drop(self, lines: list[Line], reason: str) -> None:
        for line in lines:
            self.why[line.index] = reason

    def reason_of(self, line: Line) -> str | None:
        """A rule's reason for leaving a line out, whatever its place."""
        if reason := vocab.boilerplate(line.text, in_body=False):
            return reason
        return RELATED if vocab.related_heading(line.text) else None

    def records(self) -> list[LineRecord]:
        """One record per visible line: its field, or why it was left out."""
        to = dict(self.to)
        for n, lines in enumerate(self.body_lines):
            for line in lines:
                to[line.index] = f"body[{n}]"
        for n, (caption, credit) in enumerate(self.figure_lines):
            figure = self.art.figures[n]
            part = "caption" if figure.caption else "credit"
            if figure.caption and figure.credit and not credit:
                part = "caption+credit"
            for line in caption:
                to[line.index] = f"figure[{n}].{part}"
            for line in credit:
                to[line.index] = f"figure[{n}].credit"
        records = []
        for line in self.page.lines:
            record = LineRecord(line.source_line, line.text, to=to.get(line.index))
            record.note = self.notes.get(line.index)
            if record.to is None:
                record.dropped = (
                    self.why.get(line.index) or self.reason_of(line) or line.region or EXTRACTOR
                )
            records.append(record)
        return records
