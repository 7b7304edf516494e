"""Vietnamese typographic clean-up of running text.

Implements the design doc (``vietnamese-typography.md``) rules 5.3 (no-break spaces), 6.1
(quotes), 6.2 (spacing around punctuation) and 6.3 (dashes) as pure functions: no I/O, no
models, no global state.

Every rule only ever changes spaces, quote marks, dashes and dots; letters and digits are
never touched, so a rule bug can spoil the look of a line but never the words of an article.
Each rule is a small function that reads the paragraph and returns per-position edits
(``{index: replacement}``, ``""`` deletes). Working per position is what lets the same code
run on a paragraph split across inline HTML elements: every output character still belongs
to the text node it came from, and protected text (code, URLs) can be seen but never edited.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree

__all__ = ["NBSP", "typeset", "typeset_html", "typeset_segments"]

NBSP = "\u00a0"

# Protected text is replaced by this letter while the rules look at the paragraph, so it
# counts as a neutral word: quotes around it pair up, but no rule can match inside it.
_PLACEHOLDER = "x"

# --- Patterns -------------------------------------------------------------------------------

_URL_END = r"[^\s<>\"“”‘’«»]"
# URLs, e-mail addresses, bare domains and file names: never typeset (a "..." in a URL or a
# "'" in a file name is data, not punctuation). A bare name needs a lower-case last part
# (baobinhthuan.com.vn, ảnh.jpg), so a missing space after a full stop (Nội.Theo) is prose.
_URL_LIKE = re.compile(
    rf"(?:https?://|ftp://|www\.){_URL_END}+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|(?<![\w.@])[\w-]+(?:\.[\w-]+)*\.[a-z][a-z0-9]{{1,5}}\b(?:/{_URL_END}*)?"
)
# A URL rarely ends in punctuation; the sentence around it often does.
_URL_TRAILING = ".,;:!?…'’)]}"


def _trim_url(url: str) -> str:
    """Drop sentence punctuation after a URL; keep a ``)`` or ``'`` that pairs with one in it."""
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        if url[-1] == "'" and url.count("'") % 2 == 0:
            break
        url = url[:-1]
    return url


_SPACE_RUN = re.compile(r"\s+")
# The whitespace runs _collapse_spaces changes: two or more characters, or a lone tab (one
# space, newline or no-break space between words is already right).
_SPACE_RUN_TO_COLLAPSE = re.compile(r"\s\s+|\t")
# Such a run is two spaces or no-break spaces, or has another whitespace character (quick to
# look for; no-break spaces are common once a round has bound numbers to their units).
# (= [^\S \xa0], spelled out: a list of characters is quicker to test than a category)
_OTHER_SPACE = re.compile("[\t-\r\x1c-\x1f\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_NBSP_PAIR = re.compile("\xa0(?:(?<=[ \xa0]\xa0)|(?=[ \xa0]))")  # a no-break space next to a space
_THREE_DOTS = re.compile(r"(?<!\.)\.\.\.(?!\.)")
_SPACED_DOTS = re.compile(r"(?<![.\w])\. \. \.(?![.\w])")
# "--" and "---" typed for dashes; longer runs (rules, ASCII art) and arrows (-->, <--) stay.
_HYPHEN_RUN = re.compile(r"(?<![-<])-{2,3}(?![->])")
# A hyphen or en dash with spaces on both sides separates phrases: en dash, no-break before.
# = (?<=\S)(\s+)[-–](?=\s+\S), written to start with a character class (see _NUMBER).
_SPACED_DASH = re.compile(r"(\s(?<=\S\s)\s*)[-–](?=\s+\S)")
_SPACE_BEFORE_EM_DASH = re.compile(r"(?<=\S)(\s+)—")
_DIALOGUE_DASH = re.compile(r"^\s*(-)(?=\s+\S)")

# Before , . ; : ! ? … only when the mark ends a word: " .vn" or " ,5" are left alone.
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,.;:!?…](?!\w)|[)\]}])")
_SPACE_AFTER_BRACKET = re.compile(r"(?<=[(\[{])\s+")

