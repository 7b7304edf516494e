"""Vietnamese letters and syllables: NFC with mark-order repair and the syllable grammar.

The one owner of what both the orthography checks and the legacy-encoding repair need to tell
real Vietnamese from mangled text; it imports neither of them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from exporter.vietnamese.letters import (
    VI_COMBINING_MARKS,
    VI_LETTERS,
    VI_MODIFIER_MARKS,
    VI_TONE_MARKS,
    VI_VOWELS,
)

__all__ = ["is_vietnamese_word", "to_nfc"]

# --------------------------------------------------------------------------------------------
# NFC with mark-order repair (rule 1.2)
# --------------------------------------------------------------------------------------------

_MODIFIERS = frozenset(VI_MODIFIER_MARKS)
_TONES = frozenset(VI_TONE_MARKS)


def _repair_cluster(cluster: str) -> str:
    """Re-order one NFD base+marks cluster as base, modifier, tone if that composes fully.

    NFC never reorders two marks of combining class 230, so a tone typed before the
    circumflex/breve (``a`` U+0301 U+0302) stays half-composed. Only clusters made of the eight
    Vietnamese marks are touched, and only when the result is one precomposed letter.
    """
    base, marks = cluster[0], cluster[1:]
    if not marks or any(m not in _MODIFIERS and m not in _TONES for m in marks):
        return cluster
    modifiers = [m for m in marks if m in _MODIFIERS]
    tones = [m for m in marks if m in _TONES]
    if len(modifiers) > 1 or len(tones) > 1:
        return cluster
    composed = unicodedata.normalize("NFC", base + "".join(modifiers) + "".join(tones))
    return composed if len(composed) == 1 else cluster


def to_nfc(text: str) -> str:
    """NFC plus repair of Vietnamese mark order; idempotent and total.

    After it, none of the eight Vietnamese combining marks remains on a base letter that has a
    precomposed form carrying it (deprecated U+0340/U+0341 are mapped by NFC itself).
    """
    nfc = unicodedata.normalize("NFC", text)
    if not any(mark in nfc for mark in VI_COMBINING_MARKS):  # (quicker than a regex)
        return nfc
    nfd = unicodedata.normalize("NFD", nfc)
    out: list[str] = []
    i, n = 0, len(nfd)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(nfd[j]):
            j += 1
        chunk = nfd[i:j]
        if j - i > 1 and not unicodedata.combining(chunk[0]):
            chunk = _repair_cluster(chunk)
        out.append(chunk)
        i = j
    return unicodedata.normalize("NFC", "".join(out))


# --------------------------------------------------------------------------------------------
# Letters as (base, tone) and the syllable parser (rule 2.3)
# --------------------------------------------------------------------------------------------

# tone numbers: 0 ngang, 1 huyền (grave), 2 hỏi (hook), 3 ngã (tilde), 4 sắc (acute), 5 nặng (dot)
_TONE_OF_MARK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _build_letter_tables() -> tuple[dict[str, tuple[str, int]], dict[tuple[str, int], str]]:
    """Split every Vietnamese letter into (toneless letter, tone) and back, case kept."""
    split: dict[str, tuple[str, int]] = {}
    join: dict[tuple[str, int], str] = {}
    for ch in VI_LETTERS:
        nfd = unicodedata.normalize("NFD", ch)
        tone = next((_TONE_OF_MARK[m] for m in nfd if m in _TONE_OF_MARK), 0)
        base = unicodedata.normalize("NFC", "".join(m for m in nfd if m not in _TONE_OF_MARK))
        split[ch] = (base, tone)
        join[(base, tone)] = ch
    return split, join


_SPLIT, _JOIN = _build_letter_tables()

_INITIALS = sorted([
    "b", "c", "ch", "d", "đ", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
    "ph", "r", "s", "t", "th", "tr", "v", "x",
], key=len, reverse=True)  # fmt: skip
_FINALS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])
_STOP_FINALS = frozenset(["c", "ch", "p", "t"])
# Vowel clusters (toneless, lowercase) -> final consonant rule: R required, F forbidden,
# O optional. Medial o/u included (oa, uy, uyê ...); after "qu"/"gi" the cluster starts after
# the cluster consonant.
_CLUSTERS: dict[str, str] = {
    "a": "O", "ă": "R", "â": "R", "e": "O", "ê": "O", "i": "O", "o": "O", "ô": "O",
    "ơ": "O", "u": "O", "ư": "O", "y": "O",
    "ai": "F", "ao": "F", "au": "F", "ay": "F", "âu": "F", "ây": "F", "eo": "F", "êu": "F",
    "ia": "F", "iu": "F", "iê": "R", "yê": "R", "oa": "O", "oă": "R", "oe": "O", "oi": "F",
    "ôi": "F", "ơi": "F", "oo": "R", "ua": "F", "uâ": "R", "uê": "O", "ui": "F", "uô": "R",
    "uơ": "F", "uy": "O", "ưa": "F", "ưi": "F", "ưu": "F", "ươ": "O",
    "iêu": "F", "yêu": "F", "oai": "F", "oay": "F", "oao": "F", "oeo": "F", "uây": "F",
    "uôi": "F", "ươi": "F", "ươu": "F", "uya": "F", "uyê": "R", "uyu": "F",
}  # fmt: skip
_CH_NH_CLUSTERS = frozenset(["a", "ê", "i", "y", "oa", "uê", "uy"])
_MODIFIED_VOWELS = frozenset("ăâêôơư")
_OPEN_STYLE_CLUSTERS = frozenset(["oa", "oe", "uy"])


@dataclass(frozen=True)
class _Syllable:
    bases: str  # lowercase letters without tone
    nucleus_start: int
    nucleus_end: int
    final: str
    tone: int
    tone_at: int  # index in the word, -1 without tone

    @property
    def cluster(self) -> str:
        return self.bases[self.nucleus_start : self.nucleus_end]


def _onsets(s: str) -> tuple[int, ...]:
    """Candidate lengths of the initial consonant; ``qu`` and ``gi`` are clusters (rule 2.2)."""
    if s.startswith("qu"):
        return (2,) if len(s) > 2 and s[2] in VI_VOWELS else ()
    if s.startswith("gi") and len(s) > 2 and s[2] in VI_VOWELS:
        return (2, 1)
    for initial in _INITIALS:
        if s.startswith(initial):
            return (len(initial),)
    return (0,)


@lru_cache(maxsize=1 << 16)  # words repeat: parse each once
def _parse(word: str) -> _Syllable | None:
    """Parse one written syllable (any case); None unless it is well formed.

    Checks: only Vietnamese letters, at most one tone, a known vowel cluster, a legal final
    consonant for that cluster, and no huyền/hỏi/ngã on a syllable closed by p, t, c, ch.
    The position of the tone is not checked here (see :func:`find_misplaced_tones`).
    """
    if not word or len(word) > 8:
        return None
    bases: list[str] = []
    tone, tone_at = 0, -1
    for i, ch in enumerate(word):
        split = _SPLIT.get(ch)
        if split is None:
            return None
        base, t = split
        if t:
            if tone:
                return None
            tone, tone_at = t, i
        bases.append(base.lower())
    s = "".join(bases)
    for onset in _onsets(s):
        k = onset
        while k < len(s) and s[k] in VI_VOWELS:
            k += 1
        cluster, final = s[onset:k], s[k:]
        if onset == 2 and s[0] == "q" and cluster[:1] in ("o", "u"):
            continue  # "qu" already carries the medial u: no "quoa", "quu"
        rule = _CLUSTERS.get(cluster)
        if rule is None or final not in _FINALS:
            continue
        if (rule == "R" and not final) or (rule == "F" and final):
            continue
        if final in ("ch", "nh") and cluster not in _CH_NH_CLUSTERS:
            continue
        if final in _STOP_FINALS and tone in (1, 2, 3):
            continue
        return _Syllable(s, onset, k, final, tone, tone_at)
    return None


def _is_abbreviation(word: str) -> bool:
    """Upper-case initialisms such as HĐND, ĐBSCL, UBND."""
    return len(word) >= 2 and all(("A" <= c <= "Z") or c == "Đ" for c in word)


def _sane_case(word: str) -> bool:
    return (
        word == word.lower()
        or word == word.upper()
        or (word[0].isupper() and word[1:] == word[1:].lower())
    )


@lru_cache(maxsize=1 << 16)  # words repeat: parse each once
def is_vietnamese_word(word: str, *, ignore_case: bool = False, initialisms: bool = True) -> bool:
    """True for a well-formed Vietnamese syllable (or, if allowed, an initialism like HĐND).

    Used by the mojibake repair and the encoding detector to tell real Vietnamese from text
    decoded with the wrong code page. With ``ignore_case`` mixed case (``ĐấT``) is accepted.
    """
    if not word:
        return False
    if not ignore_case and not _sane_case(word):
        return False
    return _parse(word) is not None or (initialisms and _is_abbreviation(word))
