"""Unicode and spelling checks for Vietnamese text (design doc sections 1, 2, 10).

Pure functions, no I/O. The pipeline calls :func:`normalize_text` once per text node; it
returns NFC text with the unambiguous problems repaired (mojibake, ETH look-alikes, misplaced
tone marks, optionally the tone-placement house style) and a list of :class:`Finding` for what
was repaired or is left. Everything is table- or rule-driven so that a repair never happens on a
guess: a word is only rewritten when the rewritten form is a well-formed Vietnamese syllable.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from exporter.vietnamese import (
    VI_COMBINING_MARKS,
    VI_LETTER_SET,
    VI_LETTERS,
    VI_MODIFIER_MARKS,
    VI_TONE_MARKS,
    VI_VOWELS,
)

if TYPE_CHECKING:
    from exporter.legacy_encodings import MojibakeRepair

ToneStyle = Literal["keep", "old", "new"]
Severity = Literal["warning", "error"]

__all__ = [
    "NEW_STYLE_RE",
    "OLD_STYLE_RE",
    "Finding",
    "ToneStyle",
    "apply_tone_style",
    "check_repertoire",
    "find_misplaced_tones",
    "is_vietnamese_word",
    "mixed_tone_styles",
    "normalize_text",
    "repair_misplaced_tones",
    "to_nfc",
    "tone_style_hits",
    "visible",
]

# --------------------------------------------------------------------------------------------
# NFC with mark-order repair (rule 1.2)
# --------------------------------------------------------------------------------------------

_VI_MARK_RE = re.compile(f"[{VI_COMBINING_MARKS}]")
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
    if not _VI_MARK_RE.search(nfc):
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


# --------------------------------------------------------------------------------------------
# Tone placement: misplaced tones (2.2) and the old/new house style (2.1)
# --------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_\u00b2\u00b3\u00b9\u00bc-\u00be]+")  # letters (not ² ³ ½)
# A word glued to these is probably a piece of mojibake (``Viá»‡t``): never rewrite it.
_BAD_NEIGHBOUR = re.compile("[\u0080-\u009f\u00a1-\u00bf\u00d7\u00f7\u0300-\u036f\ufffd]")


def _words(text: str) -> Iterator[re.Match[str]]:
    """Letter runs that stand alone: not glued to Latin-1 symbols, C1 controls or marks."""
    for m in _WORD_RE.finditer(text):
        start, end = m.start(), m.end()
        if (start and _BAD_NEIGHBOUR.match(text, start - 1)) or _BAD_NEIGHBOUR.match(text, end):
            continue
        yield m


def _tone_slots(cluster: str, final: str, style: ToneStyle) -> tuple[int, ...]:
    """Where the tone may sit inside the vowel cluster (indices into ``cluster``).

    The main-vowel rule: on the (last) modified vowel ă â ê ô ơ ư if there is one; otherwise on
    the last vowel of a closed syllable; otherwise on the main vowel of the open cluster, which
    for ``oa oe uy`` is the style choice (old: first vowel, new: second vowel).
    """
    modified = [i for i, v in enumerate(cluster) if v in _MODIFIED_VOWELS]
    if modified:
        return (modified[-1],)
    if len(cluster) == 1:
        return (0,)
    if final:
        return (len(cluster) - 1,)
    if cluster in _OPEN_STYLE_CLUSTERS:
        return {"old": (0,), "new": (1,), "keep": (0, 1)}[style]
    if len(cluster) == 3:
        return (1,)
    return (0,)


def _move_tone(word: str, src: int, dst: int) -> str:
    """Move the tone of ``word[src]`` onto ``word[dst]``, keeping each letter's case."""
    chars = list(word)
    base_src, tone = _SPLIT[chars[src]]
    base_dst, _ = _SPLIT[chars[dst]]
    chars[src] = _JOIN[(base_src, 0)]
    chars[dst] = _JOIN[(base_dst, tone)]
    return "".join(chars)


