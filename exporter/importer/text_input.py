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

from dataclasses import dataclass

from . import patterns as pt
from . import vocabulary as vocab
from .dates import DateLine, parse_date_line
from .model import Block, Extracted, ImportedFigure, ImportFailure, LineRecord

HEADER = "page header (before the title)"
FOOTER = "footer (after the end of the article)"
UNKNOWN_HEADER = "header line (not recognised)"
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


def classify(text: str) -> str:
    """The context-free shape of one line (the layout decides the rest)."""
    if pt.image_name(text):
        return "image"
    if vocab.breadcrumb(text) is not None:
        return "breadcrumb"
    if vocab.is_section_name(text):
        return "section"
    if vocab.related_heading(text) == "listing":
        return "listing"
    if vocab.related_heading(text) == "in-article":
        return "related"
    if vocab.boilerplate(text, in_body=False):
        return "boilerplate"
    if parse_date_line(text) is not None:
        return "date"
    if pt.credit_only(text):
        return "credit"
    if pt.attribution(text):
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
        kind = classify(line)
        unit = Unit(number, line, blank, kind, LineRecord(number, line))
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
        self.dense = not any(u.blank_before for u in self.units[1:])

    # -------------------------------------------------------------------------- helpers

    def drop(self, unit: Unit, reason: str, note: str | None = None) -> None:
        unit.record.dropped, unit.record.note = reason, note

    def keep(self, unit: Unit, to: str, note: str | None = None) -> None:
        unit.record.to, unit.record.note = to, note

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
        end, limit = self.find_end(body_from)
        self.body(body_from, end)
        footer_from = self.closing(end, limit)
        self.footer(footer_from)
        self.choose_dates()
        if not self.art.body:
            if self.art.lead is None:
                raise ImportFailure("only boilerplate: no article text after the title")
            self.art.body.append(Block("p", self.art.lead))
            self.keep(self.units[lead_at], "body[0]", "the only paragraph; kept as body")
            self.art.lead = None
        return self.art, [u.record for u in self.units], self.warnings

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
            if unit.kind != "other":
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

    def header(self, units: list[Unit]) -> None:
        """Before the title: the section (or breadcrumb), menus, date lines, site header."""
        site = {id(u) for u in units if u.kind == "section" or vocab.menu_items(u.text) == 1}
        in_menu: set[int] = set()
        run: list[Unit] = []
        for unit in [*units, None]:
            if unit is not None and id(unit) in site and (not run or not unit.blank_before):
                run.append(unit)
                continue
            if len(run) >= 3:
                in_menu.update(id(u) for u in run)
            run = [unit] if unit is not None and id(unit) in site else []
        section_unit = next(
            (u for u in reversed(units) if u.kind == "section" and id(u) not in in_menu), None
        )
        crumbs = any(u.kind == "breadcrumb" for u in units)
        if section_unit is None and units and not crumbs and self.art.section is None:
            last = units[-1]
            if last.kind == "other" and pt.words(last.text) <= 5 and pt.is_heading_like(last.text):
                section_unit = last
        parent = None  # "Thời sự" above "Đời sống": section and sub-section, like a breadcrumb
        if section_unit is not None and section_unit.kind == "section":
            at = units.index(section_unit)
            before = units[at - 1] if at else None
            if before is not None and before.kind == "section" and not section_unit.blank_before:
                parent = before
        for unit in units:
            if unit is parent:
                self.take_section(unit, [unit.text, section_unit.text])
            elif unit is section_unit and parent is not None:
                if self.art.kicker == unit.text:
                    self.keep(unit, "kicker")
                else:
                    self.drop(unit, "section line (replaced by --section)")
            elif unit is section_unit:
                self.take_section(unit, [unit.text])
            elif unit.kind == "breadcrumb":
                self.take_section(unit, vocab.breadcrumb(unit.text) or [])
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
                self.drop(unit, UNKNOWN_HEADER)
                self.warnings.append(f'line {unit.line}: "{unit.text}" {UNKNOWN_HEADER}; dropped')
            i += 1
        lead = self.units[lead_at]
        prefix, text = pt.split_lead_prefix(lead.text)
        self.art.lead = text
        self.keep(lead, "lead", f'site tag "{prefix}" removed' if prefix else None)
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
            elif item := pt.list_item(unit.text):
                number, text = item
                self.add_block(unit, Block("ol" if number else "li", text, number))
            elif pt.is_heading_like(unit.text) and self.text_follows(i + 1, end, related):
                self.add_block(unit, Block("h", unit.text))
            else:
                self.add_block(unit, Block("p", unit.text))
            i += 1

    def text_follows(self, i: int, end: int, related: set[int]) -> bool:
        """Is the next kept line running text, a list item or a picture (a heading's test)?"""
        for j in range(i, end):
            unit = self.units[j]
            if j in related or vocab.boilerplate(unit.text, in_body=True):
                continue
            return unit.kind == "image" or self.is_text(unit)
        return False

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
        text = pt.attribution(unit.text) or unit.text
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
        order = sorted(
            stamps, key=lambda s: (s[4], not s[3], not s[1], s[0].line * (1 if s[1] else -1))
        )
        if not order:
            raise ImportFailure("no publication date found (e.g. 23/11/2023 20:39)")
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
