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
from functools import lru_cache
from typing import Literal

from exporter.errors import visible
from exporter.vietnamese.letters import VI_LETTER_SET
from exporter.vietnamese.syllables import (
    _JOIN,
    _MODIFIED_VOWELS,
    _OPEN_STYLE_CLUSTERS,
    _SPLIT,
    _parse,
    _sane_case,
    is_vietnamese_word,
    to_nfc,
)

from . import legacy_encodings as legacy

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
    "tone_styles_used",
    "visible",
]


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


@lru_cache(maxsize=1 << 16)  # words repeat: parse each once
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
# The same two, to ask only whether a text has a hit: they start at the toned vowel (both cases
# spelled out: these letters have no other case folds) and look back for the rest, so the regex
# engine skips to those letters instead of trying every position.
_OA, _OU, _NAE, _NY = (f"{v}{v.upper()}" for v in (_O, _U, _A + _E, _Y))
_OLD_STYLE_SEARCH = re.compile(
    rf"[{_OA}{_OU}](?:(?<=[{_OA}])[aeAE]|(?<=[{_OU}])(?<![qQ].)[yY])(?!\w)"
)
_NEW_STYLE_SEARCH = re.compile(
    rf"[{_NAE}{_NY}](?:(?<=[oO][{_NAE}])|(?<=[uU][{_NY}])(?<![qQ]..))(?!\w)"
)


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


# Letters that are unit symbols in Vietnamese text: micro (µg) and ångström (NFC of U+212B).
_SYMBOL_LETTERS = "\u00b5\u00c5"


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()


def _has_caron(ch: str) -> bool:
    return ch == "\u030c" or (ch.isalpha() and "\u030c" in unicodedata.normalize("NFD", ch))


@lru_cache(maxsize=1 << 16)  # words repeat: parse each once
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
    if cat.startswith("L") and ch not in VI_LETTER_SET and ch not in _SYMBOL_LETTERS:
        return "foreign-letter", f'letter "{ch}" ({_char_name(ch)}) is not Vietnamese'
    return None


def check_repertoire(text: str, allow: Iterable[str] = ()) -> list[Finding]:
    """Report characters that do not belong in Vietnamese body text (rules 1.2, 1.4, 10.2).

    Kinds: eth-for-d, caron, soft-hyphen, private-use, control, replacement-char, stray-mark,
    invisible, unassigned, foreign-letter, mojibake-tcvn3 / -vni / -utf8. Mojibake, control and
    private-use are errors; the rest warnings. ``allow`` holds letters (``"ü"``) or whole words
    (``"Müller"``, which also allows its letters) for foreign names. Nothing is changed.
    """

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
                f'{_ENC_LABEL[enc]} mojibake "{visible(token)}" (reads "{fixed}" when re-decoded;'
                " one mangled word is not enough evidence to repair it: correct it by hand)"
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
        if kind in ("foreign-letter", "caron") and (
            ch in allowed_chars or span_of(offset, allowed_spans)
        ):
            continue  # a foreign name the editor allowed ("Dvořák")
        if kind == "foreign-letter":
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
                    and c not in _SYMBOL_LETTERS
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
# Fast path: proof that a text has nothing any check could act on
# --------------------------------------------------------------------------------------------


def _char_ranges(chars: Iterable[str]) -> str:
    """A regex character class body for ``chars``, consecutive code points as ranges."""
    points = sorted({ord(c) for c in chars})
    parts: list[str] = []
    start = prev = points[0]
    for point in [*points[1:], -1]:
        if point == prev + 1:
            prev = point
            continue
        parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
        start = prev = point
    return "".join(parts)


# Characters that are common in news text and that check_repertoire never reports: printable
# ASCII, tab and newline (never scanned), and the candidates below that _classify_char passes
# (filtered through it here, so this set can only be smaller than what it allows). Whitespace
# other than ASCII is left out too, so a quiet text splits into tokens with str.split().
_QUIET_CANDIDATES = (
    [chr(c) for c in range(0xA0, 0xC0)]  # NBSP, Latin-1 symbols (the soft hyphen drops out)
    + ["\u00d7", "\u00f7"]
    + [chr(c) for c in range(0x2010, 0x205F)]  # dashes, quotes, bullets, ellipsis, primes
    + [chr(c) for c in range(0x20A0, 0x20C1)]  # currency signs
    + [chr(c) for c in range(0x2100, 0x2300)]  # letterlike (℃, №), number forms, arrows, maths
    + [chr(c) for c in range(0x25A0, 0x2700)]  # shapes, miscellaneous symbols
    + [c for c in VI_LETTER_SET if not c.isascii()]
    + list(_SYMBOL_LETTERS)
)
_NOT_QUIET = re.compile(
    "[^\t\n\x20-\x7e"
    + _char_ranges(
        c for c in _QUIET_CANDIDATES if _classify_char.__wrapped__(c) is None and not c.isspace()
    )
    + "]"
)
_BUSY, _OLD, _NEW = 1, 2, 4
_STYLES = frozenset(("keep", "old", "new"))