# = (?<!\w)(?:TP|Tp|TX|Tx|TT|Tt|Q|P|H|X)\.(\s+)(?=\w), starting with a character class.
_ABBREVIATION = re.compile(r"[TQPHX](?<!\w[TQPHX])(?:(?<=T)[PpXxTt]|(?<=[QPHX]))\.(\s+)(?=\w)")

# The lookbehind comes after the first digit, so the regex engine skips to digits quickly.
_NUMBER = r"\d(?<![\w.,]\d)\d*(?:[.,]\d+)*"  # = (?<![\w.,])\d+(?:[.,]\d+)*
_MAGNITUDES = ("(?i:tỷ)", "(?i:triệu)", "(?i:nghìn)", "(?i:ngàn)")  # also in capitals
_UNITS = (
    "km²", "km2", "km", "m²", "m³", "m2", "m3", "mm", "cm", "m", "kg", "g", "(?i:tấn)", "ha",
    "°C", "°F", "%", "‰", "(?i:đồng)", "đ", "₫", "VNĐ", "VND", "USD", "EUR",
)  # fmt: skip
_UNIT_WORD = "|".join((*_MAGNITUDES, *_UNITS))
_NUMBER_WITH_UNITS = re.compile(rf"{_NUMBER}((?:\s+(?:{_UNIT_WORD})(?!\w))+)")

_YEAR_TAIL = r"(?:\s+(?i:năm)\s+\d{4})?"
# "ngày 23[/11[/2023]] [tháng 11[/2023]]", "23 tháng 11", "tháng 11[/2023]", each with an optional
# "năm 2023", not glued to a word, a dot or a comma. The first character of each branch (n/N of
# ngày, a digit, t/T of tháng: they have no other case folds) comes before the lookbehind, so the
# regex engine skips to those characters instead of trying every position.
_DATE_PHRASE = re.compile(
    r"[nNtT\d](?<![\w.,].)(?:"
    rf"(?<=[nN])(?i:gày)\s+\d{{1,2}}(?:/\d{{1,2}}(?:/\d{{2,4}})?)?"
    rf"(?:\s+(?i:tháng)\s+\d{{1,2}}(?:/\d{{4}})?)?"
    rf"{_YEAR_TAIL}"
    rf"|(?<=\d)\d?\s+(?i:tháng)\s+\d{{1,2}}{_YEAR_TAIL}"
    rf"|(?<=[tT])(?i:háng)\s+\d{{1,2}}(?:/\d{{4}})?{_YEAR_TAIL}"
    r")(?![\w/])"
)

_ELIDED_YEAR = re.compile(r"\d\ds?(?!\w)")  # the 90s in '90s

# Quick tests, each true wherever the rule's own patterns could match (a piece every match must
# contain), so a paragraph without it skips the slower patterns, most of which start with a
# lookbehind and are tried at every position. Correct text rarely has any of them. Where a
# character or a string will do, ``in`` looks for it (quicker than any regex); the regexes
# start with a character class or a literal, which the regex engine skips to quickly.
_URL_HINT = re.compile(r"\.[a-z]")  # a name's .ext; also "@", "://" or "www." (see _url_spans)
_ELLIPSIS_HINT = re.compile(r"\.(?=\.\.|\ \.\ \.)")  # "..." or ". . .", led by the dot
# A dash after whitespace (spaced or em dash), or a hyphen before it (dialogue dash).
_DASH_HINT = re.compile(r"[-–—](?:(?<=\s.)|(?<=-)(?=\s))")
# Whitespace before , . ; : ! ? … ) ] }, or after ( [ {.
_SPACING_HINT = re.compile(r"[,.;:!?…)\]}(\[{](?:(?<=\s.)(?<![(\[{])|(?<=[(\[{])(?=\s))")
# A dot after the last letter of an abbreviation, before whitespace: = [PpXxTtQH]\.\s, led by
# the dot (a literal is what the regex engine skips to quickest).
_ABBREVIATION_HINT = re.compile(r"\.(?=\s)(?<=[PpXxTtQH]\.)")
_UNIT_HINT = re.compile(r"\d\s")  # a number ends in a digit, a space comes before its unit
# Every date phrase has "ngày" or "tháng" (any case: n, t and the rest have no other folds).
_DATE_HINT = re.compile(r"[nNtT](?:(?i:gày)|(?i:háng))")

