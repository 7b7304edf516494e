"""Vietnamese dates, numbers and sort order, from CLDR (Babel) and ICU.

Babel is pinned in pyproject.toml: CLDR changes these strings between releases (for example
``Thứ năm`` became ``Thứ Năm``), and the tests check them exactly.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

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


# --- collation --------------------------------------------------------------------------

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {c: i for i, c in enumerate(_ALPHABET)}
_TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_MODIFIERS = {"\u0306", "\u0302", "\u031b"}

SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def fallback_sort_key(text: str) -> SortKey:
    """A CLDR-``vi``-like key: letters first, then tones, then case (used without PyICU)."""
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        marks = decomposed[1:]
        tone = "".join(m for m in marks if m in _TONES)
        letter = unicodedata.normalize(
            "NFC", decomposed[0] + "".join(m for m in marks if m in _MODIFIERS)
        )
        lower = letter.lower()
        if lower in _PRIMARY:
            primary.append(100 + _PRIMARY[lower])
            secondary.append(_TONES.get(tone, 9))
            tertiary.append(int(letter != lower))
        elif char.isspace():
            primary.append(1)
            secondary.append(0)
            tertiary.append(0)
        elif char.isdigit():
            primary.append(10 + int(unicodedata.digit(char, 0)))
            secondary.append(0)
            tertiary.append(0)
        else:
            primary.append(1000 + ord(char))
            secondary.append(0)
            tertiary.append(0)
    return tuple(primary), tuple(secondary), tuple(tertiary)


@lru_cache(maxsize=1)
def _icu_key() -> Callable[[str], object] | None:
    try:
        import icu  # PyICU
    except ImportError:
        return None
    collator = icu.Collator.createInstance(icu.Locale("vi"))
    return collator.getSortKey


def sort_key(text: str) -> object:
    """Vietnamese collation key: ICU's ``vi`` tailoring when PyICU is present."""
    icu_key = _icu_key()
    return icu_key(text) if icu_key else fallback_sort_key(text)


T = TypeVar("T")


def vi_sorted(items: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    return sorted(items, key=lambda item: sort_key(key(item)))
