"""Tests for exporter.typography: design doc rules 5.3 and 6.1-6.3, as fixtures and properties."""

from __future__ import annotations

import html
import re
import unicodedata

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.vietnamese.typography import NBSP, typeset, typeset_html, typeset_segments


def nb(text: str) -> str:
    """Expected strings are written with ␣ where a no-break space must be."""
    return text.replace("␣", NBSP)


def case(source: str, expected: str, id: str | None = None) -> object:
    return pytest.param(nb(source), nb(expected), id=id or source[:40])


def cases(*pairs: tuple[str, str]) -> list[object]:
    return [case(source, expected) for source, expected in pairs]


# --- Quotes (6.1) -----------------------------------------------------------------------------

QUOTES = cases(
    ('"Tăng cường quản lý thị trường"', "“Tăng cường quản lý thị trường”"),
    # Mismatched pair repaired: an opening “ and a straight " that closes it.
    ('“Tăng cường quản lý mới"', "“Tăng cường quản lý mới”"),
    # The literal example; the space before … goes too (6.2: … attaches to the word).
    ('“Tăng cường … mới"', "“Tăng cường… mới”"),
    ('Ông nói: "Tôi đồng ý".', "Ông nói: “Tôi đồng ý”."),
    ('Cô ấy hỏi: "Anh có đi không?"', "Cô ấy hỏi: “Anh có đi không?”"),
    # Nesting: straight singles inside “…” become ‘…’.
    ("\"Anh ấy bảo 'xin chào' rồi đi\"", "“Anh ấy bảo ‘xin chào’ rồi đi”"),
    ("\"Tôi nói 'Đi thôi!'\"", "“Tôi nói ‘Đi thôi!’”"),
    # Straight doubles inside doubles keep their kind.
    ('"Anh nói "xin chào" rồi đi"', "“Anh nói “xin chào” rồi đi”"),
    ('("trích dẫn")', "(“trích dẫn”)"),
    ('"...và thế là hết"', "“…và thế là hết”"),
    ('Kiểm tra lại..." rồi đi', "Kiểm tra lại…” rồi đi"),
    ("Các bạn nói 'được'.", "Các bạn nói ‘được’."),
    # Spaces inside the marks go; guillemets become Vietnamese quotes.
    ('" Có khoảng trắng "', "“Có khoảng trắng”"),
    ("« Bonjour »", "“Bonjour”"),
    # A typographic mark facing the wrong way is turned round.
    ("”sai chiều“ ở đây", "“sai chiều” ở đây"),
    # Apostrophes.
    ("Ông O'Neil thích rock'n'roll", "Ông O’Neil thích rock’n’roll"),
    ("từ những năm '90s", "từ những năm ’90s"),
    ("the students' books", "the students’ books"),
)

# --- Dashes (6.3) -----------------------------------------------------------------------------

DASHES = cases(
    ("kinh tế - xã hội", "kinh tế␣– xã hội"),
    ("kinh tế – xã hội", "kinh tế␣– xã hội"),
    ("kinh tế -- xã hội", "kinh tế␣– xã hội"),
    ("kinh tế --- xã hội", "kinh tế␣— xã hội"),
    ("kinh tế — xã hội", "kinh tế␣— xã hội"),
    ("a--b", "a–b"),
    ("a---b", "a—b"),
    # Numeric ranges written with spaces become en dashes too (phrases or numbers alike).
    ("từ 20 - 26 độ", "từ 20␣– 26 độ"),
    # Dialogue line.
    ("- Anh đi đâu?", "– Anh đi đâu?"),
    # Already right: left alone.
    ("kinh tế␣– xã hội", "kinh tế␣– xã hội"),
)

# --- Ellipsis and spacing (6.2) ---------------------------------------------------------------

SPACING = cases(
    ("Đợi đã... rồi", "Đợi đã… rồi"),
    ("Anh ấy ... đi", "Anh ấy… đi"),
    ("Chờ . . . mãi", "Chờ… mãi"),
    ("a , b ; c : d ! e ? f ...", "a, b; c: d! e? f…"),
    ("Xin chào␣!", "Xin chào!"),
    ("( a )  [ b ]", "(a) [b]"),
    ("hai  khoảng   trắng", "hai khoảng trắng"),
    ("tab\there", "tab here"),
    ("“…và thế là hết”", "“…và thế là hết”"),
)

