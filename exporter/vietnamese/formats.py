"""Vietnamese dates and numbers, from CLDR (Babel).

Babel is pinned in pyproject.toml: CLDR changes these strings between releases (for example
``Thứ năm`` became ``Thứ Năm``), and the tests check them exactly.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

LOCALE = "vi"
NBSP = "\u00a0"
EN_DASH = "\u2013"


def short_date(day: dt.date) -> str:
    """``Thứ Năm, 23/11/2023``: the byline form Vietnamese papers print."""
    return format_date(day, "EEEE, dd/MM/y", locale=LOCALE)


def full_date(day: dt.date) -> str:
    """``Thứ Năm, ngày 23 tháng 11 năm 2023`` (the spelled-out form of formal text)."""
    return format_date(day, "EEEE, 'ngày' d 'tháng' M 'năm' y", locale=LOCALE)


def time_of_day(moment: dt.datetime | dt.time) -> str:
    """``20:39`` (24-hour, as CLDR ``vi`` prescribes)."""
    return format_time(moment, "HH:mm", locale=LOCALE)


def byline_datetime(moment: dt.datetime) -> str:
    """``Thứ Năm, 23/11/2023 20:39`` with a no-break space so date and time stay together."""
    return f"{short_date(moment.date())}{NBSP}{time_of_day(moment)}"


def date_range(start: dt.date, end: dt.date) -> str:
    """``20–26/11/2023``; the shared parts are written once, as Vietnamese papers do."""
    if start == end:
        return format_date(start, "d/M/y", locale=LOCALE)
    if start.year != end.year:
        left = format_date(start, "d/M/y", locale=LOCALE)
    elif start.month != end.month:
        left = format_date(start, "d/M", locale=LOCALE)
    else:
        left = format_date(start, "d", locale=LOCALE)
    return f"{left}{EN_DASH}{format_date(end, 'd/M/y', locale=LOCALE)}"


def number(value: float | int) -> str:
    """``1.234.567,5``"""
    return format_decimal(value, locale=LOCALE)


def money_vnd(value: int) -> str:
    """``1.234.567 ₫`` with CLDR's no-break space."""
    return format_currency(value, "VND", locale=LOCALE)
