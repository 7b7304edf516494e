"""Checks for an editor's slips that still make a valid bulletin: pure functions, no I/O but a
folder listing.

The loader calls them and words the messages; what is a warning and what an error is decided
there (see the README's "Checks").
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .models import VN_TZ, DateRange

ARTICLE_SUFFIXES = (".md", ".markdown", ".json")
ARTICLES_DIR = "articles"


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def closest_path(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate path an editor most likely meant by ``name``, if any is close.

    Names in the same folder are compared by their stems (``02-hia`` for ``02-hai``, whatever
    the suffix); across folders the whole paths must be nearly equal (``article/x.md``).
    Case and Unicode form (a name typed on a Mac) do not count.
    """
    from difflib import SequenceMatcher  # only when a message needs it

    target = _key(posixpath.normpath(name))
    folder, base = posixpath.split(target)
    stem = posixpath.splitext(base)[0]
    best, best_score = None, 0.0
    for candidate in candidates:
        key = _key(candidate)
        if key == target:
            return candidate
        c_folder, c_base = posixpath.split(key)
        if c_folder == folder:
            score = SequenceMatcher(None, stem, posixpath.splitext(c_base)[0]).ratio()
            score = score if score >= 0.6 else 0.0
        else:
            score = SequenceMatcher(None, target, key).ratio()
            score = score if score >= 0.8 else 0.0
        if score > best_score:
            best, best_score = candidate, score
    return best


# Names an editor may reach for (a newsroom's or another tool's) and the field meant.
ALIASES = {
    "sapo": "lead",
    "summary": "lead",
    "description": "lead",
    "author": "authors",
    "by": "authors",
    "date": "published",
    "category": "section",
    "image": "figures",
    "images": "figures",
    "tag": "tags",
    "keywords": "tags",
    "source": "attribution",
    "url": "source_url",
}


def closest_word(word: str, candidates: Iterable[str]) -> str | None:
    """The known name closest to a misspelt key (``publiser`` -> ``publisher``, and ``sapo``
    -> ``lead``)."""
    from difflib import SequenceMatcher

    candidates = list(candidates)
    alias = ALIASES.get(_key(word))
    if alias in candidates:
        return alias
    best, best_score = None, 0.0
    target = _key(word)
    for candidate in candidates:
        score = SequenceMatcher(None, target, _key(candidate)).ratio()
        if score >= 0.6 and score > best_score:
            best, best_score = candidate, score
    return best


def did_you_mean(meant: str | None, given: str) -> str:
    """``; did you mean "…"?`` (or nothing), saying when only the Unicode form differs."""
    if meant is None:
        return ""
    if unicodedata.normalize("NFC", meant) == unicodedata.normalize("NFC", given):
        return f'; did you mean "{meant}" (the same letters in another Unicode form)?'
    return f'; did you mean "{meant}"?'


def article_files(root: Path) -> list[str]:
    """Article files under ``articles/``, as bulletin-relative POSIX paths, in name order.

    Names starting with ``.`` or ``_`` are skipped, folders too: an editor's backups, lock
    files and drafts kept for a later issue (``articles/_tuan-sau/``).
    """
    top = root / ARTICLES_DIR
    found: list[str] = []
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        rel = Path(folder).relative_to(root).as_posix()
        for name in sorted(files):
            if name.endswith(ARTICLE_SUFFIXES) and not name.startswith((".", "_")):
                found.append(f"{rel}/{name}")
    return found


def same_title(title: str) -> str:
    """Titles that print the same compare equal: case, spaces and Unicode form aside."""
    return _key(" ".join(title.split()))


def date_outside_issue(published: dt.datetime, week: DateRange, year: int) -> str | None:
    """Why a publication date does not belong to the issue, or None when it does."""
    day = published.astimezone(VN_TZ).date()
    if week.start <= day <= week.end:
        return None
    if day.year != year and week.start.year != day.year and week.end.year != day.year:
        return f"is in {day.year}, not in the issue's year {year}"
    return f"is outside the issue's week ({week.start.isoformat()} to {week.end.isoformat()})"
