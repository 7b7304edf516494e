"""Text copied from a news page -> article fields, with the fate of every line.

A copied page reads, top to bottom: site header and menus, the section, the title, byline and
date lines, the lead, the body (with pictures, captions, sub-headings, lists, and link boxes the
CMS put in the middle), the author or the "Theo …" attribution, then the site footer. Each line
first gets a shape from context-free rules (``classify``: picture file, breadcrumb, section
name, link-box heading, boilerplate, date line, photo credit, attribution, names, other); the
reader then finds the anchors in that order:

1. the **lead** is the first running-text line (see ``patterns.is_paragraph``) that has a
   headline-shaped line before it; the **title** is the last headline-shaped line before it;
2. the **end** of the article is the first attribution, author line or boilerplate line after
   which no running text follows before the hard footer (tags, copyright, CMS credit, "Tin
   cùng chuyên mục", ...); everything after it is footer;
3. lines before the title are header (section, breadcrumb, menu, date), lines between the title
   and the lead are byline, date and pictures, and lines in the body are paragraphs,
   sub-headings, list items, pictures and captions unless a boilerplate rule drops them.

Every non-blank line gets a ``LineRecord``: where it went, or why it was dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import patterns as pt
from . import vocabulary as vocab
from .dates import DateLine, dateish, parse_date_line
from .model import Block, Extracted, ImportedFigure, ImportFailure, LineRecord, NoDate

# What a date line the grammar could not read still looks like: "24/11", "07:15", "tháng 11".
_DATEISH = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}|\d{1,2}\s*(?:[:h]\s*\d{2}|giờ)|\btháng\s+\d")

HEADER = "page header (before the title)"
FOOTER = "footer (after the end of the article)"
RELATED = "related-news block"
REPEATED_TITLE = "repeated title"


@dataclass
class Unit:
    """One non-blank line: its number, text, shape, and the record of where it went."""

    line: int
    text: str
    blank_before: bool
    kind: str
    record: LineRecord
    date: DateLine | None = None
    names: list[str] | None = None
    raw: str = ""  # as copied: tabs and runs of spaces separate a breadcrumb's levels


def classify(text: str, raw: str | None = None) -> str:
    """The context-free shape of one line (the layout decides the rest)."""
    if pt.image_name(text):
        return "image"
    if vocab.breadcrumb(raw or text) is not None:
        return "breadcrumb"
    if vocab.is_section_name(text):
        return "section"
    if vocab.related_heading(text) == "listing":
        return "listing"
    if vocab.related_heading(text) == "in-article":
        return "related"
    if vocab.boilerplate(text, in_body=False) or (text.startswith("#") and pt.tag_list(text)):
        return "boilerplate"  # a hashtag line is the page's keywords (collect_tags)
    if parse_date_line(text) is not None:
        return "date"
    if pt.credit_only(text):
        return "credit"
    if pt.attribution(text) or pt.sourced_byline(text):
        return "attribution"
    if pt.names(text) is not None:
        return "names"
    return "other"


def units_of(text: str) -> list[Unit]:
    units: list[Unit] = []
    blank = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = " ".join(raw.split())
        if not line:
            blank = True
            continue
        kind = classify(line, raw.strip())
        unit = Unit(number, line, blank, kind, LineRecord(number, line), raw=raw.strip())
        if kind == "date":
            unit.date = parse_date_line(line)
        elif kind == "names":
            unit.names = pt.names(line)
        units.append(unit)
        blank = False
    return units


class TextReader:
    """Reads one copied page; ``read()`` returns the fields and one record per line."""

    def __init__(self, text: str, section: str | None = None) -> None:
        self.units = units_of(text)
        self.override = section
        self.art = Extracted(section=section)
        self.warnings: list[str] = []
        self.dates: list[tuple[Unit, bool]] = []  # (date line, after the title?)
        self.unplaced: list[Unit] = []  # between title and lead, recognised as nothing
        self.dense = not any(u.blank_before for u in self.units[1:])

    # -------------------------------------------------------------------------- helpers

    def drop(self, unit: Unit, reason: str, note: str | None = None) -> None:
        unit.record.dropped, unit.record.note = reason, note

    def keep(self, unit: Unit, to: str, note: str | None = None) -> None:
        unit.record.to, unit.record.dropped, unit.record.note = to, None, note

    def is_text(self, unit: Unit) -> bool:
        """Running article text (paragraph or list item) by shape alone."""
        return unit.kind == "other" and (
            pt.is_paragraph(unit.text) or pt.list_item(unit.text) is not None
        )

    def is_title(self, unit: Unit) -> bool:
        return vocab.squash(unit.text) == vocab.squash(self.art.title)

    def add_authors(self, found: list[str]) -> None:
        for name in found:
            if name not in self.art.authors:
                self.art.authors.append(name)

    # ----------------------------------------------------------------------------- read

    def wrapped_lines(self) -> int:
        """Lines that look hard-wrapped: long, cut mid-sentence, and continued on the next line
        (a browser copy has one line per paragraph; a text wrapped at ~72 columns does not)."""
        count = 0
        for unit, after in zip(self.units, self.units[1:], strict=False):
            if (
                50 <= len(unit.text) <= 90
                and not pt.ends_sentence(unit.text)
                and not after.blank_before
                and after.text[:1].islower()
            ):
                count += 1
        return count

    def read(self) -> tuple[Extracted, list[LineRecord], list[str]]:
        if not self.units:
            raise ImportFailure("no text (only blank lines)")
        if (wrapped := self.wrapped_lines()) >= 3:
            self.warnings.append(
                f"{wrapped} lines end mid-sentence and go on in lowercase on the next line: the "
                "text looks hard-wrapped, so its paragraphs may have been split; copy it again "
                "with one line per paragraph"
            )
        lead_at, title_at = self.find_lead_and_title()
        self.art.title = self.units[title_at].text
        self.keep(self.units[title_at], "title")
        self.header(self.units[:title_at])
        body_from = self.between(title_at + 1, lead_at)
        for unit in self.unplaced:
            self.add_block(unit, Block("p", unit.text))
            self.warnings.append(
                f'line {unit.line}: "{unit.text}" could not be placed; kept as a body '
                "paragraph (delete it if it is not part of the article)"
            )
        end, limit = self.find_end(body_from)
        self.body(body_from, end)
        footer_from = self.closing(end, limit)
        self.footer(footer_from)
        self.collect_tags(end)
        self.choose_dates()
        if not self.art.body:
            if self.art.lead is None:
                raise ImportFailure("only boilerplate: no article text after the title")
            self.art.body.append(Block("p", self.art.lead))
            self.keep(self.units[lead_at], "body[0]", "the only paragraph; kept as body")
            self.art.lead = None
        records = [u.record for u in self.units]
        if self.art.published is None:
            tried = [(u.line, u.text) for u in self.units if dateish(u.text)]
            raise NoDate(self.art, records, self.warnings, tried)
        return self.art, records, self.warnings

    def failed_records(self) -> list[LineRecord]:
        """After a failure: every line, with the boilerplate reason where a rule names one."""
        for unit in self.units:
            if unit.record.to is None and unit.record.dropped is None:
                unit.record.dropped = (
                    vocab.boilerplate(unit.text, in_body=False)
                    or ("related-news block" if vocab.related_heading(unit.text) else None)
                    or ("breadcrumb" if unit.kind == "breadcrumb" else None)
                    or ("menu" if unit.kind == "section" else None)
                    or "not imported (the input failed)"
                )
            elif unit.record.to is not None:
                unit.record.dropped = "not imported (the input failed)"
                unit.record.to = None
        return [u.record for u in self.units]

    def find_lead_and_title(self) -> tuple[int, int]:
        """Lead: first running text with a headline before it; title: last headline before."""
        candidates: list[int] = []
        skip = False
        for i, unit in enumerate(self.units):
            if skip:
                skip = False
                continue
            if unit.kind == "image":
                skip = self.is_caption(i + 1)
                continue
            if unit.kind != "other" or self.caption_only(unit):
                continue
            if pt.is_paragraph(unit.text) and candidates:
                plain = [c for c in candidates if not self.units[c].text.isupper()]
                return i, (plain or candidates)[-1]
            if pt.is_title_like(unit.text) and pt.list_item(unit.text) is None:
                candidates.append(i)
        if not candidates:
            raise ImportFailure("only boilerplate: no title found")
        raise ImportFailure("only boilerplate: no article text after the title")

    # ------------------------------------------------------------------------- header

    def menu_units(self, units: list[Unit]) -> set[int]:
        """Navigation bars: runs of three or more short lines, one link each, with no blank
        line between them and at least two known section names (unknown ones, "Miền Trung -
        Tây Nguyên", "Giới thiệu", belong to the bar too)."""

        def link(u: Unit) -> bool:
            return (
                u.kind == "section"
                or vocab.menu_items(u.text) == 1
                or (
                    u.kind in ("other", "names")
                    and pt.words(u.text) <= 6
                    and pt.is_heading_like(u.text)
                )
            )

        in_menu: set[int] = set()
        run: list[Unit] = []
        for unit in [*units, None]:
            if unit is not None and link(unit) and (not run or not unit.blank_before):
                run.append(unit)
                continue
            known = [u.kind == "section" or vocab.menu_items(u.text) == 1 for u in run]
            if len(run) >= 3 and sum(known) >= 2:
                first = known.index(True)  # what stands before the first link is the masthead
                in_menu.update(id(u) for u in run[first:])
            run = [unit] if unit is not None and link(unit) else []
        return in_menu

    def header(self, units: list[Unit]) -> None:
        """Before the title: the section (or breadcrumb), menus, date lines, site header."""
        in_menu = self.menu_units(units)
        crumbs = any(u.kind == "breadcrumb" for u in units)
        section_unit = None
        if not crumbs:  # a breadcrumb names the section better than a lone section line
            section_unit = next(
                (u for u in reversed(units) if u.kind == "section" and id(u) not in in_menu),
                None,
            )
        if section_unit is None and units and not crumbs and self.art.section is None:
            last = next((u for u in reversed(units) if u.kind != "date"), None)
            # After a site menu, a short line is the section even if it reads like names.
            shapes = ("other", "names") if in_menu else ("other",)
            if (
                last is not None
                and last.kind in shapes
                and id(last) not in in_menu
                and pt.words(last.text) <= 5
                and pt.is_heading_like(last.text)
            ):
                section_unit = last
        parent = child = None  # "Thời sự" over "Đời sống": section and sub-section
        if section_unit is not None and section_unit.kind == "section":
            at = units.index(section_unit)
            before = units[at - 1] if at else None
            after = units[at + 1] if at + 1 < len(units) else None
            if before is not None and before.kind == "section" and not section_unit.blank_before:
                parent = before
            elif (
                after is not None
                and not after.blank_before
                and after.kind in ("other", "section")
                and pt.words(after.text) <= 4
                and pt.is_heading_like(after.text)
            ):
                parent, child = section_unit, after
        kicker_unit = child or (section_unit if parent is not None else None)
        for unit in units:
            if unit is parent:
                self.take_section(unit, [unit.text, kicker_unit.text])  # type: ignore[union-attr]
            elif unit is kicker_unit:
                if self.art.kicker == unit.text:
                    self.keep(unit, "kicker")
                else:
                    self.drop(unit, "section line (replaced by --section)")
            elif unit is section_unit:
                self.take_section(unit, [unit.text])
            elif unit.kind == "breadcrumb":
                self.take_section(unit, vocab.breadcrumb(unit.raw or unit.text) or [])
            elif id(unit) in in_menu or unit.kind == "section":
                self.drop(unit, "menu")
            elif unit.kind == "date":
                self.take_date(unit, after_title=False)
            elif unit.kind in ("boilerplate", "listing", "related"):
                self.drop(unit, vocab.boilerplate(unit.text, in_body=False) or RELATED)
            else:
                self.drop(unit, HEADER)

    def take_section(self, unit: Unit, items: list[str]) -> None:
        """Section (and kicker) from a section line or the first known name of a breadcrumb."""
        if self.override is not None:
            self.drop(unit, "section line (replaced by --section)")
            return
        if self.art.section is not None or not items:
            self.drop(unit, "breadcrumb" if unit.kind == "breadcrumb" else "menu")
            return
        # A breadcrumb's first level is the section, its last the kicker ("Tin tức - Sự kiện
        # / Kinh tế"); a line that only names sections starts at the first known one.
        first = 0
        if unit.kind != "breadcrumb":
            first = next((n for n, item in enumerate(items) if vocab.is_section_name(item)), 0)
        self.art.section = items[first]
        kicker = items[-1] if len(items) > first + 1 else None
        self.art.kicker = kicker
        both = kicker is not None and unit.kind == "breadcrumb"
        self.keep(unit, "section+kicker" if both else "section")

    # ------------------------------------------------------------------------ between

    def between(self, start: int, lead_at: int) -> int:
        """Title to lead: byline, date lines, pictures; then the lead itself."""
        i = start
        while i < lead_at:
            unit = self.units[i]
            if unit.kind == "image":
                i = self.figure(i)
                continue
            if unit.kind == "date":
                self.take_date(unit, after_title=True)
            elif unit.kind == "names":
                self.add_authors(unit.names or [])
                self.keep(unit, "authors")
            elif unit.kind == "section" and self.art.section is None and self.override is None:
                self.take_section(unit, [unit.text])
            elif unit.kind == "attribution":
                self.take_attribution(unit)
            elif unit.kind in ("boilerplate", "listing", "related", "section"):
                self.drop(unit, vocab.boilerplate(unit.text, in_body=False) or "menu")
            elif self.is_title(unit):
                self.drop(unit, REPEATED_TITLE)
            else:
                self.unplaced.append(unit)  # kept: never lose a line nobody recognised
            i += 1
        lead = self.units[lead_at]
        prefix, text = pt.split_lead_prefix(lead.text)
        self.art.lead, self.art.source_prefix = text, prefix
        self.keep(lead, "source_prefix+lead" if prefix else "lead")
        return lead_at + 1

    # --------------------------------------------------------------------------- end

    def find_end(self, start: int) -> tuple[int, int]:
        """(end of the body, start of the hard footer), both unit indexes."""
        n = len(self.units)
        limit, seen_text = n, False
        for i in range(start, n):
            unit = self.units[i]
            hard = unit.kind == "listing" or (
                unit.kind == "boilerplate"
                and vocab.boilerplate(unit.text, in_body=True) in vocab.HARD_FOOTER
            )
            if hard and seen_text:
                limit = i
                break
            seen_text = seen_text or self.is_text(unit)
        related = self.related_units(start, limit)
        text_after = [False] * (limit + 1)
        for i in range(limit - 1, start - 1, -1):
            unit = self.units[i]
            text_after[i] = text_after[i + 1] or (i not in related and self.is_text(unit))
        for i in range(start, limit):
            unit = self.units[i]
            if text_after[i + 1] or i in related:
                continue
            if unit.kind in ("attribution", "names", "boilerplate", "related", "listing"):
                return i, limit
        return limit, limit

    def related_units(self, start: int, stop: int) -> set[int]:
        """Indexes of link boxes: a "Tin liên quan" heading and the headlines under it, up to
        running text or a blank line after at least one headline."""
        found: set[int] = set()
        i = start
        while i < stop:
            if self.units[i].kind not in ("related", "listing"):
                i += 1
                continue
            found.add(i)
            i += 1
            items = 0
            while i < stop:
                unit = self.units[i]
                if self.is_text(unit) or unit.kind == "image" or (unit.blank_before and items):
                    break
                found.add(i)
                items += 1
                i += 1
        return found

    # -------------------------------------------------------------------------- body

    def body(self, start: int, end: int) -> None:
        related = self.related_units(start, end)
        i = start
        while i < end:
            unit = self.units[i]
            if i in related:
                reason = vocab.boilerplate(unit.text, in_body=True)
                self.drop(unit, REPEATED_TITLE if self.is_title(unit) else reason or RELATED)
            elif unit.kind == "image":
                i = self.figure(i)
                continue
            elif self.is_title(unit):
                self.drop(unit, REPEATED_TITLE)
            elif reason := vocab.boilerplate(unit.text, in_body=True):
                self.drop(unit, reason)
            elif unit.kind == "date" and unit.date and unit.date.stamps[0][2]:
                self.take_date(unit, after_title=True)
            elif self.is_numbered_heading(i, end, related):
                self.add_block(unit, Block("h", unit.text))
            elif item := pt.list_item(unit.text):
                number, text = item
                self.add_block(unit, Block("ol" if number else "li", text, number))
            elif self.caption_only(unit):
                self.caption_figure(unit)
            elif pt.is_heading_like(unit.text) and self.text_follows(i + 1, end, related):
                self.add_block(unit, Block("h", unit.text))
            else:
                self.add_block(unit, Block("p", unit.text))
            i += 1

    def next_kept(self, i: int, end: int, related: set[int]) -> Unit | None:
        for j in range(i, end):
            unit = self.units[j]
            if j not in related and not vocab.boilerplate(unit.text, in_body=True):
                return unit
        return None

    def is_numbered_heading(self, i: int, end: int, related: set[int]) -> bool:
        """``1. Năng suất cao, giá bán tốt`` over paragraphs is a sub-heading, not a list:
        no item numbered one less before it, none numbered one more after it, and running
        text next."""
        item = pt.list_item(self.units[i].text)
        if item is None or item[0] is None or not pt.is_heading_like(self.units[i].text):
            return False
        number = item[0]
        last = self.art.body[-1] if self.art.body else None
        if last is not None and last.kind == "ol" and last.number == number - 1:
            return False
        after = self.next_kept(i + 1, end, related)
        if after is None or not (self.is_text(after) or after.kind == "image"):
            return False
        follow = pt.list_item(after.text)
        return follow is None or follow[0] != number + 1

    def caption_only(self, unit: Unit) -> bool:
        """A picture's caption copied without its picture: a short line ending in its photo
        credit (``… - Ảnh: Ngọc Thành``)."""
        if unit.kind not in ("other", "names"):
            return False
        caption, credit = pt.split_credit(unit.text)
        return bool(caption and credit) and pt.words(caption or "") <= 45

    def caption_figure(self, unit: Unit) -> None:
        caption, credit = pt.split_credit(unit.text)
        n = len(self.art.figures)
        figure = ImportedFigure("", caption, credit, position=len(self.art.body))
        self.art.figures.append(figure)
        self.keep(unit, f"figure[{n}].caption+credit", "a caption without its picture")
        self.warnings.append(
            f"line {unit.line}: a caption without its picture; a placeholder stands in for it"
        )

    def text_follows(self, i: int, end: int, related: set[int]) -> bool:
        """Is the next kept line running text, a list item or a picture (a heading's test)?"""
        unit = self.next_kept(i, end, related)
        return unit is not None and (unit.kind == "image" or self.is_text(unit))

    def add_block(self, unit: Unit, block: Block) -> None:
        self.keep(unit, f"body[{len(self.art.body)}]")
        self.art.body.append(block)

    # ------------------------------------------------------------------------ figures

    def is_caption(self, i: int) -> bool:
        """The line after a picture is its caption if it follows without a blank line (in a
        text whose paragraphs are separated by blank lines), is short in a text without blank
        lines, or ends with a photo credit."""
        if i >= len(self.units):
            return False
        unit = self.units[i]
        if unit.kind not in ("other", "credit", "names"):
            return False
        if pt.split_credit(unit.text)[1]:
            return True
        if self.dense:
            return pt.words(unit.text) <= 40
        return not unit.blank_before

    def figure(self, i: int) -> int:
        """A picture line, its caption and credit lines; returns the next index."""
        unit = self.units[i]
        n = len(self.art.figures)
        figure = ImportedFigure(pt.image_name(unit.text) or unit.text, position=len(self.art.body))
        self.art.figures.append(figure)
        self.keep(unit, f"figure[{n}].file")
        path = "" if "://" in unit.text else unit.text
        if path.startswith(("/", "\\")) or ".." in path.replace("\\", "/").split("/"):
            self.warnings.append(
                f'line {unit.line}: the picture "{unit.text}" points outside the article\'s '
                f'folder; only its name "{figure.name}" is used, looked for beside the input'
            )
        i += 1
        if self.is_caption(i):
            caption, credit = pt.split_credit(self.units[i].text)
            figure.caption, figure.credit = caption, credit
            to = "caption+credit" if caption and credit else "caption" if caption else "credit"
            note = "the caption is also the alt text" if caption else None
            self.keep(self.units[i], f"figure[{n}].{to}", note)
            i += 1
        if figure.credit is None and i < len(self.units) and self.units[i].kind == "credit":
            figure.credit = pt.credit_only(self.units[i].text)
            self.keep(self.units[i], f"figure[{n}].credit")
            i += 1
        return i

    # ------------------------------------------------------------------ closing, footer

    def closing(self, end: int, limit: int) -> int:
        """The author and attribution lines that end the article; returns the footer start."""
        i = end
        while i < limit and self.units[i].kind in ("names", "attribution"):
            unit = self.units[i]
            if unit.kind == "names":
                self.add_authors(unit.names or [])
                self.keep(unit, "authors")
            else:
                self.take_attribution(unit)
            i += 1
        return i

    def take_attribution(self, unit: Unit) -> None:
        sourced = pt.sourced_byline(unit.text)
        if sourced:  # "Theo TRẦN THÁI (Báo Bình Định)": the writer, and the paper
            self.add_authors(sourced[0])
        text = sourced[1] if sourced else pt.attribution(unit.text) or unit.text
        if self.art.attribution is None:
            self.art.attribution = text
            self.keep(unit, "attribution")
        else:
            self.art.attribution += f"; {text}"
            self.keep(unit, "attribution", "joined to the first attribution")

    def footer(self, start: int) -> None:
        related = self.related_units(start, len(self.units))
        for i in range(start, len(self.units)):
            unit = self.units[i]
            reason = vocab.boilerplate(unit.text, in_body=False)
            if self.is_title(unit):
                self.drop(unit, REPEATED_TITLE)
            elif reason or i in related:
                self.drop(unit, reason or RELATED)
            else:
                self.drop(unit, FOOTER)

    def collect_tags(self, start: int) -> None:
        """The page's keywords (a "Từ khóa:" line, hashtags, or a "Tag:" label over one
        keyword per line), from the end of the article on."""
        i = start
        while i < len(self.units):
            unit = self.units[i]
            found = pt.tag_list(unit.text) if unit.record.to is None else None
            i += 1
            if found is None:
                continue
            self.keep(unit, "tags")
            if not found:  # the label alone: keywords one per line, up to a blank line
                while i < len(self.units) and not self.units[i].blank_before:
                    word = self.units[i]
                    if pt.words(word.text) > 6 or vocab.boilerplate(word.text, in_body=False):
                        break
                    found.append(word.text)
                    self.keep(word, "tags")
                    i += 1
            self.art.tags += [t for t in found if t not in self.art.tags]

    # ------------------------------------------------------------------------- dates

    def take_date(self, unit: Unit, *, after_title: bool) -> None:
        self.dates.append((unit, after_title))
        if unit.date and unit.date.authors:
            self.add_authors(unit.date.authors)

    def choose_dates(self) -> None:
        """Published: the first timed date after the title, else the nearest one before it;
        a date labelled "Cập nhật" is the update time (or published if it is the only one)."""
        stamps = [
            (unit, after, when, timed, upd)
            for unit, after in self.dates
            for when, timed, upd in (unit.date.stamps if unit.date else [])
        ]
        # The article's own date line follows the title when it has one: a date above the
        # title is then the site's (the day the page was copied).
        after_title = any(s[1] for s in stamps)
        order = sorted(
            stamps,
            key=lambda s: (
                after_title and not s[1],
                s[4],
                not s[3],
                not s[1],
                s[0].line * (1 if s[1] else -1),
            ),
        )
        if not order:
            return  # read() reports it, naming the lines that looked like dates
        unit, _, when, timed, upd = order[0]
        self.art.published = when
        if upd:
            self.warnings.append(
                f"line {unit.line}: only an update time was given; used as the publication time"
            )
        if not timed:
            self.warnings.append(f"line {unit.line}: the date has no time; 00:00 assumed")
        used: dict[int, list[str]] = {id(unit): ["published"]}
        for unit, _, when, _timed, upd in order[1:]:
            if upd and self.art.updated is None and when > self.art.published:
                self.art.updated = when
                used.setdefault(id(unit), []).append("updated")
        for unit, _ in self.dates:
            fields = used.get(id(unit), [])
            if unit.date and unit.date.authors:
                fields = ["authors", *fields]
            if fields:
                self.keep(unit, "+".join(fields))
            else:
                self.drop(unit, "date line (not used)")