# --- No-break spaces (5.3) --------------------------------------------------------------------

ABBREVIATIONS = cases(
    ("TP. Hồ Chí Minh", "TP.␣Hồ Chí Minh"),
    ("Tp. Hồ Chí Minh", "Tp.␣Hồ Chí Minh"),
    ("Q. 1, P. 5", "Q.␣1, P.␣5"),
    (
        "TX. Sơn Tây, TT. Đông Anh, H. Củ Chi, X. Tân Phú",
        "TX.␣Sơn Tây, TT.␣Đông Anh, H.␣Củ Chi, X.␣Tân Phú",
    ),
    ("Q. Bình Thạnh", "Q.␣Bình Thạnh"),
)

UNITS = cases(
    ("35 km", "35␣km"),
    ("28 °C", "28␣°C"),
    ("12,5 tỷ đồng", "12,5␣tỷ␣đồng"),
    ("500.000 đồng", "500.000␣đồng"),
    ("1.234.567 ₫", "1.234.567␣₫"),
    ("20 %", "20␣%"),
    ("5 triệu đồng", "5␣triệu␣đồng"),
    ("3 nghìn tỷ đồng", "3␣nghìn␣tỷ␣đồng"),
    (
        "100 ha, 2 tấn, 10 kg, 5 m, 30 cm, 2 mm, 3 m2, 4 m²",
        "100␣ha, 2␣tấn, 10␣kg, 5␣m, 30␣cm, 2␣mm, 3␣m2, 4␣m²",
    ),
    ("10 USD, 5 VND, 7 VNĐ, 9 đ", "10␣USD, 5␣VND, 7␣VNĐ, 9␣đ"),
    ("5 TRIỆU LƯỢT", "5␣TRIỆU LƯỢT"),
    ("-5 °C", "-5␣°C"),
    ("từ 20-26 °C", "từ 20-26␣°C"),
    # The unit must be a whole word.
    ("5 mét", "5 mét"),
    ("5 giờ", "5 giờ"),
    ("3 tháng", "3 tháng"),
    ("2 hai", "2 hai"),
)

DATES = cases(
    ("ngày 23 tháng 11 năm 2023", "ngày␣23␣tháng␣11␣năm␣2023"),
    ("Ngày 23 tháng 11 năm 2023, UBND", "Ngày␣23␣tháng␣11␣năm␣2023, UBND"),
    ("ngày 23/11", "ngày␣23/11"),
    ("ngày 23/11/2023", "ngày␣23/11/2023"),
    ("tháng 11 năm 2023", "tháng␣11␣năm␣2023"),
    ("tháng 11/2023", "tháng␣11/2023"),
    ("Thứ Năm, 23 tháng 11, 2023", "Thứ Năm, 23␣tháng␣11, 2023"),
    ("3 năm 2023", "3 năm 2023"),
)

# --- Things that must not change --------------------------------------------------------------

UNCHANGED = [
    "TP.HCM",
    "UBND TP.HCM và HĐND",
    "23/11/2023",
    "1.234.567",
    "12,5",
    "25,5%",
    "lúc 20:39",
    "https://baobinhthuan.com.vn/a-b...html",
    "Xem https://a.vn/x?y=1&z='a' nhé",
    "Gửi thư tới ban.bientap@baobinhthuan.com.vn nhé",
    "Tải ảnh.jpg về",
    "COVID-19",
    "Ác-si-mét",
    "2020-2023",
    "kinh tế-xã hội",
    "nhiệt độ -5",
    "A --> B <-- C",
    "-----",
    "TP. hồ",  # only before a capital or a digit
    "“Đã có sẵn” và ‘cũng vậy’",
    "Anh ấy đi…",
    "",
    " ",
]


@pytest.mark.parametrize(
    ("source", "expected"), QUOTES + DASHES + SPACING + ABBREVIATIONS + UNITS + DATES
)
def test_typeset(source: str, expected: str) -> None:
    assert typeset(source) == expected


@pytest.mark.parametrize("source", UNCHANGED)
def test_typeset_leaves_alone(source: str) -> None:
    assert typeset(source) == source


