"""Publication and update times of a saved page: its visible date lines first, then its meta.

A page shows the article's time near the title ("Thứ bảy, 25/11/2023 | 07:30", "Ngày đăng:
24/11/2023 09:45 AM | Cập nhật: 24/11/2023 02:20 PM"); the site header often shows today's
date, without a time. The first timed date after the title wins, then the nearest before it,
then ``article:published_time``; a date without a time is the last resort.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .dates import DateLine


@dataclass
class SeenDate:
    """A date line of the page: which line, and where it is from the title."""

    line: int
    after_title: bool
    distance: int  # pieces between it and the title
    date: DateLine
    site: bool = False  # in the site's header: today's date more likely than the article's


@dataclass
class Dates:
    """The chosen times, which lines gave them, and what the reader should be told."""

    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    used: dict[int, list[str]] = field(default_factory=dict)  # line -> fields it gave
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Stamp:
    """One date the page gives: from a line (``seen``) or from its meta (``seen`` None)."""

    when: dt.datetime
    timed: bool
    updated: bool = False
    seen: SeenDate | None = None


def _published(stamps: list[_Stamp], meta: _Stamp | None) -> _Stamp | None:
    """The best source of the publication time, in the order ``choose`` documents."""
    lines = [(x, x.seen) for x in stamps if x.seen is not None]
    lines.sort(key=lambda pair: (not pair[1].after_title, pair[1].distance))
    page = [x for x, seen in lines if not seen.site and not x.updated]
    site = [x for x, seen in lines if seen.site and not x.updated]
    updates = [x for x, seen in lines if not seen.site and x.updated]
    options = (
        next((x for x in page if x.timed), None),
        meta if meta is not None and meta.timed else None,
        next((x for x in updates if x.timed), None),
        next((x for x in site if x.timed), None),
        page[0] if page else None,
        meta,
        updates[0] if updates else None,
        site[0] if site else None,
    )
    return next((o for o in options if o is not None), None)


def choose(seen: list[SeenDate], meta_published: tuple[dt.datetime, bool] | None) -> Dates:
    """Published: the first timed date line after the title, else the nearest before it,
    else the meta time, else a "Cập nhật" time (the only date given), else a timed date of
    the site's header; a date without a time only when nothing has one. Updated: a "Cập
    nhật" date later than that."""
    out = Dates()
    stamps = [_Stamp(when, timed, upd, s) for s in seen for when, timed, upd in s.date.stamps]
    meta = _Stamp(*meta_published) if meta_published else None
    best = _published(stamps, meta)
    if best is None:
        return out
    if best.updated:
        out.warnings.append("only an update time was given; used as the publication time")
    out.published = best.when
    if best.seen is not None:
        out.used[best.seen.line] = ["published"]
    if not best.timed:
        out.warnings.append(f"{best.when:%d/%m/%Y}: the date has no time; 00:00 assumed")
    later = next((x for x in stamps if x.updated and x.when > best.when and x.seen), None)
    if later is not None and later.seen is not None:
        out.updated = later.when
        out.used.setdefault(later.seen.line, []).append("updated")
    return out