# --- Paragraph model -------------------------------------------------------------------------


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Where the URLs, e-mail addresses and file names of ``text`` are (never typeset)."""
    if not ("@" in text or "://" in text or "www." in text or _URL_HINT.search(text)):
        return []
    spans = []
    for match in _URL_LIKE.finditer(text):
        end = match.start() + len(_trim_url(match.group()))
        if end > match.start():
            spans.append((match.start(), end))
    return spans


_Edits = dict[int, str]  # position in the paragraph -> replacement ("" deletes)


@dataclass
class _Paragraph:
    """A paragraph as characters, each remembering the segment it came from."""

    chars: list[str]
    owner: list[int]
    protected: Sequence[bool]  # per segment
    locked: list[bool]  # per character: protected segment, URL, e-mail or file name
    _view: str | None = None

    @classmethod
    def from_segments(cls, segments: Sequence[str], protected: Sequence[bool]) -> _Paragraph:
        chars: list[str] = []
        owner: list[int] = []
        for index, segment in enumerate(segments):
            chars.extend(segment)
            owner.extend([index] * len(segment))
        return cls(chars, owner, list(protected), [])

    def relock(self) -> None:
        """Recompute what the rules may not touch, from the text as it is now."""
        if any(self.protected):
            self.locked = [self.protected[index] for index in self.owner]
        else:  # the usual paragraph: only URLs to find
            self.locked = [False] * len(self.chars)
        for start, end in _url_spans("".join(self.chars)):
            for i in range(start, end):
                self.locked[i] = True
        self._view = None

    def view(self) -> str:
        """The text the rules read: locked characters shown as a placeholder letter (kept
        until an edit changes it: ten rules read it each round)."""
        if self._view is None:
            self._view = (
                "".join(
                    _PLACEHOLDER if locked else char
                    for char, locked in zip(self.chars, self.locked, strict=True)
                )
                if any(self.locked)
                else "".join(self.chars)
            )
        return self._view

    def apply(self, edits: _Edits) -> bool:
        """Replace characters in place; a replacement stays in the segment of what it replaces.

        Returns whether anything changed.
        """
        edits = {i: new for i, new in edits.items() if not self.locked[i] and new != self.chars[i]}
        if not edits:
            return False
        chars: list[str] = []
        owner: list[int] = []
        locked: list[bool] = []
        last = 0
        for i in sorted(edits):  # edits are few: copy the runs between them whole
            chars += self.chars[last:i]
            owner += self.owner[last:i]
            locked += self.locked[last:i]
            new = edits[i]
            chars.extend(new)
            owner += [self.owner[i]] * len(new)
            locked += [self.locked[i]] * len(new)
            last = i + 1
        chars += self.chars[last:]
        owner += self.owner[last:]
        locked += self.locked[last:]
        self.chars, self.owner, self.locked = chars, owner, locked
        self._view = None
        return True

    def segments(self) -> list[str]:
        """The text back in its pieces. Characters stay in order and an edit stays in the
        segment of what it replaced, so ``owner`` never decreases: each piece is one slice."""
        if len(self.protected) == 1:
            return ["".join(self.chars)]
        owner, pieces = self.owner, []
        for index in range(len(self.protected)):
            start = bisect.bisect_left(owner, index)
            pieces.append("".join(self.chars[start : bisect.bisect_right(owner, index, start)]))
        return pieces


def _one_space(edits: _Edits, start: int, end: int, space: str) -> None:
    """Turn the whitespace run text[start:end] into the single character ``space``."""
    edits[start] = space
    for i in range(start + 1, end):
        edits[i] = ""


def _delete(edits: _Edits, start: int, end: int) -> None:
    for i in range(start, end):
        edits[i] = ""


# --- Rules: spaces, dots, dashes ---------------------------------------------------------------


def _collapse_spaces(text: str) -> _Edits:
    """One space between words (6.2); an existing newline or no-break space is what is kept."""
    edits: _Edits = {}
    if not (
        "  " in text or (NBSP in text and _NBSP_PAIR.search(text)) or _OTHER_SPACE.search(text)
    ):
        return edits
    for match in _SPACE_RUN_TO_COLLAPSE.finditer(text):
        run = match.group()
        if "\n" in run or "\r" in run:
            keep = "\n"
        elif NBSP in run:
            keep = NBSP
        else:
            keep = " "
        _one_space(edits, match.start(), match.end(), keep)
    return edits


def _ellipsis(text: str) -> _Edits:
    """Three dots become one ellipsis character (house choice in 6.2)."""
    edits: _Edits = {}
    if not _ELLIPSIS_HINT.search(text):
        return edits
    for pattern in (_THREE_DOTS, _SPACED_DOTS):
        for match in pattern.finditer(text):
            if any(i in edits for i in range(*match.span())):
                continue
            edits[match.start()] = "…"
            _delete(edits, match.start() + 1, match.end())
    return edits


def _hyphen_runs(text: str) -> _Edits:
    """ASCII ``--`` and ``---`` become en and em dashes (6.3: no ``--`` in the output)."""
    edits: _Edits = {}
    if "--" not in text:
        return edits
    for match in _HYPHEN_RUN.finditer(text):
        edits[match.start()] = "–" if len(match.group()) == 2 else "—"
        _delete(edits, match.start() + 1, match.end())
    return edits


def _dashes(text: str) -> _Edits:
    """Spaced hyphen -> en dash; a dash never starts a line, so the space before it is sticky."""
    edits: _Edits = {}
    if not ("-" in text or "–" in text or "—" in text) or not _DASH_HINT.search(text):
        return edits
    for match in _SPACED_DASH.finditer(text):
        _one_space(edits, *match.span(1), NBSP)
        edits[match.end(1)] = "–"
    for match in _SPACE_BEFORE_EM_DASH.finditer(text) if "—" in text else ():
        _one_space(edits, *match.span(1), NBSP)
    match = _DIALOGUE_DASH.match(text)
    if match:
        edits[match.start(1)] = "–"
    return edits


def _punctuation_spacing(text: str) -> _Edits:
    """No space before , . ; : ! ? … ) ] } and none after ( [ { (6.2)."""
    edits: _Edits = {}
    if not _SPACING_HINT.search(text):
        return edits
    for pattern in (_SPACE_BEFORE_PUNCT, _SPACE_AFTER_BRACKET):
        for match in pattern.finditer(text):
            _delete(edits, *match.span())
    return edits


# --- Rules: quotes ------------------------------------------------------------------------------

_DOUBLE, _SINGLE = "d", "s"
_OPEN, _CLOSE, _EITHER = "open", "close", "either"
_MARKS = {
    (_DOUBLE, _OPEN): "“",
    (_DOUBLE, _CLOSE): "”",
    (_SINGLE, _OPEN): "‘",
    (_SINGLE, _CLOSE): "’",
}
_APOSTROPHE = "’"

_QUOTE_KIND = {'"': _DOUBLE, "“": _DOUBLE, "”": _DOUBLE, "«": _DOUBLE, "»": _DOUBLE,
               "'": _SINGLE, "‘": _SINGLE, "’": _SINGLE, "‹": _SINGLE, "›": _SINGLE}  # fmt: skip
# Only quote marks are looked at: found by one regex instead of a loop over every character.
_QUOTE_MARK = re.compile("[" + re.escape("".join(_QUOTE_KIND)) + "]")
# Marks whose direction is read from the context alone (guillemets point both ways in Europe).
_UNDIRECTED = frozenset("\"'«»‹›")
_OPENING = frozenset("“‘")
# A quote after one of these opens ("(“", "—“"); before one of these it cannot open. A
# following quote mark never decides, as this pass may still turn it round.
_OPENERS = frozenset("([{“‘«‹—–-/")
_NO_OPEN_BEFORE = frozenset(",.;:!?)]}")


def _is_word(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char)[0] == "M"


def _context(prev: str, nxt: str) -> str:
    """Where a quote stands: at the start of a word (open), at its end (close), or unclear."""
    after_space = not prev or prev.isspace()
    before_space = not nxt or nxt.isspace()
    if (after_space or prev in _OPENERS) and not before_space and nxt not in _NO_OPEN_BEFORE:
        return _OPEN
    if not after_space and prev not in _OPENERS and (before_space or not _is_word(nxt)):
        return _CLOSE
    return _EITHER


def _role(char: str, context: str, kind_is_open: bool) -> str | None:
    """Open, close, or ``None`` for an apostrophe."""
    if char == "’" and context == _OPEN:
        return None  # elision at the start of a word: ’n’, ’em
    if context != _EITHER:
        return context  # a clear context wins, also over a mark typed the wrong way round
    if char in _UNDIRECTED:
        return _CLOSE if kind_is_open else _OPEN
    return _OPEN if char in _OPENING else _CLOSE  # a typographic mark keeps its direction


def _is_apostrophe(text: str, i: int, prev: str, nxt: str) -> bool:
    """O'Neil, rock'n'roll (between letters) and '90s (before a two-digit year)."""
    if prev and nxt and _is_word(prev) and _is_word(nxt):
        return True
    at_word_start = not prev or prev.isspace() or prev in _OPENERS
    return at_word_start and _ELIDED_YEAR.match(text, i + 1) is not None


def _previous_output(text: str, edits: _Edits, i: int) -> str:
    """The character before position i once the edits made so far are applied."""
    for j in range(i - 1, -1, -1):
        replacement = edits.get(j)
        if replacement is None:
            return text[j]
        if replacement:
            return replacement[-1]
    return ""


def _quotes(text: str) -> _Edits:
    """Straight and misplaced quotes -> “…” outside, ‘…’ inside (6.1), paired per paragraph.

    A straight quote takes its direction from its neighbours; where they don't tell (``a"b``,
    `` " ``) it closes the innermost open quote of its kind, else opens one. So an opening “
    followed by a straight " closes that pair: ``“Tăng cường mới"`` -> ``“Tăng cường mới”``.
    Spaces inside the marks are removed.
    """
    edits: _Edits = {}
    stack: list[str] = []
    if not (  # (one "in" for each mark: quicker than a regex, and than any() over them)
        '"' in text
        or "'" in text
        or "“" in text
        or "”" in text
        or "‘" in text
        or "’" in text
        or "«" in text
        or "»" in text
        or "‹" in text
        or "›" in text
    ):
        return edits
    for match in _QUOTE_MARK.finditer(text):
        i, char = match.start(), match.group()
        kind = _QUOTE_KIND[char]
        prev = _previous_output(text, edits, i)
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if kind == _SINGLE and _is_apostrophe(text, i, prev, nxt):
            role = None
        else:
            role = _role(char, _context(prev, nxt), kind in stack)
            if role == _CLOSE and kind == _SINGLE and _SINGLE not in stack and char in "'’":
                role = None  # students' books: nothing to close, so an apostrophe
        new = _APOSTROPHE if role is None else _MARKS[kind, role]
        if new != char:
            edits[i] = new
        if role == _OPEN:
            stack.append(kind)
            j = i + 1
            while j < len(text) and text[j].isspace():
                edits[j] = ""
                j += 1
        elif role == _CLOSE:
            if kind in stack:
                while stack.pop() != kind:
                    pass
            j = i - 1
            while j >= 0 and text[j].isspace():
                edits[j] = ""
                j -= 1
    return edits


# --- Rules: no-break spaces (5.3) ---------------------------------------------------------------


def _nbsp_in_groups(pattern: re.Pattern[str], text: str, group: int = 0, first: int = 0) -> _Edits:
    """Make every whitespace run inside the matched group a single no-break space.

    No match starts before ``first``: the search begins there (lookbehinds still see the text
    before it), so the same matches are found with less of the text scanned.
    """
    edits: _Edits = {}
    for match in pattern.finditer(text, first):
        start = match.start(group)
        for space in _SPACE_RUN.finditer(match.group(group)):
            _one_space(edits, start + space.start(), start + space.end(), NBSP)
    return edits


def _abbreviations(text: str) -> _Edits:
    """``TP. Hồ Chí Minh``, ``Q. 1``: keep the abbreviation on the line of the name or number."""
    edits: _Edits = {}
    if not _ABBREVIATION_HINT.search(text):
        return edits
    for match in _ABBREVIATION.finditer(text):
        following = text[match.end()]
        if following.isupper() or following.isdecimal():
            _one_space(edits, *match.span(1), NBSP)
    return edits


def _back_over(text: str, index: int, chars: Callable[[str], bool]) -> int:
    """The start of the run of characters ``chars`` accepts that ends just before ``index``."""
    while index > 0 and chars(text[index - 1]):
        index -= 1
    return index


def _units(text: str) -> _Edits:
    """``35 km``, ``12,5 tỷ đồng``, ``20 %``: a number never ends a line without its unit."""
    hint = _UNIT_HINT.search(text)
    if not hint:
        return {}
    # A match's number ends in a digit followed by whitespace, so at or after this first one,
    # and it is digits, dots and commas back to its start: no match starts before that run.
    first = _back_over(text, hint.start(), lambda c: c.isdecimal() or c in ".,")
    return _nbsp_in_groups(_NUMBER_WITH_UNITS, text, 1, first)


def _dates(text: str) -> _Edits:
    """``ngày 23 tháng 11 năm 2023`` stays on one line."""
    hint = _DATE_HINT.search(text)
    if not hint:
        return {}
    # A date phrase starts at its "ngày" or "tháng", or at the digits and spaces before it:
    # no match starts before the first of those words and the digits and spaces before it.
    first = _back_over(text, hint.start(), lambda c: c.isdecimal() or c.isspace())
    return _nbsp_in_groups(_DATE_PHRASE, text, 0, first)


_RULES: tuple[Callable[[str], _Edits], ...] = (
    _collapse_spaces,
    _ellipsis,
    _hyphen_runs,
    _dashes,
    _punctuation_spacing,
    _ellipsis,  # again: removing spaces can turn ". . ." into "..."
    _quotes,  # last of the rules that delete spaces: it must see the final spacing
    _abbreviations,
    _units,
    _dates,
)

# Rules can feed each other (a space removed by one changes the context another reads), so
# they run again until a round changes nothing; this is what makes typeset idempotent.
# Real text settles in one round plus the checking round; the cap only bounds odd input.
_MAX_ROUNDS = 4


def _edit(text: str, cuts: list[int], edits: _Edits) -> tuple[str, list[int]]:
    """``_Paragraph.apply`` for a paragraph with nothing locked, kept as one string and the
    positions where its segments start (``cuts``): a replacement stays in the segment of
    what it replaces, so a cut moves by what the edits before it add or delete."""
    positions = sorted(edits)
    parts: list[str] = []
    last = 0
    for i in positions:
        parts.append(text[last:i])
        parts.append(edits[i])
        last = i + 1
    parts.append(text[last:])
    moved: list[int] = []
    k, delta = 0, 0
    for cut in cuts:
        while k < len(positions) and positions[k] < cut:
            delta += len(edits[positions[k]]) - 1
            k += 1
        moved.append(cut + delta)
    return "".join(parts), moved


def _run_rules(paragraph: _Paragraph, rounds: int) -> list[str]:
    """The rules, round after round, until one changes nothing (at most ``rounds``)."""
    for _ in range(rounds):
        paragraph.relock()
        changed = False
        for rule in _RULES:
            edits = rule(paragraph.view())
            if edits and paragraph.apply(edits):  # most rules find nothing to do
                changed = True
        if not changed:
            break
    return paragraph.segments()


# --- Public API ---------------------------------------------------------------------------------


def typeset_segments(segments: list[str], protected: list[bool]) -> list[str]:
    """Typeset one paragraph whose text is split into pieces (HTML text nodes).

    The pieces are treated as one string, so quotes pair up across ``<em>`` and a number and
    its unit in different nodes still bind. Protected pieces are never changed but count as
    a word. URLs, e-mail addresses and file names are protected automatically. The result
    has the same number of pieces, in the same order; a piece may become empty.
    """
    if len(segments) != len(protected):
        raise ValueError("segments and protected must have the same length")
    if not segments:
        return []
    if any(protected):
        return _run_rules(_Paragraph.from_segments(segments, protected), _MAX_ROUNDS)
    # The usual paragraph has nothing locked: the same rounds on a plain string (what the
    # rules read is then the text itself), until a URL turns up to lock.
    text = "".join(segments)
    cuts = list(itertools.accumulate(len(segment) for segment in segments[:-1]))
    # The rules after the last one that changed something in a round read, in that round, the
    # text the round ended with, and changed nothing. In the next round, while nothing has
    # changed yet, they would read that same text again: the round can stop before them.
    last_change = len(_RULES)
    for done in range(_MAX_ROUNDS):
        if _url_spans(text):
            starts = [0, *cuts]
            paragraph = _Paragraph.from_segments(
                [text[a:b] for a, b in zip(starts, [*cuts, len(text)], strict=True)],
                protected,
            )
            return _run_rules(paragraph, _MAX_ROUNDS - done)
        changed_at = -1
        for index, rule in enumerate(_RULES):
            if changed_at < 0 and index > last_change:
                break
            edits = rule(text)
            if edits:
                edits = {i: new for i, new in edits.items() if new != text[i]}
                if edits:
                    text, cuts = _edit(text, cuts, edits)
                    changed_at = index
        if changed_at < 0:
            break
        last_change = changed_at
    starts = [0, *cuts]
    return [text[a:b] for a, b in zip(starts, [*cuts, len(text)], strict=True)]


def typeset(text: str) -> str:
    """Typeset one paragraph of plain text (quotes, dashes, ellipsis, spacing, no-break spaces)."""
    return typeset_segments([text], [False])[0]


# --- HTML ---------------------------------------------------------------------------------------

# Elements that start a new paragraph: text on either side of them is never joined.
_BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "figure", "figcaption",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "caption", "colgroup", "col", "section", "article", "aside", "header", "footer", "nav",
    "main", "address", "details", "summary", "fieldset", "legend", "form", "hgroup", "hr",
    "pre", "body", "html",
})  # fmt: skip
# Elements whose text is data, not prose.
_PROTECTED_TAGS = frozenset({
    "code", "kbd", "samp", "pre", "script", "style", "var", "tt", "textarea", "math", "svg",
    "template",
})  # fmt: skip
_VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})  # fmt: skip
# Control characters XML (and so lxml and XHTML) cannot hold.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The parser lxml.html uses, without its own element classes (a Python callback for every
# element touched): the same tree, read faster.
_HTML_PARSER = etree.HTMLParser()
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.I)  # as lxml.html tells a whole page


def _parse_fragment(fragment: str) -> etree._Element:
    """``lxml.html.fragment_fromstring(fragment, create_parent="div")``, step for step."""
    if not _FULL_HTML.match(fragment):
        fragment = f"<html><body>{fragment}</body></html>"
    document = etree.fromstring(fragment, _HTML_PARSER)
    if document is None:
        raise etree.ParserError("Document is empty")
    assert document.tag == "html"  # (the HTML parser knows no namespaces)
    bodies = [element for element in document if element.tag == "body"]
    assert len(bodies) == 1, f"too many bodies: {bodies!r} in {fragment!r}"
    body = bodies[0]
    root = _HTML_PARSER.makeelement("div")
    if body.text and body.text.strip():
        root.text = body.text
    root.extend(list(body))
    return root


@dataclass
class _Slot:
    """One text node: ``element.text`` or ``element.tail``."""

    element: etree._Element
    attribute: str
    protected: bool
    text: str  # as it was when the paragraphs were collected (read once: lxml decodes each read)

    def get(self) -> str:
        return self.text

    def set(self, value: str) -> None:
        setattr(self.element, self.attribute, value or None)


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _paragraphs(root: etree._Element) -> list[list[_Slot]]:
    """Text nodes grouped by paragraph, in document order, descending into inline elements."""
    paragraphs: list[list[_Slot]] = []
    current: list[_Slot] = []

    def flush() -> None:
        nonlocal current
        if current:
            paragraphs.append(current)
        current = []

    def visit(element: etree._Element, protected: bool) -> None:
        text = element.text
        if text:
            current.append(_Slot(element, "text", protected, text))
        for child in element:
            tag = _tag(child)
            if tag:  # comments and processing instructions have no tag name; skip their text
                inner_protected = protected or tag in _PROTECTED_TAGS
                if tag in _BLOCK_TAGS:
                    flush()
                    visit(child, inner_protected)
                    flush()
                else:
                    visit(child, inner_protected)
            tail = child.tail
            if tail:
                current.append(_Slot(child, "tail", protected, tail))

    visit(root, False)
    flush()
    return paragraphs


def typeset_html(fragment: str) -> str:
    """Typeset the prose in an HTML fragment; tags, attributes and code are left as they are.

    The result is serialised as XML-compatible HTML (void elements self-closed, other elements
    always with an end tag, attribute values as written), so it can go into both the HTML and
    the XHTML renditions. Leading whitespace before the first element is dropped (lxml), and
    ``<`` or ``&`` inside ``<script>``/``<style>`` come out escaped, the XHTML way.
    """
    if not fragment.strip():
        return fragment
    return inner_xml(typeset_tree(fragment))


def inner_xml(root: etree._Element) -> str:
    """What typeset_html returns for the tree typeset_tree made: the div's content as XML."""
    html = etree.tostring(root, method="xml", encoding="unicode")
    return html[len("<div>") : -len("</div>")]


def typeset_tree(fragment: str) -> etree._Element:
    """typeset_html's work before serialising: the fragment typeset under a ``div``."""
    # lxml can't store control characters (nor can XHTML) and its serialiser writes U+FFFD
    # for those the parser let through; replacing them first keeps a second run identical.
    fragment = _XML_FORBIDDEN.sub("\ufffd", fragment)
    root = _parse_fragment(fragment)
    for slots in _paragraphs(root):
        old = [slot.get() for slot in slots]
        new = typeset_segments(old, [slot.protected for slot in slots])
        for slot, text, was in zip(slots, new, old, strict=True):
            if text != was:
                slot.set(text)
    for element in root.iter():
        if len(element) == 0:  # (the quickest test first)
            tag = _tag(element)
            if tag and tag not in _VOID_TAGS and element.text is None:
                element.text = ""  # <p></p>, not <p/>: the latter opens an element in HTML
    root.text = root.text or ""
    return root