def test_url_protected_while_sentence_around_it_is_typeset() -> None:
    out = typeset('Xem "https://baobinhthuan.com.vn/a-b...html" ...')
    assert out == "Xem “https://baobinhthuan.com.vn/a-b...html”…"


# --- The design doc's checks ------------------------------------------------------------------

HEADLINE = "ẤN ĐỘ VÀ VIỆT NAM KÝ KẾT THỎA THUẬN; TP. HỒ CHÍ MINH ĐÓN 5 TRIỆU LƯỢT KHÁCH"
BODY = (
    "Ngày 23 tháng 11 năm 2023, UBND TP.HCM cho biết “Quỹ hỗ trợ” đã giải ngân "
    "1.234.567 ₫ cho người dân ở Q. 1 — theo HĐND, tỷ lệ đạt 25,5%."
)
FIXTURES = [
    HEADLINE,
    BODY,
    'Ông A nói : " Dự án dài 35 km , vốn 12,5 tỷ đồng ... " ( theo TTXVN )',
    "Nhiệt độ 28 °C ở P. 5 , Q. 3 - TP. Hồ Chí Minh ; 20 % dân số  ' rất vui ' !",
    "Giá 500.000 đồng , 10 USD , 100 ha , 2 m , 3 cm , 4 kg , 1 000 ₫ , 5 triệu , 6 nghìn ?",
    'Ngày 5 tháng 3 năm 2023 , TX. Sơn Tây , TT. Đông Anh , H. Củ Chi , X. Tân Phú -- "hết" .',
]


@pytest.mark.parametrize("text", FIXTURES, ids=range(len(FIXTURES)))
def test_design_doc_checks(text: str) -> None:
    out = typeset(text)
    assert re.search(r"\b(TP|Q|P|TX|TT|H|X)\. (?=\w)", out) is None  # 5.3
    assert re.search(r"\d (km|m|cm|kg|ha|°C|tỷ|triệu|nghìn|đồng|₫|USD)\b", out) is None  # 5.3
    assert re.search(r"\s[,.;:!?…)\]”’]", out) is None  # 6.2
    assert re.search(r"[(\[“‘]\s", out) is None  # 6.2
    assert re.search(r" {2,}", out) is None  # 6.2
    assert "..." not in out  # 6.2
    assert '"' not in out and "«" not in out and "»" not in out  # 6.1
    assert "--" not in out  # 6.3
    assert out.count("“") == out.count("”") and out.count("‘") == out.count("’")  # balanced


def test_design_doc_body_fixture() -> None:
    assert typeset(BODY) == nb(
        "Ngày␣23␣tháng␣11␣năm␣2023, UBND TP.HCM cho biết “Quỹ hỗ trợ” đã giải ngân "
        "1.234.567␣₫ cho người dân ở Q.␣1␣— theo HĐND, tỷ lệ đạt 25,5%."
    )


# --- typeset_segments -------------------------------------------------------------------------


def test_segments_single_piece_is_typeset() -> None:
    for source in ('"a" - b ...', "TP. Hồ Chí Minh", "12,5 tỷ đồng"):
        assert typeset_segments([source], [False]) == [typeset(source)]


def test_segments_quotes_pair_across_pieces() -> None:
    out = typeset_segments(['Ông nói "', "xin chào", '" rồi đi.'], [False, False, False])
    assert out == ["Ông nói “", "xin chào", "” rồi đi."]


def test_segments_spacing_across_pieces() -> None:
    # "12,5 " | "tỷ" | " đồng" -> every space stays in its own piece, as a no-break space.
    expected = nb("12,5␣|tỷ|␣đồng").split("|")
    assert typeset_segments(["12,5 ", "tỷ", " đồng"], [False] * 3) == expected
    # A run of spaces across a boundary collapses; the deleted space leaves its piece empty.
    assert typeset_segments(["a ", " b"], [False, False]) == ["a ", "b"]
    assert typeset_segments(["Anh ấy ", "...", " đi"], [False] * 3) == ["Anh ấy", "…", " đi"]


def test_segments_protected_piece_is_untouched_but_counts_as_a_word() -> None:
    segments = ['Gõ "', 'print("x") ... -- a', '" rồi ...']
    out = typeset_segments(segments, [False, True, False])
    assert out == ["Gõ “", 'print("x") ... -- a', "” rồi…"]