@lru_cache(maxsize=1 << 16)  # words repeat: judge each token once
def _token_state(token: str, style: ToneStyle) -> int:
    """What the word checks make of one whitespace-delimited token, as bits.

    ``_BUSY``: it may be mojibake, has a misplaced tone, or the tone style would rewrite it;
    ``_OLD`` / ``_NEW``: it has an old-style / new-style open syllable. Words never cross ASCII
    whitespace and the checks only look at a word's own characters and its direct neighbours
    (whitespace is never a bad neighbour), so a text's answers are the union of its tokens'.
    """
    if token.isascii():
        return 0  # no mojibake, no tone marks
    state = 0
    if (
        legacy.looks_like_mojibake(token)
        or find_misplaced_tones(token)
        or apply_tone_style(token, style) != token
    ):
        state |= _BUSY
    hits = tone_style_hits(token)
    if hits["old"]:
        state |= _OLD
    if hits["new"]:
        state |= _NEW
    return state


# Tokens whose state is 0, per tone style: most words of most texts, set aside by one set
# difference instead of a cache look-up each. Bounded like _token_state's cache.
_NOTHING_TO_DO: dict[str, set[str]] = {style: set() for style in ("keep", "old", "new")}


def _states(text: str, tone_style: ToneStyle) -> int:
    """The union of the token states of ``text``: each distinct token judged once.

    Only for text without whitespace other than ASCII (what _NOT_QUIET lets through), which
    str.split() splits as _TOKEN_RE does, and quicker.
    """
    state = 0
    known = _NOTHING_TO_DO[tone_style]
    tokens = text.split()
    if known.issuperset(tokens):  # (no set to build: the usual answer)
        return state
    for token in set(tokens).difference(known):
        token_state = _token_state(token, tone_style)
        if token_state:
            state |= token_state
        elif len(known) < 1 << 16:
            known.add(token)
    return state


def tone_styles_used(text: str) -> set[str]:
    """The styles ("old", "new") that :func:`tone_style_hits` finds in ``text``, quicker."""
    searches = (("old", _OLD_STYLE_SEARCH), ("new", _NEW_STYLE_SEARCH))
    return {style for style, pattern in searches if pattern.search(text)}


def _is_quiet(text: str, tone_style: ToneStyle) -> bool:
    """True when normalize_text would return ``text`` unchanged and report nothing.

    ``text`` is NFC. Nothing to report: no character check_repertoire could report (which
    also rules out an ETH to repair), no token that may be mojibake, no misplaced tone, nothing
    the tone style would rewrite, and not both tone styles when keeping them. When in doubt it
    says False and the detailed checks run.
    """
    if tone_style not in _STYLES or _NOT_QUIET.search(text):
        return False
    state = _states(text, tone_style)
    if state & _BUSY:
        return False
    return not (tone_style == "keep" and state & _OLD and state & _NEW)


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


def _shift(offset: int, repairs: list[legacy.MojibakeRepair]) -> int:
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

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nfc = unicodedata.normalize("NFC", text)
    if _is_quiet(nfc, tone_style):
        # Most texts: nothing to repair or report. A quiet text has no combining mark, so
        # to_nfc (NFC, then mark order) gives this NFC text, and the code below would return it.
        return nfc, []
    s = to_nfc(text)
    pending: list[tuple[str, int, str, str]] = []  # kind, offset in output, snippet, message

    suspects: list[tuple[str, int, str, str]] = []  # not repaired, reported as warnings
    if repair:
        # Repeat until nothing changes: a repair can regroup the runs around it, and a
        # fixpoint keeps normalize_text idempotent. Each pass strictly reduces the number of
        # flagged tokens (repairs must come out clean), so this ends quickly.
        seen = 0  # mangled words repaired by earlier passes: evidence for the next
        for _ in range(8):
            fixed, repairs = legacy.repair_mojibake_detailed(s, context=seen)
            if not repairs:
                break
            seen += sum(len(r.original.split()) for r in repairs)
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