def _retone_word(word: str, style: ToneStyle, *, only_style: bool) -> str:
    """Canonical tone position for one word; unchanged if it does not parse."""
    syl = _parse(word)
    if syl is None or not syl.tone or not _sane_case(word):
        return word
    cluster = syl.cluster
    if only_style and (cluster not in _OPEN_STYLE_CLUSTERS or syl.final):
        return word
    slots = [syl.nucleus_start + k for k in _tone_slots(cluster, syl.final, style)]
    if syl.tone_at in slots:
        return word
    # keep style: a tone outside both slots of oa/oe/uy goes to the main (second) vowel
    return _move_tone(word, syl.tone_at, slots[-1])


def find_misplaced_tones(text: str) -> list[tuple[int, str, str]]:
    """(offset, word, corrected word) for each tone on the wrong vowel, in either style.

    Examples: ``nghìên`` -> ``nghiền``, ``cuả`` -> ``của``, ``tòan`` -> ``toàn``, ``qúy`` ->
    ``quý``, ``gìa`` -> ``già``. Both ``hòa`` and ``hoà`` are accepted (that is house style).
    """
    hits: list[tuple[int, str, str]] = []
    for m in _words(text):
        word = m.group()
        if word.isascii():
            continue
        fixed = _retone_word(word, "keep", only_style=False)
        if fixed != word:
            hits.append((m.start(), word, fixed))
    return hits


def repair_misplaced_tones(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Move misplaced tone marks to the main vowel; returns text and what was changed.

    Letters are one code point each (NFC), so offsets are the same before and after.
    """
    hits = find_misplaced_tones(text)
    if not hits:
        return text, []
    parts: list[str] = []
    last = 0
    for offset, word, fixed in hits:
        parts.append(text[last:offset])
        parts.append(fixed)
        last = offset + len(word)
    parts.append(text[last:])
    return "".join(parts), hits


def apply_tone_style(text: str, style: ToneStyle) -> str:
    """Rewrite open ``oa/oe/uy`` syllables to the old (hòa) or new (hoà) tone placement.

    Only open syllables change: ``toàn``, ``hoàn``, ``huýt`` and the ``qu``/``gi`` clusters
    (``quý``, ``già``) never do. Case is kept (HÒA <-> HOÀ, Thụy <-> Thuỵ).
    """
    if style == "keep":
        return text
    if style not in ("old", "new"):
        raise ValueError(f"tone style must be 'keep', 'old' or 'new', not {style!r}")
    parts: list[str] = []
    last = 0
    for m in _words(text):
        parts.append(text[last : m.start()])
        parts.append(_retone_word(m.group(), style, only_style=True))
        last = m.end()
    parts.append(text[last:])
    return "".join(parts)


_A, _E, _O, _U, _Y = "àáảãạ", "èéẻẽẹ", "òóỏõọ", "ùúủũụ", "ỳýỷỹỵ"
# The design doc regexes (section 2.1), tested there on the STYLE_* vectors.
OLD_STYLE_RE = re.compile(rf"(?i)(?:[{_O}][ae]|(?<!q)[{_U}]y)(?!\w)")
NEW_STYLE_RE = re.compile(rf"(?i)(?:o[{_A}{_E}]|(?<!q)u[{_Y}])(?!\w)")


def _word_at(text: str, start: int) -> tuple[int, str]:
    """The whole word around a regex hit that ends at a word boundary."""
    begin = start
    while begin > 0 and (text[begin - 1].isalpha() or unicodedata.combining(text[begin - 1])):
        begin -= 1
    end = start
    while end < len(text) and (text[end].isalpha() or unicodedata.combining(text[end])):
        end += 1
    return begin, text[begin:end]


def tone_style_hits(text: str) -> dict[str, list[tuple[int, str]]]:
    """Old-style and new-style words (offset, word), found with the design doc regexes."""
    result: dict[str, list[tuple[int, str]]] = {"old": [], "new": []}
    for key, pattern in (("old", OLD_STYLE_RE), ("new", NEW_STYLE_RE)):
        seen: set[int] = set()
        for m in pattern.finditer(text):
            begin, word = _word_at(text, m.start())
            if begin not in seen:
                seen.add(begin)
                result[key].append((begin, word))
    return result


def mixed_tone_styles(text: str) -> bool:
    """True when the text uses both tone-placement styles (rule 2.1 forbids mixing)."""
    hits = tone_style_hits(text)
    return bool(hits["old"]) and bool(hits["new"])


# --------------------------------------------------------------------------------------------
# Findings and the repertoire check (rule 1.4, 10.2)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One problem in a text, located by offset (code points) and 1-based line/column."""

    kind: str
    offset: int
    line: int
    column: int
    snippet: str
    message: str
    repaired: bool = False
    severity: Severity = "warning"


_INVISIBLE_ESCAPE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u200b-\u200f\u2028-\u202e"
    r"\u2060-\u2064\ufeff\ufffe\uffff]"
)


