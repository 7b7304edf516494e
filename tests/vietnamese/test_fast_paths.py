"""The fast paths of normalisation give exactly what the detailed checks give (issue 12).

``normalize_text`` first asks whether a text has anything any check could act on, and the
typesetting rules first look for what they need; both only skip work that would change nothing.
Each test compares a result with the fast paths and with them switched off, on correct text and
on text that must not be skipped (mojibake, misplaced tones, foreign letters, straight quotes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from exporter.vietnamese import orthography, typography
from exporter.vietnamese.letters import VI_LETTERS, VI_TONE_MARKS
from exporter.vietnamese.orthography import (
    check_repertoire,
    normalize_text,
    tone_style_hits,
    tone_styles_used,
)
from exporter.vietnamese.typography import NBSP, typeset, typeset_segments

from .test_correct_text import ALLOW, sentences


@contextmanager
def detailed_checks() -> Iterator[None]:
    """normalize_text with its fast path switched off: every check runs on every text."""
    with mock.patch.object(orthography, "_is_quiet", lambda text, style: False):
        yield


_EVERYWHERE = re.compile("")  # matches any text: every rule runs its own patterns
_HINTS = [name for name in dir(typography) if name.endswith("_HINT")] + ["_OTHER_SPACE"]


@contextmanager
def every_rule_runs() -> Iterator[None]:
    """Typesetting with every quick test answering "maybe": no paragraph and no rule skipped."""
    with mock.patch.multiple(typography, **dict.fromkeys(_HINTS, _EVERYWHERE)):
        yield


def both_ways(text: str, **options: object) -> tuple[object, object]:
    fast = normalize_text(text, **options)  # type: ignore[arg-type]
    with detailed_checks():
        slow = normalize_text(text, **options)  # type: ignore[arg-type]
    return fast, slow


# --- normalize_text ---------------------------------------------------------------------------

MUST_NOT_SKIP = {
    "tcvn3 mojibake": ("Hµ Néi vµ thµnh phè Hå ChÝ Minh", {}),
    "vni mojibake": ("Vieät Nam vaø Haø Noäi", {}),
    "utf8 mojibake": ("Viá»‡t Nam vÃ  HÃ  Ná»™i", {}),
    "utf8 mojibake with no-break spaces": ("HÃ\u00a0 Ná»™i, HÃ\u00a0 Giang", {}),
    "one mangled word": ("tin ViÖt", {}),
    "misplaced tone": ("bài viết cuả tôi", {}),
    "misplaced tone, report only": ("bài viết cuả tôi", {"repair": False}),
    "foreign letter": ("ông Müller nói", {}),
    "eth for d": ("Ðà Nẵng", {}),
    "soft hyphen": ("Festi\u00adval", {}),
    "control character": ("a\x07b", {}),
    "zero-width space": ("Hà\u200bNội", {}),
    "private use": ("chữ \ue000", {}),
    "stray mark": ("a \u0301 b", {}),
    "mixed tone styles": ("hòa bình và thuỷ lợi", {}),
    "old style wanted": ("hoà bình", {"tone_style": "old"}),
    "new style wanted": ("hòa bình", {"tone_style": "new"}),
    "mark order": ("a\u0301\u0302", {}),
    "decomposed": ("Vie\u0302\u0323t Nam", {}),
    "carriage returns": ("dòng một\r\ndòng hai\rba", {}),
}


@pytest.mark.parametrize("text, options", MUST_NOT_SKIP.values(), ids=MUST_NOT_SKIP.keys())
def test_what_needs_work_still_gets_it(text: str, options: dict[str, object]) -> None:
    fast, slow = both_ways(text, **options)
    assert fast == slow
    out, findings = fast  # type: ignore[misc]
    changed = out != text
    assert changed or findings, "the fast path skipped a text that needed a repair or a report"


def test_an_allowed_foreign_name_goes_the_detailed_way_and_is_left_alone() -> None:
    assert not orthography._is_quiet("ông Müller nói", "keep")
    fast, slow = both_ways("ông Müller nói", allow=["Müller"])
    assert fast == slow == ("ông Müller nói", [])


def test_what_needs_work_is_never_called_quiet() -> None:
    for text, options in MUST_NOT_SKIP.values():
        nfc = orthography.to_nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
        if nfc == text:  # (newlines and NFC are done before the question is asked)
            style = options.get("tone_style", "keep")
            assert not orthography._is_quiet(text, style), text  # type: ignore[arg-type]


def test_correct_text_takes_the_fast_path() -> None:
    lines = sentences()
    quiet = [line for line in lines if orthography._is_quiet(line, "keep")]
    assert len(quiet) > 0.8 * len(lines)  # the rest: foreign names, mixed styles on purpose
    for line in lines:
        fast, slow = both_ways(line, allow=ALLOW)
        assert fast == slow, line


def test_a_quiet_character_is_never_reported() -> None:
    quiet = [chr(c) for c in range(0x110000) if not orthography._NOT_QUIET.search(chr(c))]
    assert "ệ" in quiet and "“" in quiet and "\t" in quiet
    assert "\u00ad" not in quiet and "Ð" not in quiet and "ü" not in quiet
    # whitespace: only what str.split() and the token regex agree on
    assert [c for c in quiet if c.isspace()] == ["\t", "\n", " "]
    # (glued to letters, some are mojibake signatures: that is the token check's business)
    assert [c for c in quiet if orthography._classify_char(c) or check_repertoire(c)] == []


_DIRT = "¸µ¶¹¨¬®Ö×ØÜÞßøïäëåüñæîûÃÄÆ»º‘ƒ\u00ad\u00a0\u200bÐðǎẞ\x07\r"
WORDS = st.sampled_from(
    [w for line in sentences()[::3] for w in line.split()]
    + ["hòa", "hoà", "thủy", "thuỷ", "cuả", "tòan", "Müller", "ViÖt", "Nam", "vµ", "Vieät"]
)
NOISY_WORDS = st.text(alphabet=st.sampled_from(VI_LETTERS + VI_TONE_MARKS + _DIRT), max_size=6)
TEXTS = st.lists(st.one_of(WORDS, WORDS, WORDS, NOISY_WORDS), max_size=30).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(
    TEXTS,
    st.sampled_from(["keep", "old", "new"]),
    st.booleans(),
    st.sampled_from([[], ["Müller"], ["ü", "ß"]]),
)
def test_the_fast_path_agrees_with_the_detailed_checks(
    text: str, style: str, repair: bool, allow: list[str]
) -> None:
    fast, slow = both_ways(text, tone_style=style, repair=repair, allow=allow)
    assert fast == slow


# Letters the tone-style patterns look at, and letters around them.
STYLE_LETTERS = st.lists(
    st.sampled_from(list("qQuUoOaeAEyYhx .-\u0301òọÒủụỦùÙàáạÁèẹÈýỳỵÝỲ")), max_size=8
).map("".join)
STYLE_WORDS = ["hòa", "hoà", "HÒA", "HOÀ", "khỏe", "khoẻ", "thủy", "thuỷ", "THỦY", "qủy", "quỷ"]
STYLE_WORDS += ["quý", "Quỳ", "QUỲ", "quá", "xòe", "xoè", "hoàn", "thuý", "ủy", "uỷ", "Qủy", "qúy"]


@pytest.mark.parametrize("word", STYLE_WORDS)
def test_tone_styles_used_on_the_words_that_matter(word: str) -> None:
    for text in (word, f"x {word}.", f"{word}x", f"q{word}", f"Q{word} x"):
        hits = tone_style_hits(text)
        assert tone_styles_used(text) == {style for style, found in hits.items() if found}, text


@settings(max_examples=1000, deadline=None)
@given(st.one_of(TEXTS, STYLE_LETTERS, st.text(max_size=40)))
def test_tone_styles_used_agrees_with_tone_style_hits(text: str) -> None:
    hits = tone_style_hits(text)
    assert tone_styles_used(text) == {style for style, found in hits.items() if found}


# --- typesetting --------------------------------------------------------------------------------

MUST_TYPESET = {
    "straight quotes": ('Ông nói: "Tôi đồng ý".', "Ông nói: “Tôi đồng ý”."),
    "apostrophe": ("rock'n'roll", "rock’n’roll"),
    "three dots": ("Chờ đã...", "Chờ đã…"),
    "spaced dots": ("Chờ đã . . .", "Chờ đã…"),
    "double hyphen": ("a -- b", "a␣– b"),
    "spaced hyphen": ("Vĩnh Long - Trà Vinh", "Vĩnh Long␣– Trà Vinh"),
    "space before em dash": ("Hà Nội — Huế", "Hà Nội␣— Huế"),
    "dialogue dash": ("- Chào anh.", "– Chào anh."),
    "two spaces": ("Hà  Nội", "Hà Nội"),
    "tab": ("Hà\tNội", "Hà Nội"),
    "space before comma": ("Hà Nội , Huế", "Hà Nội, Huế"),
    "space inside brackets": ("( Hà Nội )", "(Hà Nội)"),
    "abbreviation": ("TP. Hồ Chí Minh", "TP.␣Hồ Chí Minh"),
    "unit": ("dài 62,4 km", "dài 62,4␣km"),
    "date": ("ngày 23 tháng 11 năm 2023", "ngày␣23␣tháng␣11␣năm␣2023"),
    "date in capitals": ("NGÀY 23 THÁNG 11", "NGÀY␣23␣THÁNG␣11"),
    "url kept": ("xem https://a.vn/x...y nhé", "xem https://a.vn/x...y nhé"),
}


@pytest.mark.parametrize("text, expected", MUST_TYPESET.values(), ids=MUST_TYPESET.keys())
def test_what_needs_typesetting_still_gets_it(text: str, expected: str) -> None:
    assert typeset(text) == expected.replace("␣", NBSP)
    with every_rule_runs():
        assert typeset(text) == expected.replace("␣", NBSP)


PIECES = st.sampled_from(
    [w for line in sentences()[::7] for w in line.split()]
    + ['"', "'", "“", "”", "‘", "’", "«", "»", "...", ". . .", "--", "---", "-", "–", "—"]
    + ["(", ")", "[", "]", ",", ".", ";", ":", "!", "?", "…", "'90s", "O'Neil", "students'"]
    + ["TP.", "Tp.", "Q.", "P.", "H.", "X.", "TX.", "Tt.", "12", "3,5", "1.000", "km", "m²"]
    + ["%", "tỷ", "đồng", "USD", "ngày", "Ngày", "tháng", "THÁNG", "năm", "2023", "23/11"]
    + ["a@b.vn", "https://x.vn/a...b", "www.a.vn", "ảnh.jpg", "Nội.Theo", "->", "-->", "<--"]
)
SPACES = st.sampled_from([" ", " ", " ", "", "  ", "\t", "\n", NBSP, " \n ", "\u2009"])
PARAGRAPHS = st.lists(st.tuples(PIECES, SPACES), max_size=25).map(
    lambda pairs: "".join(word + space for word, space in pairs)
)


@settings(max_examples=400, deadline=None)
@given(PARAGRAPHS)
def test_quick_tests_only_skip_what_no_rule_would_change(text: str) -> None:
    fast = typeset(text)
    with every_rule_runs():
        assert typeset(text) == fast


def character_model(segments: list[str], protected: list[bool]) -> list[str]:
    """The rules on the general paragraph model (a character list with owners and locks),
    which typeset_segments uses only when something is locked."""
    paragraph = typography._Paragraph.from_segments(segments, protected)
    return typography._run_rules(paragraph, typography._MAX_ROUNDS)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PARAGRAPHS, st.booleans()), max_size=5))
def test_segments_come_back_in_their_pieces(pieces: list[tuple[str, bool]]) -> None:
    segments = [text for text, _ in pieces]
    protected = [flag for _, flag in pieces]
    fast = typeset_segments(segments, protected)
    assert fast == character_model(segments, protected)
    with every_rule_runs():
        assert typeset_segments(segments, protected) == fast
    assert len(fast) == len(segments)
    for before, after, flag in zip(segments, fast, protected, strict=True):
        if flag:
            assert after == before


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(PARAGRAPHS, PIECES, st.just("")), max_size=6))
def test_unlocked_paragraphs_as_one_string_like_the_character_model(segments: list[str]) -> None:
    unprotected = [False] * len(segments)
    assert typeset_segments(segments, unprotected) == character_model(segments, unprotected)


def test_other_whitespace_is_all_whitespace_but_the_space_and_the_no_break_space() -> None:
    every = [chr(c) for c in range(0x110000)]
    expected = [c for c in every if re.fullmatch(r"[^\S \xa0]", c)]
    assert [c for c in every if typography._OTHER_SPACE.fullmatch(c)] == expected


@pytest.mark.parametrize("text", ["a\xa0 b", "a \xa0b", "a\xa0\xa0b", "\xa0 ", " \xa0", "\xa0\xa0"])
def test_a_no_break_space_next_to_a_space_is_found(text: str) -> None:
    assert typography._NBSP_PAIR.search(text)
    assert not typography._NBSP_PAIR.search(text.replace(" ", "x").replace("\xa0\xa0", "\xa0x"))


# The design doc's patterns, as first written; the module has equivalent ones that start with a
# character class (the regex engine skips to those characters instead of trying every position).
_UNIT_WORD = typography._UNIT_WORD
REFERENCE = {
    "_NUMBER_WITH_UNITS": rf"(?<![\w.,])\d+(?:[.,]\d+)*((?:\s+(?:{_UNIT_WORD})(?!\w))+)",
    "_SPACED_DASH": r"(?<=\S)(\s+)[-–](?=\s+\S)",
    "_ABBREVIATION": r"(?<!\w)(?:TP|Tp|TX|Tx|TT|Tt|Q|P|H|X)\.(\s+)(?=\w)",
}


@settings(max_examples=500, deadline=None)
@given(st.one_of(PARAGRAPHS, st.text(alphabet="TPpXxQH.,0123456789 \t\n-–kmxyzđ" + NBSP)))
def test_rewritten_patterns_match_as_first_written(text: str) -> None:
    for name, pattern in REFERENCE.items():
        ours = getattr(typography, name)
        expected = [(m.span(), m.span(1)) for m in re.finditer(pattern, text)]
        assert [(m.span(), m.span(1)) for m in ours.finditer(text)] == expected, name
    # quick tests rewritten to start with a literal: found exactly when the plain form is
    hint = typography._ABBREVIATION_HINT.search(text)
    assert bool(hint) == bool(re.search(r"[PpXxTtQH]\.\s", text))
    assert bool(typography._ELLIPSIS_HINT.search(text)) == ("..." in text or ". . ." in text)


def test_the_quote_test_knows_every_quote_mark() -> None:
    for mark in typography._QUOTE_KIND:
        assert typography._quotes(f"a {mark}b{mark} c") or mark == "’", mark
    assert set(typography._QUOTE_KIND) == set("\"'“”‘’«»‹›")


# --- HTML ---------------------------------------------------------------------------------------

FRAGMENTS = [
    "",
    "   ",
    "text only",
    "  <p>leading spaces</p>",
    "lead <p>a</p> tail",
    "<p>a</p><p>b</p>\n",
    "<p>“a” <em>b</em> <code>x -- y</code></p>",
    "<ul>\n<li>một</li>\n<li>hai</li>\n</ul>",
    "<!-- note --><p>a</p>",
    "<html><body><p>whole page</p></body></html>",
    "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p></body></html>",
    "<p>a<br>b<img src='x.jpg' alt='y'></p>",
    "<table><tr><td>1</td></tr></table>",
    "<p>unclosed <b>bold",
    "<head><title>t</title></head><p>x</p>",
    "<body class='x'><p>in a body</p></body>",
    "<svg xmlns='http://www.w3.org/2000/svg'><path d='M0'/></svg>",
    "<p>&nbsp;&amp;&lt;&eacute;</p>",
]


def parsed(parse: Callable[[str], object], fragment: str) -> object:
    """The tree as XML, or the kind of failure."""
    try:
        root = parse(fragment)
    except Exception as exc:  # the same failure is what is compared
        return type(exc)
    return etree.tostring(root, method="xml", encoding="unicode")


def lxml_html(fragment: str) -> object:
    return lxml.html.fragment_fromstring(fragment, create_parent="div")


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_fragments_parse_as_lxml_html_parses_them(fragment: str) -> None:
    assert parsed(typography._parse_fragment, fragment) == parsed(lxml_html, fragment)


HTML_PIECES = st.sampled_from(
    ["<p>", "</p>", "<b>", "</b>", "<br>", "<li>", "<ul>", "</ul>", "<body>", "<html>", "<head>"]
    + ["<!-- c -->", "<!DOCTYPE html>", "&amp;", "&nbsp;", " ", "\n", "chữ", '"', "<", ">", "x"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(HTML_PIECES, max_size=12).map("".join))
def test_any_fragment_parses_as_lxml_html_parses_it(fragment: str) -> None:
    assert parsed(typography._parse_fragment, fragment) == parsed(lxml_html, fragment)


def test_text_inside_code_is_left_as_written() -> None:
    from exporter.vietnamese.normalize import _Normalizer, _Where

    worker = _Normalizer("keep", [])
    fragment = '<p>cuả <code>cuả <em>cuả</em> "x"</code> cuả <pre>cuả<b>cuả</b></pre> "a"</p>'
    html = worker.html(fragment, _Where("f.md", "body"))
    assert html == '<p>của <code>cuả <em>cuả</em> "x"</code> của </p><pre>cuả<b>cuả</b></pre> “a”'
    assert len(worker.warnings) == 2  # the two outside code, each repaired and reported


# --- Blocks: the id is set on the typeset tree, not on the typeset HTML parsed again ---------

TAGS = ["p", "div", "span", "em", "b", "a", "ul", "li", "code", "pre", "script", "td", "h2"]
VOID = ["br", "img", "hr"]
ATTRIBUTES = [
    ' id=""', ' id="x"', ' class="a&amp;b"', ' title="a &quot;q&quot; &lt;b&gt;"',
    ' data-x="line&#10;break&#9;tab&#13;"', ' xmlns="http://www.w3.org/1999/xhtml"', ' lang="vi"',
    ' xml:lang="vi"', ' ID="y"',
]  # fmt: skip
BLOCK_TEXTS = [
    "",
    "chữ",
    "a &amp; b",
    "1 &lt; 2",
    '"q" it\'s',
    "&#13;",
    " ",
    "...",
    "cuả",
    "--",
    "\n",
]
ELEMENTS = st.recursive(
    st.sampled_from(BLOCK_TEXTS) | st.sampled_from([f"<{t}/>" for t in VOID]) | st.just("<!--c-->"),
    lambda inner: st.builds(
        lambda tag, attributes, children: (
            f"<{tag}{''.join(attributes)}>{''.join(children)}</{tag}>"
        ),
        st.sampled_from(TAGS),
        st.lists(st.sampled_from(ATTRIBUTES), max_size=3, unique=True),
        st.lists(inner, max_size=4),
    ),
    max_leaves=12,
)
FRAGMENTS_OF_BLOCKS = st.one_of(
    ELEMENTS.filter(lambda fragment: fragment.startswith("<") and "<!--" not in fragment),
    st.lists(ELEMENTS, min_size=1, max_size=3).map("".join),
)


def as_block_then_parsed(fragment: str) -> tuple[object, list[object]]:
    from exporter.vietnamese.normalize import _Normalizer, _Where, _with_id

    worker = _Normalizer("keep", [])
    try:
        html = _with_id(worker.html(fragment, _Where("f.md", "body")), "bai-1")
    except Exception as exc:  # the same failure is what is compared
        return type(exc), worker.warnings
    return html, worker.warnings


def as_block(fragment: str) -> tuple[object, list[object]]:
    from exporter.vietnamese.normalize import _Normalizer, _Where

    worker = _Normalizer("keep", [])
    try:
        html = worker.block(fragment, _Where("f.md", "body"), "bai-1")
    except Exception as exc:
        return type(exc), worker.warnings
    return html, worker.warnings


BLOCKS = [
    "<p>một</p>",
    '<p id="giu">một</p>',
    '<p id="">rỗng</p>',
    "<p></p>",
    "<p><em></em> x</p>",
    "<ul>\n<li>một</li>\n<li></li>\n</ul>",
    "<p>a</p>\n",
    "<p>a</p> b",
    "lead <p>a</p>",
    "<p>a</p><p>b</p>",
    "<p>a<!-- c --></p>",
    '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0"/></svg>',
    '<p xml:lang="vi">a</p>',
    "<pre><code>a -- b\n  c</code></pre>",
    '<p title="a&#10;b&#13;" data-x="&lt;&amp;&gt;">"q" &amp; 1 &lt; 2&#13;</p>',
    "<script>if (a &lt; b) {}</script>",
    "<table><tr><td>1</td><td></td></tr></table>",
    "",
    "   ",
]


@pytest.mark.parametrize("fragment", BLOCKS)
def test_a_block_gets_its_id_as_when_its_html_is_parsed_again(fragment: str) -> None:
    assert as_block(fragment) == as_block_then_parsed(fragment)


@settings(max_examples=500, deadline=None)
@given(FRAGMENTS_OF_BLOCKS)
def test_any_block_gets_its_id_as_when_its_html_is_parsed_again(fragment: str) -> None:
    assert as_block(fragment) == as_block_then_parsed(fragment)


NUMBERS_AND_DATES = st.lists(
    st.sampled_from(
        ["1", "12", "1.000", "2,5", "3.500,75", ".", ",", "km", "tỷ", "TỶ", "đồng", "%", "m²"]
        + ["ngày", "Ngày", "NGÀY", "tháng", "THÁNG", "năm", "2023", "23/11", "11/2023", "x", "số"]
    ),
    max_size=14,
).flatmap(
    lambda words: st.lists(
        st.sampled_from([" ", "", "  ", NBSP, "\n"]), min_size=len(words), max_size=len(words)
    ).map(lambda spaces: "".join(w + s for w, s in zip(words, spaces, strict=True)))
)


DATE_LIKE = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(["", "x ", "số ", "1.000 ", "ngày "]),
    st.sampled_from(["1", "12", "123", "1.5", "2,5", ""]),
    st.sampled_from([" ", "  ", NBSP, "\n", ""]),
    st.sampled_from(["tháng", "THÁNG", "Tháng", "ngày", "km", "tỷ đồng", "%"]),
    st.sampled_from([" ", NBSP, ""]),
    st.sampled_from(["11", "11/2023", "5", "x", ""]),
    st.sampled_from(["", " năm 2023", " km", "."]),
)
NUMBERS_AND_DATES_EXAMPLES = [
    "12 tháng 11", "x 12 tháng 11 năm 2023", "ngày 23 tháng 11 năm 2023", "1.000 km",
    "dài 3.500,75 tỷ đồng", "x 1 tháng 2", "tháng 11/2023", "số 5 km và 6 km", "5,5.5 km",
]  # fmt: skip


def units_and_dates_from_the_start(text: str) -> tuple[object, object]:
    nbsp_in_groups = typography._nbsp_in_groups
    return (
        nbsp_in_groups(typography._NUMBER_WITH_UNITS, text, 1),
        nbsp_in_groups(typography._DATE_PHRASE, text),
    )


@pytest.mark.parametrize("text", NUMBERS_AND_DATES_EXAMPLES)
def test_numbers_and_dates_found_as_when_searched_from_the_start(text: str) -> None:
    assert (typography._units(text), typography._dates(text)) == units_and_dates_from_the_start(
        text
    )
    assert any(units_and_dates_from_the_start(text))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(DATE_LIKE, NUMBERS_AND_DATES, PARAGRAPHS))
def test_numbers_and_dates_are_searched_from_where_they_can_start(text: str) -> None:
    assert (typography._units(text), typography._dates(text)) == units_and_dates_from_the_start(
        text
    )