def test_segments_count_and_order_never_change() -> None:
    out = typeset_segments(["", "  ", "...", ""], [False, True, False, False])
    assert len(out) == 4
    assert out[1] == "  "


def test_segments_length_mismatch() -> None:
    with pytest.raises(ValueError):
        typeset_segments(["a"], [])


# --- typeset_html -----------------------------------------------------------------------------


def test_html_quotes_across_inline_elements() -> None:
    out = typeset_html('<p>Ông nói <em>"xin chào"</em> ...</p>')
    assert out == "<p>Ông nói <em>“xin chào”</em>…</p>"
    out = typeset_html("<p>\"Anh <strong>đi</strong>\" và '<em>về</em>'</p>")
    assert out == "<p>“Anh <strong>đi</strong>” và ‘<em>về</em>’</p>"


def test_html_attributes_untouched() -> None:
    source = '<p><a href="http://x.vn/?q=&quot;a&quot;" title="a - b ... \'c\'">"link"</a></p>'
    assert typeset_html(source) == (
        '<p><a href="http://x.vn/?q=&quot;a&quot;" title="a - b ... \'c\'">“link”</a></p>'
    )
    # Non-ASCII and spaces in URLs are kept as written (no percent-encoding).
    source = '<p><img src="ảnh đẹp.jpg" alt="\'x\'"/> "b"</p>'
    assert typeset_html(source) == '<p><img src="ảnh đẹp.jpg" alt="\'x\'"/> “b”</p>'


def test_html_code_untouched() -> None:
    assert typeset_html('<p>Gõ <code>"x" -- y...</code> "z"</p>') == (
        '<p>Gõ <code>"x" -- y...</code> “z”</p>'
    )
    source = '<pre><code>print("a ... b")\n  x -- y\n</code></pre>'
    assert typeset_html(source) == source
    assert typeset_html("<p><kbd>Ctrl - C</kbd> , \"<samp>'a'</samp>\"</p>") == (
        "<p><kbd>Ctrl - C</kbd>, “<samp>'a'</samp>”</p>"
    )


def test_html_link_text_that_is_a_url_untouched() -> None:
    source = '<p>Xem <a href="https://a.vn/a-b...html">https://a.vn/a-b...html</a> ...</p>'
    assert typeset_html(source) == (
        '<p>Xem <a href="https://a.vn/a-b...html">https://a.vn/a-b...html</a>…</p>'
    )


def test_html_blocks_are_separate_paragraphs() -> None:
    source = (
        '<p>"mở</p>\n<ul>\n<li>5 km</li>\n<li>TP. Huế</li>\n</ul>\n'
        "<blockquote>\n<p>'trích'</p>\n</blockquote>\n"
        "<table><tr><td>20 %</td><th>a - b</th></tr></table>"
        "<figure><img src=\"a.jpg\"/><figcaption>Ảnh: 'A'</figcaption></figure>"
    )
    assert typeset_html(source) == nb(
        "<p>“mở</p>\n<ul>\n<li>5␣km</li>\n<li>TP.␣Huế</li>\n</ul>\n"
        "<blockquote>\n<p>‘trích’</p>\n</blockquote>\n"
        "<table><tr><td>20␣%</td><th>a␣– b</th></tr></table>"
        '<figure><img src="a.jpg"/><figcaption>Ảnh: ‘A’</figcaption></figure>'
    )


def test_html_entities_void_and_empty_elements() -> None:
    source = "<p>A &amp; B &lt;tag&gt; ...<br />\nx</p><p></p><hr />"
    assert typeset_html(source) == "<p>A &amp; B &lt;tag&gt;…<br/>\nx</p><p></p><hr/>"


def test_html_no_break_space_across_elements() -> None:
    assert typeset_html("<p>TP. <strong>Hồ Chí Minh</strong>, 12,5 <em>tỷ</em> đồng</p>") == nb(
        "<p>TP.␣<strong>Hồ Chí Minh</strong>, 12,5␣<em>tỷ</em>␣đồng</p>"
    )


def test_html_comment_and_blank() -> None:
    assert typeset_html("<!-- a -- b ... --><p>x</p>") == "<!-- a -- b ... --><p>x</p>"
    assert typeset_html("") == ""
    assert typeset_html("\n") == "\n"