def visible(text: str, limit: int = 60) -> str:
    """Text for a message: invisible characters shown as ``\\u00ad`` escapes, length capped."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _INVISIBLE_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Locator:
    """Offset -> (line, column), both 1-based."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


_TOKEN_RE = re.compile(r"[^ \t\n\r\f\v]+")
_EDGE_PUNCT = "\"'()[]{}<>.,;:!?…“”‘’«»–—-/*"
_SCAN_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\uffff\U00010000-\U0010ffff]")
_ERROR_KINDS = frozenset(["control", "private-use"])
_ENC_LABEL = {"tcvn3": "TCVN3", "vni": "VNI", "utf8": "UTF-8-read-as-cp1252"}


def _split_allow(allow: Iterable[str]) -> tuple[set[str], set[str]]:
    """Single characters are allowed letters; longer items are allowed words (and letters).
    Matching ignores case, so an upper-cased headline keeps its allowance."""
    chars: set[str] = set()
    words: set[str] = set()
    for item in allow:
        item = unicodedata.normalize("NFC", item)
        if len(item) == 1:
            chars.update((item, item.lower(), item.upper()))
        elif item:
            words.add(item.casefold())
            chars.update(c for c in item.lower() + item.upper() if c.isalpha())
    return chars, words


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()


def _has_caron(ch: str) -> bool:
    return ch == "\u030c" or (ch.isalpha() and "\u030c" in unicodedata.normalize("NFD", ch))


def _classify_char(ch: str) -> tuple[str, str] | None:
    """(kind, message stem) for a character that needs reporting, None if it is fine."""
    if ch in "\n\t":
        return None
    if ch == "\u00ad":
        return "soft-hyphen", 'soft hyphen U+00AD (invisible; also the TCVN3 byte of "ư")'
    if ch in "\u00d0\u00f0":
        target = "Đ" if ch == "\u00d0" else "đ"
        return "eth-for-d", f'ETH "{ch}" ({_char_name(ch)}) used for "{target}" (D WITH STROKE)'
    if ch == "\ufffd":
        return "replacement-char", "replacement character U+FFFD (text was lost in decoding)"
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cs"):
        return "control", f"control character {_char_name(ch)}"
    if cat == "Co":
        return "private-use", f"private-use character U+{ord(ch):04X} (font-specific glyph)"
    if cat == "Cn":
        return "unassigned", f"unassigned code point U+{ord(ch):04X}"
    if _has_caron(ch):
        return "caron", f'caron in "{ch}" ({_char_name(ch)}): Vietnamese has no caron (breve "ă"?)'
    if cat.startswith("M"):
        return "stray-mark", f"combining mark {_char_name(ch)} left over (no letter carries it)"
    if cat == "Cf":
        return "invisible", f"invisible format character {_char_name(ch)}"
    if cat.startswith("L") and ch not in VI_LETTER_SET and ch != "\u00b5":
        return "foreign-letter", f'letter "{ch}" ({_char_name(ch)}) is not Vietnamese'
    return None


