"""Date lines as Vietnamese sites print them, with the byline text that shares the line.

Forms read: ``23/11/2023 20:39``, ``Thứ năm, 23/11/2023, 07:15 (GMT+7)``, ``23-11-2023 - 08:05``,
``Cập nhật: 09:30 ngày 24/11/2023``, ``23/11/2023 07:15 GMT+7``, ``07h15 23.11.2023``,
``ngày 23 tháng 11 năm 2023``, 12-hour clocks (``02:30 PM``, ``8:30 SA``, ``3:10 CH``) and
``Ngày đăng: … | Cập nhật: …``. A line is a date line only if, once the dates, times, weekday,
time zone and labels are taken out, nothing is left but separators or author names: a sentence
that mentions a date stays a sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from exporter.source.models import VN_TZ

from .patterns import is_paragraph, names

_DATE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\s*(?P<s>[/.-])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<y>\d{4})(?!\d)"
    r"|ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})"
    r"|(?<![\d/.-])(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})(?![\d/.-])",  # ISO 2023-11-25
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\d/.-])(?P<H>\d{1,2})\s*(?::|h|giờ)\s*(?P<M>\d{2})(?::\d{2})?(?![\d/])"
    r"(?:\s*(?P<ap>(?i:am|pm|a\.m\.|p\.m\.|sa|ch))(?!\w))?"
)
_WEEKDAY = re.compile(
    r"\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s+nhật|CN|T[2-7])\b", re.IGNORECASE
)
_TZ = re.compile(r"\(?\s*(?:GMT|UTC)\s*\+\s*0?7(?::?00)?\s*\)?|\+07:?00", re.IGNORECASE)
_UPDATED = re.compile(r"cập\s+nhật|sửa\s+đổi|updated?", re.IGNORECASE)
_LABELS = re.compile(
    r"\b(?:cập\s+nhật(?:\s+lúc)?|ngày\s+cập\s+nhật|ngày\s+đăng|đăng\s+(?:lúc|ngày|tải)|đăng"
    r"|xuất\s+bản|thời\s+gian|published|updated?|lúc|ngày|vào)\b",
    re.IGNORECASE,
)
_EDGES = " |,;:()[]/•·–—-"


# What a date the grammar could not read still looks like: "24/11", "07:15", "tháng 11".
_DATEISH = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}|\d{1,2}\s*(?:[:h]\s*\d{2}|giờ)|\btháng\s+\d")


def dateish(text: str) -> bool:
    """A short line that looks like a date (named when no date could be read)."""
    return len(text) <= 100 and bool(_DATEISH.search(text)) and not is_paragraph(text)


@dataclass
class DateLine:
    """What one date line says: dates (with ``updated`` flags) and the names beside them."""

    stamps: list[tuple[dt.datetime, bool, bool]] = field(default_factory=list)  # when, timed, upd
    authors: list[str] = field(default_factory=list)


def _date(m: re.Match[str]) -> dt.date | None:
    d, mo, y = (m.group("d"), m.group("m"), m.group("y"))
    if d is None:
        d, mo, y = m.group("d2"), m.group("m2"), m.group("y2")
    if d is None:
        d, mo, y = m.group("d3"), m.group("m3"), m.group("y3")
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def parse_date_line(line: str) -> DateLine | None:
    """The dates of a date line (at most two: published, updated), or None."""
    text = line.strip()
    if len(text) > 160:
        return None
    dates = list(_DATE.finditer(text))
    if not dates or len(dates) > 2:
        return None
    spans = [m.span() for m in dates]
    times = [m for m in _TIME.finditer(text) if not any(a <= m.start() < b for a, b in spans)]
    if len(times) > len(dates):
        return None
    # Each time belongs to the date it stands next to ("… 23/11/2023 | Cập nhật: 24/11/2023
    # 08:15": the time is the update's), whichever side it is on.
    clocks: dict[int, re.Match[str]] = {}
    for t in times:
        gaps = [max(d.start() - t.end(), t.start() - d.end()) for d in dates]
        nearest = min(range(len(dates)), key=lambda i: gaps[i])
        if nearest in clocks:
            return None
        clocks[nearest] = t
    result = DateLine()
    for i, m in enumerate(dates):
        day = _date(m)
        if day is None:
            return None
        near = clocks.get(i)
        clock = dt.time()
        if near is not None:
            hour, minute = int(near.group("H")), int(near.group("M"))
            meridiem = (near.group("ap") or "").lower().replace(".", "")
            if meridiem and not 1 <= hour <= 12:
                return None
            if meridiem in ("pm", "ch") and hour != 12:
                hour += 12
            elif meridiem in ("am", "sa") and hour == 12:
                hour = 0
            if hour > 23 or minute > 59:
                return None
            clock = dt.time(hour, minute)
        start = min(m.start(), near.start() if near else m.start())
        before = text[spans[i - 1][1] if i else 0 : start]
        updated = bool(_UPDATED.search(before[-30:]))
        stamp = dt.datetime.combine(day, clock, tzinfo=VN_TZ)
        result.stamps.append((stamp, near is not None, updated))
    rest = _DATE.sub(" ", text)
    rest = _TIME.sub(" ", rest)
    rest = _TZ.sub(" ", _WEEKDAY.sub(" ", rest))
    rest = _LABELS.sub(" ", rest)
    rest = " ".join(rest.replace("()", " ").split()).strip(_EDGES)
    if rest:
        authors = names(rest)
        if authors is None:
            return None
        result.authors = authors
    return result