def test_html_markdown_it_output_is_stable() -> None:
    source = (
        '<h2>"Tăng cường" - mới</h2>\n<p>Ngày 23 tháng 11 năm 2023, ở Q. 1 ...</p>\n'
        "<ol>\n<li>\n<p>Một 'hai'</p>\n</li>\n</ol>\n"
    )
    once = typeset_html(source)
    assert once == nb(
        "<h2>“Tăng cường”␣– mới</h2>\n<p>Ngày␣23␣tháng␣11␣năm␣2023, ở Q.␣1…</p>\n"
        "<ol>\n<li>\n<p>Một ‘hai’</p>\n</li>\n</ol>\n"
    )
    assert typeset_html(once) == once


# --- Properties -------------------------------------------------------------------------------

# Only these may be changed, added or removed; everything else keeps its order.
CHANGEABLE = frozenset("\"'“”‘’«»‹›-–—….") | {NBSP}


def residue(text: str) -> str:
    return "".join(c for c in text if not (c.isspace() or c in CHANGEABLE))


VI_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "AĂÂĐÊÔƠƯHPQTXÁẾỒ"
)
VI_TOKENS = [
    *VI_LETTERS,
    *"0123456789",
    *" " * 6,
    NBSP,
    "\n",
    *"\"'.-,:;!?…“”‘’()—–/%",
    "...",
    "--",
    " - ",
    "km",
    "°C",
    "tỷ",
    "triệu",
    "đồng",
    "ngày",
    "tháng",
    "năm",
    "TP.",
    "Q.",
    "a.vn",
    "https://a.vn/x?y=1",
]
vietnamese_text = st.lists(st.sampled_from(VI_TOKENS), max_size=40).map("".join)
nfc_text = st.text().map(lambda s: unicodedata.normalize("NFC", s))
any_text = st.one_of(vietnamese_text, nfc_text)

PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(any_text)
def test_property_idempotent(text: str) -> None:
    once = typeset(text)
    assert typeset(once) == once


@PROPERTY_SETTINGS
@given(any_text)
def test_property_nfc_in_nfc_out(text: str) -> None:
    assert unicodedata.is_normalized("NFC", typeset(text))


@PROPERTY_SETTINGS
@given(any_text)
def test_property_letters_and_digits_kept(text: str) -> None:
    assert residue(typeset(text)) == residue(text)


@PROPERTY_SETTINGS
@given(st.text())
def test_property_never_raises(text: str) -> None:
    assert isinstance(typeset(text), str)


segment_lists = st.lists(st.tuples(vietnamese_text, st.booleans()), max_size=5)


@PROPERTY_SETTINGS
@given(segment_lists)
def test_property_segments(pairs: list[tuple[str, bool]]) -> None:
    segments = [text for text, _ in pairs]
    protected = [flag for _, flag in pairs]
    out = typeset_segments(segments, protected)
    assert len(out) == len(segments)
    assert all(o == s for o, s, p in zip(out, segments, protected, strict=True) if p)
    assert typeset_segments(out, protected) == out
    assert unicodedata.is_normalized("NFC", "".join(out))
    assert residue("".join(out)) == residue("".join(segments))
    if not any(protected):  # a split without protected pieces changes nothing
        assert "".join(out) == typeset("".join(segments))


def text_content(fragment: str) -> str:
    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()


# XML forbids most control characters; the HTML tests use text that can be stored.
xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"))
paragraph_text = st.one_of(vietnamese_text, xml_text.map(lambda s: unicodedata.normalize("NFC", s)))


@PROPERTY_SETTINGS
@given(paragraph_text, st.none() | paragraph_text, paragraph_text)
def test_property_html(before: str, emphasised: str | None, after: str) -> None:
    inner = html.escape(before, quote=False)
    if emphasised is not None:
        inner += f"<em>{html.escape(emphasised, quote=False)}</em>"
    inner += html.escape(after, quote=False)
    fragment = f"<p>{inner}</p>"
    out = typeset_html(fragment)
    assert typeset_html(out) == out
    assert unicodedata.is_normalized("NFC", out)
    assert residue(text_content(out)) == residue(text_content(fragment))
    assert out.startswith("<p>") and out.endswith("</p>")
