"""Vietnamese sort order: ICU's ``vi`` tailoring when PyICU is present, else a tested key."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

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
