"""The back-of-issue index: topics and authors, in Vietnamese order.

Topics are grouped under the 33 index letters of CLDR ``vi`` (Ă, Â, Đ, Ê, Ô, Ơ, Ư are letters
of their own, so "Đà Nẵng" is under Đ, never D). Authors are sorted the way Vietnamese lists
sort people, by given name first, then family and middle names, and always shown uninverted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from exporter.source.models import Article, Bulletin

from .collation import sort_key

_KEEP_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn make letters; tones don't


def index_letter(term: str) -> str:
    """``Ấn Độ`` -> ``Â``; ``Đà Nẵng`` -> ``Đ``; digits and symbols -> ``#``."""
    first = unicodedata.normalize("NFC", term.strip())[:1]
    if not first.isalpha():
        return "#"
    decomposed = unicodedata.normalize("NFD", first)
    letter = decomposed[0] + "".join(m for m in decomposed[1:] if m in _KEEP_MARKS)
    return unicodedata.normalize("NFC", letter).upper()


def person_key(name: str) -> tuple[object, object]:
    """Given name first, then the rest: ``Nguyễn Thị An`` sorts under An."""
    parts = name.split()
    return sort_key(parts[-1] if parts else ""), sort_key(" ".join(parts[:-1]))


@dataclass(frozen=True)
class Entry:
    term: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Group:
    letter: str
    entries: tuple[Entry, ...]


def topic_index(bulletin: Bulletin) -> list[Group]:
    """Tags of every article, merged case-insensitively, grouped by index letter."""
    terms: dict[str, tuple[str, list[Article]]] = {}
    for article in bulletin.articles:
        for tag in article.tags:
            _term, articles = terms.setdefault(tag.casefold(), (tag, []))
            if all(a.slug != article.slug for a in articles):
                articles.append(article)
    ordered = sorted(terms.values(), key=lambda item: sort_key(item[0]))
    groups: dict[str, list[Entry]] = {}
    for term, articles in ordered:
        groups.setdefault(index_letter(term), []).append(Entry(term, tuple(articles)))
    letters = sorted(groups, key=lambda letter: (letter == "#", sort_key(letter)))
    return [Group(letter, tuple(groups[letter])) for letter in letters]


def author_index(bulletin: Bulletin) -> list[Entry]:
    """Every author with their articles, sorted by given name."""
    written: dict[str, list[Article]] = {}
    for article in bulletin.articles:
        for author in article.authors:
            written.setdefault(author, []).append(article)
    return [Entry(name, tuple(written[name])) for name in sorted(written, key=person_key)]