def check_repertoire(text: str, allow: Iterable[str] = ()) -> list[Finding]:
    """Report characters that do not belong in Vietnamese body text (rules 1.2, 1.4, 10.2).

    Kinds: eth-for-d, caron, soft-hyphen, private-use, control, replacement-char, stray-mark,
    invisible, unassigned, foreign-letter, mojibake-tcvn3 / -vni / -utf8. Mojibake, control and
    private-use are errors; the rest warnings. ``allow`` holds letters (``"ü"``) or whole words
    (``"Müller"``, which also allows its letters) for foreign names. Nothing is changed.
    """
    from exporter import legacy_encodings as legacy  # local: legacy imports this module

    allowed_chars, allowed_words = _split_allow(allow)
    locate = _Locator(text)
    findings: list[Finding] = []
    covered: list[tuple[int, int]] = []  # token spans already reported as mojibake
    allowed_spans: list[tuple[int, int]] = []

    def add(kind: str, offset: int, snippet: str, message: str, severity: Severity) -> None:
        line, column = locate(offset)
        findings.append(
            Finding(kind, offset, line, column, visible(snippet), message, False, severity)
        )

    tokens = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    for start, end in tokens:
        token = text[start:end]
        if token.isascii():
            continue
        if token.strip(_EDGE_PUNCT).casefold() in allowed_words:
            allowed_spans.append((start, end))
            continue
        if not legacy.looks_like_mojibake(token):
            continue
        candidates = legacy.mojibake_candidates(token)
        evidence = legacy.mojibake_evidence(token)
        if len(candidates) == 1:
            enc, fixed = next(iter(candidates.items()))
            message = (
                f'{_ENC_LABEL[enc]} mojibake "{visible(token)}" (reads "{fixed}" when re-decoded)'
            )
        elif candidates:
            enc = evidence if evidence in candidates else next(iter(candidates))
            readings = ", ".join(f'{_ENC_LABEL[e]}: "{f}"' for e, f in candidates.items())
            message = f'ambiguous mojibake "{visible(token)}" ({readings})'
        elif evidence:
            enc = evidence
            message = f'{_ENC_LABEL[enc]} mojibake "{visible(token)}" (cannot be re-decoded)'
        else:
            continue
        add(f"mojibake-{enc}", start, token, message, "error")
        covered.append((start, end))

    def span_of(offset: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
        """The span (sorted, disjoint spans) containing ``offset``."""
        i = bisect.bisect_right(spans, (offset, len(text) + 1)) - 1
        if i >= 0 and spans[i][0] <= offset < spans[i][1]:
            return spans[i]
        return None

    def token_at(offset: int) -> str:
        span = span_of(offset, tokens)
        return text[span[0] : span[1]] if span else text[offset : offset + 1]

    reported_foreign: set[int] = set()
    for m in _SCAN_RE.finditer(text):
        offset, ch = m.start(), m.group()
        if span_of(offset, covered):
            continue
        result = _classify_char(ch)
        if result is None:
            continue
        kind, stem = result
        snippet = token_at(offset)
        if kind == "foreign-letter":
            if ch in allowed_chars or span_of(offset, allowed_spans):
                continue
            word_span = span_of(offset, tokens) or (offset, offset + 1)
            if word_span[0] in reported_foreign:
                continue
            reported_foreign.add(word_span[0])
            foreign = sorted(
                {
                    c
                    for c in snippet
                    if c.isalpha()
                    and c not in VI_LETTER_SET
                    and c not in allowed_chars
                    and c != "\u00b5"
                }
            )
            stem = (
                f"foreign letter{'s' if len(foreign) > 1 else ''} "
                f'{", ".join(repr(c) for c in foreign)} in "{visible(snippet)}" '
                "(add the name to the allow-list if intended)"
            )
            add(kind, offset, snippet, stem, "warning")
            continue
        severity: Severity = "error" if kind in _ERROR_KINDS else "warning"
        add(kind, offset, snippet, f'{stem} in "{visible(snippet)}"', severity)
    findings.sort(key=lambda f: f.offset)
    return findings


# --------------------------------------------------------------------------------------------
# The pipeline entry point
# --------------------------------------------------------------------------------------------


def _repair_eth(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Ð/ð -> Đ/đ where the corrected word is a Vietnamese syllable or initialism."""
    if "\u00d0" not in text and "\u00f0" not in text:
        return text, []
    changes: list[tuple[int, str, str]] = []
    parts: list[str] = []
    last = 0
    for m in _words(text):
        word = m.group()
        if "\u00d0" not in word and "\u00f0" not in word:
            continue
        fixed = word.replace("\u00d0", "Đ").replace("\u00f0", "đ")
        if is_vietnamese_word(fixed):
            changes.append((m.start(), word, fixed))
            parts.append(text[last : m.start()])
            parts.append(fixed)
            last = m.end()
    parts.append(text[last:])
    return "".join(parts), changes


def _shift(offset: int, repairs: list[MojibakeRepair]) -> int:
    """Where an offset of the text before ``repairs`` lands in the text after them."""
    delta = 0
    for r in repairs:
        if r.end <= offset:
            delta += len(r.repaired) - len(r.original)
        elif r.start <= offset:
            return r.start + delta
        else:
            break
    return offset + delta


def normalize_text(
    text: str,
    *,
    tone_style: ToneStyle = "keep",
    repair: bool = True,
    allow: Iterable[str] = (),
) -> tuple[str, list[Finding]]:
    """NFC, repair what is unambiguous, apply the tone style, report what is left.

    Order: CRLF/CR -> LF and :func:`to_nfc`; mojibake repair (only when exactly one legacy
    encoding turns the run into valid Vietnamese); ETH look-alike ``Ð`` -> ``Đ``; misplaced
    tones; tone style; then :func:`check_repertoire`. Repairs are reported as warnings with
    ``repaired=True``; mojibake left unrepaired, control and private-use characters are errors.
    All offsets refer to the returned text. Idempotent: a second call changes nothing.
    """
    from exporter import legacy_encodings as legacy  # local: legacy imports this module

    s = to_nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    pending: list[tuple[str, int, str, str]] = []  # kind, offset in output, snippet, message

    suspects: list[tuple[str, int, str, str]] = []  # not repaired, reported as warnings
    if repair:
        # Repeat until nothing changes: a repair can regroup the runs around it, and a
        # fixpoint keeps normalize_text idempotent. Each pass strictly reduces the number of
        # flagged tokens (repairs must come out clean), so this ends quickly.
        for _ in range(8):
            fixed, repairs = legacy.repair_mojibake_detailed(s)
            if not repairs:
                break
            pending = [(k, _shift(o, repairs), sn, msg) for k, o, sn, msg in pending]
            suspects = [(k, _shift(o, repairs), sn, msg) for k, o, sn, msg in suspects]
            for r in repairs:
                pending.append(
                    (f"mojibake-{r.encoding}", _shift(r.start, repairs), r.repaired, r.message)
                )
                for offset, token, reading in r.suspects:
                    suspects.append(
                        (
                            f"mojibake-{r.encoding}",
                            _shift(offset, repairs),
                            token,
                            f'possible {_ENC_LABEL[r.encoding]} mojibake "{visible(token)}" next to'
                            f' a repaired run (would read "{reading}"); left as is',
                        )
                    )
            s = fixed
        suspects = [x for x in suspects if s[x[1] : x[1] + len(x[2])] == x[2]]
        s, eth = _repair_eth(s)
        for offset, word, new in eth:
            pending.append(
                ("eth-for-d", offset, new, f'repaired ETH look-alike "{word}" -> "{new}"')
            )
        s, moved = repair_misplaced_tones(s)
        for offset, word, new in moved:
            pending.append(
                ("misplaced-tone", offset, new, f'repaired misplaced tone mark "{word}" -> "{new}"')
            )
    s = apply_tone_style(s, tone_style)
    s = to_nfc(s)

    locate = _Locator(s)
    findings: list[Finding] = []
    for kind, offset, snippet, message in pending:
        line, column = locate(offset)
        findings.append(
            Finding(kind, offset, line, column, visible(snippet), message, True, "warning")
        )
    for kind, offset, snippet, message in suspects:
        line, column = locate(offset)
        findings.append(Finding(kind, offset, line, column, visible(snippet), message))
    if not repair:
        for offset, word, fixed in find_misplaced_tones(s):
            line, column = locate(offset)
            findings.append(
                Finding(
                    "misplaced-tone",
                    offset,
                    line,
                    column,
                    word,
                    f'tone mark on the wrong vowel: "{word}" (should be "{fixed}")',
                )
            )
    if tone_style == "keep":
        hits = tone_style_hits(s)
        if hits["old"] and hits["new"]:
            minority = "new" if len(hits["new"]) <= len(hits["old"]) else "old"
            majority = "old" if minority == "new" else "new"
            example = hits[majority][0][1]
            for offset, word in hits[minority]:
                line, column = locate(offset)
                findings.append(
                    Finding(
                        "tone-style-mixed",
                        offset,
                        line,
                        column,
                        word,
                        f'tone placement styles mixed: "{word}" is {minority} style but the text '
                        f'mostly uses {majority} style (e.g. "{example}")',
                    )
                )
    findings.extend(check_repertoire(s, allow))
    findings.sort(key=lambda f: (f.offset, f.kind))
    return s, findings
