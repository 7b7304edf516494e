"""Tests for exporter.legacy_encodings: codecs, detection, mojibake repair (design doc 10, 12).

glibc iconv (TCVN5712-1) is used as an independent oracle for the TCVN table; those tests are
skipped only when iconv or that charset is missing.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import unicodedata

import pytest

from exporter.vietnamese.legacy_encodings import (
    UndecodableError,
    decode_cp1258,
    decode_tcvn3,
    decode_viqr,
    decode_vni,
    detect_and_decode,
    encode_cp1258,
    encode_tcvn3,
    encode_viqr,
    encode_vni,
    mojibake_candidates,
    repair_mojibake,
    repair_mojibake_detailed,
)
from exporter.vietnamese.letters import VI_LOWER, VI_UPPER

# A paragraph of real news prose using all 67 lowercase letters with diacritics; the sample
# adds it upper-cased (as a headline block) so that all 134 letters occur. ASCII punctuation
# only, because TCVN3 has no curly quotes or dashes.
PARAGRAPH = (
    "Ngày 23 tháng 11 năm 2023, tại Đà Nẵng, Bộ Văn hóa khẳng định sẽ đẩy mạnh hợp tác với Mỹ "
    "và các nước trong khu vực. Theo ông Nguyễn Văn Thắng, người đứng đầu tổ công tác, mỗi tỉnh "
    "cần chuẩn bị kỹ nguồn lực; những nơi khó khăn như Lạng Sơn, Điện Biên sẽ được hỗ trợ trước. "
    "Chương trình dùng 1,5 tỷ đồng để mua sắm sản phẩm, dẫn đầu là chè và cà phê, đặc biệt cho "
    'trẻ em vùng cao. Bà Lê Thị Hằng, Phó Chủ tịch UBND tỉnh, cho biết: "Chúng tôi sẽ làm rõ '
    'trách nhiệm, không để xảy ra tình trạng chậm trễ như mùa lũ năm ngoái." Truyện Mỵ Châu - '
    "Trọng Thủy vẫn được kể ở Cổ Loa; lễ hội nhẹ nhàng, ấm cúng, với hơn một nghìn người tham dự."
    "\nĐây là chính sách có ý nghĩa lịch sử, đã áp dụng từ năm ngoái cho các xã nhỏ và còn mở rộng "
    "ra toàn quốc. Kỳ họp tới sẽ xem xét lý do dự án bị lỡ hẹn và ai phải chịu trách nhiệm về "
    "việc vỡ đê."
)
SAMPLE = PARAGRAPH.upper() + "\n\n" + PARAGRAPH
HEADLINE = "ẤN ĐỘ VÀ VIỆT NAM KÝ KẾT THỎA THUẬN; TP. HỒ CHÍ MINH ĐÓN 5 TRIỆU LƯỢT KHÁCH"

# Design doc 10.1 table: Unicode, TCVN3 shown in a Unicode font, VNI shown, VIQR, UTF-8 as
# cp1252. ‹SHY› = U+00AD, ␣ = U+00A0, ‹0x9D› = U+009D (undefined in cp1252, shown via Latin-1).
TABLE_10_1 = [
    ("Việt Nam", "ViÖt Nam", "Vieät Nam", "Vie^.t Nam", "Viá»‡t Nam"),
    ("tiếng Việt", "tiÕng ViÖt", "tieáng Vieät", "tie^'ng Vie^.t", "tiáº¿ng Viá»‡t"),
    ("Hà Nội", "Hµ Néi", "Haø Noäi", "Ha` No^.i", "HÃ\u00a0 Ná»™i"),
    (
        "Thành phố Hồ Chí Minh",
        "Thµnh phè Hå ChÝ Minh",
        "Thaønh phoá Hoà Chí Minh",
        "Tha`nh pho^' Ho^` Chi' Minh",
        "ThÃ\u00a0nh phá»‘ Há»“ ChÃ\u00ad Minh",
    ),
    ("người", "ng\u00adêi", "ngöôøi", "ngu+o+`i", "ngÆ°á»\u009di"),
    ("đường", "®\u00adêng", "ñöôøng", "ddu+o+`ng", "Ä‘Æ°á»\u009dng"),
    ("Quốc hội", "Quèc héi", "Quoác hoäi", "Quo^'c ho^.i", "Quá»‘c há»™i"),
    ("năm", "n¨m", "naêm", "na(m", "nÄƒm"),
    ("Bảo Thắng", "B¶o Th¾ng", "Baûo Thaéng", "Ba?o Tha('ng", "Báº£o Tháº¯ng"),
    (
        "Mường Khương",
        "M\u00adêng Kh\u00ad¬ng",
        "Möôøng Khöông",
        "Mu+o+`ng Khu+o+ng",
        "MÆ°á»\u009dng KhÆ°Æ¡ng",
    ),
]
LEGACY_TRAPS = {
    "tcvn3": "ViÖt Nam",
    "vni": "Vieät Nam",
    "utf8_as_cp1252": "Viá»‡t Nam",
    "eth_lookalike": "\u00d0à Nẵng",
    "caron_lookalike": "n\u01cem",
}


def shown_as_cp1252(data: bytes) -> str:
    """What a cp1252 display shows for legacy bytes (Latin-1 for cp1252's undefined bytes)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


# ------------------------------------------------------------------------------ glibc oracle


def _iconv_has_tcvn() -> bool:
    if shutil.which("iconv") is None:
        return False
    listing = subprocess.run(["iconv", "-l"], capture_output=True, text=True).stdout
    return "TCVN5712-1" in listing.upper()


needs_iconv = pytest.mark.skipif(not _iconv_has_tcvn(), reason="glibc iconv without TCVN5712-1")


def iconv(data: bytes, src: str, dst: str) -> bytes:
    return subprocess.run(
        ["iconv", "-f", src, "-t", dst], input=data, capture_output=True, check=True
    ).stdout


def test_sample_contains_all_134_letters() -> None:
    assert set(VI_LOWER + VI_UPPER) <= set(SAMPLE)


@needs_iconv
def test_tcvn3_table_matches_glibc_for_every_byte() -> None:
    singles = [b for b in range(256) if b != 0x0A]
    data = b"\n".join(bytes([b]) for b in singles)
    expected = iconv(data, "TCVN5712-1", "UTF-8").decode("utf-8").split("\n")
    ours = [decode_tcvn3(bytes([b]), fix_case=False) for b in singles]
    assert ours == [unicodedata.normalize("NFC", e) for e in expected]


@needs_iconv
def test_tcvn3_vn1_encoding_matches_glibc_on_sample() -> None:
    glibc = iconv(SAMPLE.encode("utf-8"), "UTF-8", "TCVN5712-1")
    assert encode_tcvn3(SAMPLE, capitals="vn1") == glibc
    assert decode_tcvn3(glibc) == SAMPLE


@needs_iconv
def test_tcvn3_design_doc_column_decodes_with_glibc() -> None:
    for unicode_text, tcvn3_shown, *_ in TABLE_10_1:
        raw = tcvn3_shown.encode("cp1252")
        assert iconv(raw, "TCVN5712-1", "UTF-8").decode("utf-8") == unicode_text


# ------------------------------------------------------------------------------ TCVN3


@pytest.mark.parametrize("row", TABLE_10_1, ids=[r[0] for r in TABLE_10_1])
def test_tcvn3_column_of_table_10_1(row: tuple[str, ...]) -> None:
    unicode_text, tcvn3_shown = row[0], row[1]
    assert shown_as_cp1252(encode_tcvn3(unicode_text)) == tcvn3_shown
    assert decode_tcvn3(tcvn3_shown.encode("cp1252")) == unicode_text


def test_tcvn3_round_trip_paragraph_exact() -> None:
    # Title-case words start with ASCII or Đ, which VN3 has: lossless.
    assert decode_tcvn3(encode_tcvn3(PARAGRAPH)) == PARAGRAPH


def test_tcvn3_vn1_round_trip_all_134_letters_exact() -> None:
    assert decode_tcvn3(encode_tcvn3(SAMPLE, capitals="vn1")) == SAMPLE
    for letter in VI_LOWER + VI_UPPER:
        assert decode_tcvn3(encode_tcvn3(letter, capitals="vn1")) == letter


def test_tcvn3_abc_capitals_share_the_lowercase_byte() -> None:
    assert encode_tcvn3("Ấ") == encode_tcvn3("ấ") == b"\xca"
    assert encode_tcvn3("Ấ", capitals="vn1") == b"\xc4"
    assert encode_tcvn3("ĂÂÊÔƠƯĐ") == bytes(range(0xA1, 0xA8))  # the capitals VN3 does have
    with pytest.raises(UnicodeEncodeError):
        encode_tcvn3("Ấ", capitals="strict")
    assert encode_tcvn3("Ă", capitals="strict") == b"\xa1"
    assert decode_tcvn3(b"\xca") == "ấ"
    assert decode_tcvn3(b"\xca", capital_font=True) == "Ấ"


def test_tcvn3_abc_without_case_fix_folds_toned_capitals() -> None:
    def abc_fold(text: str) -> str:
        return "".join(c.lower() if c in VI_UPPER and c not in "ĂÂÊÔƠƯĐ" else c for c in text)

    assert decode_tcvn3(encode_tcvn3(SAMPLE), fix_case=False) == abc_fold(SAMPLE)


def test_tcvn3_abc_capital_font_round_trip() -> None:
    upper = PARAGRAPH.upper()
    assert decode_tcvn3(encode_tcvn3(upper), capital_font=True) == upper


def test_tcvn3_abc_case_restoration_from_context() -> None:
    assert decode_tcvn3(encode_tcvn3(HEADLINE)) == HEADLINE
    assert decode_tcvn3(encode_tcvn3("ĐẤT NƯỚC")) == "ĐẤT NƯỚC"
    # Title case stays title case; an ambiguous word takes its neighbours' capitals.
    assert decode_tcvn3(encode_tcvn3("Hồ Chí Minh")) == "Hồ Chí Minh"
    assert decode_tcvn3(encode_tcvn3("TP Hồ Chí Minh")) == "TP Hồ Chí Minh"
    assert decode_tcvn3(encode_tcvn3("VIỆT NAM VÀ LÀO")) == "VIỆT NAM VÀ LÀO"
    # The upper-case block of the sample comes back upper case except one-letter words.
    decoded = decode_tcvn3(encode_tcvn3(PARAGRAPH.upper()))
    wrong = [a for a, b in zip(decoded.split(), PARAGRAPH.upper().split(), strict=True) if a != b]
    assert decoded.upper() == PARAGRAPH.upper()
    assert all(len(w.strip('.,;:"')) == 1 for w in wrong), wrong


def test_tcvn3_encode_errors() -> None:
    with pytest.raises(UnicodeEncodeError):
        encode_tcvn3("giá 5 €")
    assert encode_tcvn3("giá 5 €", errors="replace") == b"gi\xb8 5 ?"
    with pytest.raises(UnicodeEncodeError):
        encode_tcvn3("\x01")  # VN1 uses 0x01 for Ú


def test_tcvn3_decode_composes_combining_bytes() -> None:
    assert decode_tcvn3(b"a\xb3") == "á"
    assert decode_tcvn3(b"\xa9\xb3") == "ấ"


# ------------------------------------------------------------------------------ VNI


@pytest.mark.parametrize("row", TABLE_10_1, ids=[r[0] for r in TABLE_10_1])
def test_vni_column_of_table_10_1(row: tuple[str, ...]) -> None:
    unicode_text, vni_shown = row[0], row[2]
    assert encode_vni(unicode_text).decode("cp1252") == vni_shown
    assert decode_vni(vni_shown.encode("cp1252")) == unicode_text


def test_vni_readme_example_of_the_table_source() -> None:
    # duydev/vietnamese-conversion README: "Xin chào các bạn" -> "Xin chaøo caùc baïn"
    assert encode_vni("Xin chào các bạn") == "Xin chaøo caùc baïn".encode("cp1252")


# duydev/vietnamese-conversion src/charsets.ts: the 134 letters and their VNI spellings.
DUYDEV_UNICODE = (
    "À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú Ý à á â ã è é ê ì í ò ó ô õ ù ú ý Ă ă Đ đ Ĩ ĩ Ũ ũ Ơ ơ Ư ư "
    "Ạ ạ Ả ả Ấ ấ Ầ ầ Ẩ ẩ Ẫ ẫ Ậ ậ Ắ ắ Ằ ằ Ẳ ẳ Ẵ ẵ Ặ ặ Ẹ ẹ Ẻ ẻ Ẽ ẽ Ế ế Ề ề Ể ể Ễ ễ Ệ ệ Ỉ ỉ "
    "Ị ị Ọ ọ Ỏ ỏ Ố ố Ồ ồ Ổ ổ Ỗ ỗ Ộ ộ Ớ ớ Ờ ờ Ở ở Ỡ ỡ Ợ ợ Ụ ụ Ủ ủ Ứ ứ Ừ ừ Ử ử Ữ ữ Ự ự Ỳ ỳ "
    "Ỵ ỵ Ỷ ỷ Ỹ ỹ"
)
DUYDEV_VNI = (
    "AØ AÙ AÂ AÕ EØ EÙ EÂ Ì Í OØ OÙ OÂ OÕ UØ UÙ YÙ aø aù aâ aõ eø eù eâ ì í oø où oâ oõ uø uù "
    "yù AÊ aê Ñ ñ Ó ó UÕ uõ Ô ô Ö ö AÏ aï AÛ aû AÁ aá AÀ aà AÅ aå AÃ aã AÄ aä AÉ aé AÈ aè AÚ "
    "aú AÜ aü AË aë EÏ eï EÛ eû EÕ eõ EÁ eá EÀ eà EÅ eå EÃ eã EÄ eä Æ æ Ò ò OÏ oï OÛ oû OÁ oá "
    "OÀ oà OÅ oå OÃ oã OÄ oä ÔÙ ôù ÔØ ôø ÔÛ ôû ÔÕ ôõ ÔÏ ôï UÏ uï UÛ uû ÖÙ öù ÖØ öø ÖÛ öû ÖÕ "
    "öõ ÖÏ öï YØ yø Î î YÛ yû YÕ yõ"
)


def test_vni_table_matches_published_table() -> None:
    pairs = list(zip(DUYDEV_UNICODE.split(), DUYDEV_VNI.split(), strict=True))
    assert len(pairs) == 134
    for letter, spelled in pairs:
        assert encode_vni(letter) == spelled.encode("latin-1"), letter
        assert decode_vni(spelled.encode("latin-1")) == letter


def test_vni_every_letter_and_case() -> None:
    for letter in VI_LOWER + VI_UPPER:
        raw = encode_vni(letter)
        assert 1 <= len(raw) <= 2
        assert decode_vni(raw) == letter
    assert encode_vni("Ấ") == "AÁ".encode("cp1252")
    assert encode_vni("ấ") == "aá".encode("cp1252")
    assert encode_vni("Đ") == b"\xd1" and encode_vni("ư") == b"\xf6"


def test_vni_round_trip_sample_exact() -> None:
    assert decode_vni(encode_vni(SAMPLE)) == SAMPLE
    punctuated = "“Hà Nội” – 25 km … giá 5 € © 2023"
    assert decode_vni(encode_vni(punctuated)) == punctuated


def test_vni_encode_errors() -> None:
    with pytest.raises(UnicodeEncodeError):
        encode_vni("Müller")  # ü is a VNI mark byte: not reversible
    assert encode_vni("Müller", errors="replace") == b"M?ller"


# ------------------------------------------------------------------------------ cp1258, VIQR


def test_python_cp1258_encodes_only_30_precomposed_letters() -> None:
    direct = []
    for letter in VI_LOWER + VI_UPPER:
        try:
            letter.encode("cp1258")
            direct.append(letter)
        except UnicodeEncodeError:
            pass
    assert "".join(direct) == "àáăâđèéêíóôơùúưÀÁĂÂĐÈÉÊÍÓÔƠÙÚƯ"
    with pytest.raises(UnicodeEncodeError):
        "Việt".encode("cp1258")


def test_cp1258_decode_is_nfc_design_doc_1_3() -> None:
    raw = b"Vi\xea\xf2t"
    assert raw.decode("cp1258") == "Viê\u0323t"
    assert not unicodedata.is_normalized("NFC", raw.decode("cp1258"))
    assert decode_cp1258(raw) == "Việt"
    assert encode_cp1258("Việt") == raw


def test_cp1258_round_trip_sample() -> None:
    raw = encode_cp1258(SAMPLE)
    assert decode_cp1258(raw) == SAMPLE
    assert unicodedata.is_normalized("NFC", decode_cp1258(raw))


@pytest.mark.parametrize("row", TABLE_10_1, ids=[r[0] for r in TABLE_10_1])
def test_viqr_column_of_table_10_1(row: tuple[str, ...]) -> None:
    unicode_text, viqr = row[0], row[3]
    assert encode_viqr(unicode_text) == viqr
    assert decode_viqr(viqr) == unicode_text


def test_viqr_round_trip_sample_with_escapes() -> None:
    assert decode_viqr(encode_viqr(SAMPLE)) == SAMPLE
    assert encode_viqr("Cao. Ai?") == "Cao\\. Ai\\?"


# ------------------------------------------------------------------------------ detection


def _legacy(text: str, encoding: str) -> bytes:
    return {
        "utf-8": lambda t: t.encode("utf-8"),
        "utf-8-sig": lambda t: t.encode("utf-8-sig"),
        "utf-16-le": lambda t: t.encode("utf-16"),  # Python writes a little-endian BOM
        "utf-16-be": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
        "windows-1258": encode_cp1258,
        "tcvn3": lambda t: encode_tcvn3(t, capitals="vn1"),
        "vni": encode_vni,
    }[encoding](text)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "windows-1258", "tcvn3", "vni"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_detect_and_decode_sample(encoding: str, newline: str) -> None:
    data = _legacy(SAMPLE.replace("\n", newline), encoding)
    text, detected = detect_and_decode(data)
    assert (text, detected) == (SAMPLE, encoding)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_detect_bom_less_utf16(encoding: str) -> None:
    data = SAMPLE.replace("\n", "\r\n").encode(encoding)
    assert detect_and_decode(data) == (SAMPLE, encoding)


def test_detect_tcvn3_abc_bytes() -> None:
    data = encode_tcvn3(SAMPLE.replace("\n", "\r\n"))  # ABC: toned capitals as lowercase
    text, detected = detect_and_decode(data)
    assert detected == "tcvn3"
    assert text == decode_tcvn3(encode_tcvn3(SAMPLE))
    assert text.endswith(PARAGRAPH)


@pytest.mark.parametrize("encoding", ["windows-1258", "tcvn3", "vni"])
@pytest.mark.parametrize("phrase", ["Hà Nội", "Việt Nam", "người", "Quốc hội họp"])
def test_detect_short_legacy_phrases(encoding: str, phrase: str) -> None:
    assert detect_and_decode(_legacy(phrase, encoding)) == (phrase, encoding)


def test_detect_ascii_and_empty() -> None:
    assert detect_and_decode(b"Ha Noi\r\nTP.HCM\r") == ("Ha Noi\nTP.HCM\n", "ascii")
    assert detect_and_decode(b"") == ("", "ascii")


def test_detect_normalizes_nfd_utf8_and_mark_order() -> None:
    nfd = unicodedata.normalize("NFD", SAMPLE)
    assert detect_and_decode(nfd.encode("utf-8")) == (SAMPLE, "utf-8")
    assert detect_and_decode("a\u0301\u0302".encode()) == ("ấ", "utf-8")


def test_detect_utf8_with_a_broken_byte_is_lossy_utf8() -> None:
    data = bytearray(PARAGRAPH.encode("utf-8"))
    data[data.index("ệ".encode())] = 0xFF
    text, detected = detect_and_decode(bytes(data))
    assert detected == "utf-8-lossy"
    assert text.count("\ufffd") >= 1


@pytest.mark.parametrize(
    "data",
    [
        random.Random(0).randbytes(4096),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"Vi\xd6t Nam\x00\x00\x00 H\xb5 N\xe9i",
        b"PK\x03\x04" + bytes(64),
        b"\x00" * 64,
        bytes(b for b in random.Random(1).randbytes(4096) if b),  # garbage without NULs
        "Café crème brûlée à la française, très naïf".encode("cp1252"),  # not Vietnamese
        b"\xef\xbb\xbfVi\xd6t Nam",  # UTF-8 BOM, then TCVN3 bytes
    ],
    ids=["random", "png", "nul-laden", "zip", "zeros", "random-no-nul", "french", "bad-bom"],
)
def test_detect_refuses_binary_and_non_vietnamese(data: bytes) -> None:
    with pytest.raises(UndecodableError) as info:
        detect_and_decode(data)
    assert isinstance(info.value, ValueError)
    assert str(info.value)


# ------------------------------------------------------------------------------ mojibake


# A second mangled word of the same encoding: one word alone is not evidence enough (issue 11).
EVIDENCE = {"TCVN3": "tiÕng", "VNI": "tieáng", "UTF-8": "tiáº¿ng"}


@pytest.mark.parametrize("row", TABLE_10_1, ids=[r[0] for r in TABLE_10_1])
def test_repair_mojibake_table_10_1(row: tuple[str, ...]) -> None:
    unicode_text, tcvn3, vni, _viqr, utf8 = row
    assert shown_as_cp1252(unicode_text.encode("utf-8")) == utf8
    for shown, label in ((tcvn3, "TCVN3"), (utf8, "UTF-8")):
        fixed, messages = repair_mojibake(f"{EVIDENCE[label]} {shown}")
        assert fixed == f"tiếng {unicode_text}"
        assert len(messages) == 1 and label in messages[0]
        assert unicode_text.split()[0] in messages[0].split(" -> ")[1]
    fixed, messages = repair_mojibake(f"{EVIDENCE['VNI']} {vni}")
    if unicode_text == "Thành phố Hồ Chí Minh":
        # "phoá" and "Hoà" are also valid (new-style) spellings: only the sure part is repaired
        assert fixed == "tiếng Thành phoá Hoà Chí Minh"
    else:
        assert fixed == f"tiếng {unicode_text}"
    assert messages and "VNI" in messages[0]


def test_one_mangled_word_alone_is_not_repaired() -> None:
    for word in ("n¨m", "ng\u00adêi", "ViÖt", "Vieät", "Viá»‡t"):
        assert repair_mojibake(f"Chữ {word} ở đây") == (f"Chữ {word} ở đây", [])


def test_repair_message_format() -> None:
    assert repair_mojibake("tiÕng ViÖt Nam") == (
        "tiếng Việt Nam",
        ['repaired TCVN3 mojibake "tiÕng ViÖt" -> "tiếng Việt"'],  # unchanged edge words unquoted
    )
    assert repair_mojibake("Hµ Néi") == ("Hà Nội", ['repaired TCVN3 mojibake "Hµ Néi" -> "Hà Nội"'])


@pytest.mark.parametrize("key", ["tcvn3", "vni", "utf8_as_cp1252"])
def test_repair_legacy_traps(key: str) -> None:
    trap = LEGACY_TRAPS[key]
    assert repair_mojibake(trap) == (trap, [])  # one word: reported by the check, not changed
    assert repair_mojibake(f"{trap}, {trap}")[0] == "Việt Nam, Việt Nam"


@pytest.mark.parametrize("key", ["eth_lookalike", "caron_lookalike"])
def test_look_alikes_are_not_mojibake(key: str) -> None:
    assert repair_mojibake(LEGACY_TRAPS[key]) == (LEGACY_TRAPS[key], [])


@pytest.mark.parametrize(
    "encode",
    [encode_tcvn3, encode_vni, lambda t: t.encode("utf-8")],
    ids=["tcvn3", "vni", "utf8"],
)
def test_repair_whole_paragraph(encode) -> None:  # noqa: ANN001
    shown = shown_as_cp1252(encode(PARAGRAPH))
    fixed, messages = repair_mojibake(shown)
    assert fixed == PARAGRAPH
    assert messages


@pytest.mark.parametrize(
    "encode",
    [encode_tcvn3, encode_vni, lambda t: t.encode("utf-8")],
    ids=["tcvn3", "vni", "utf8"],
)
def test_repair_article_with_units_links_and_markup(encode) -> None:  # noqa: ANN001
    article = (
        "## Mưa lớn ở miền Trung\n\nHồ Tả Trạch xả tràn với lưu lượng khoảng 450 m³/s; "
        "nhiệt độ vùng núi có nơi dưới 17°C. Xem chi tiết tại https://example.vn/mua-lon "
        'hoặc ![Biểu đồ](anh/bieu-do.png). Ông Nguyễn Văn Hưởng nói: "Chậm một chút là '
        'nguy hiểm lắm."\n'
    )
    if encode is encode_tcvn3:  # TCVN3 has no ³ or ° (its 0xB0-0xB4 are combining tones)
        article = article.replace("m³", "m3").replace("17°C", "17 độ C")
    fixed, messages = repair_mojibake(shown_as_cp1252(encode(article)))
    assert fixed == article
    assert messages


def test_ambiguous_run_is_settled_by_sure_runs_of_the_same_stretch() -> None:
    assert mojibake_candidates("cuûa").keys() == {"tcvn3", "vni"}
    assert repair_mojibake("cuûa") == ("cuûa", [])  # alone: ambiguous, left
    assert repair_mojibake("Ñaøi cuûa") == (
        "Đài của",
        ['repaired VNI mojibake "Ñaøi cuûa" -> "Đài của"'],
    )


def test_repair_mixed_clean_and_mojibake_keeps_clean_words() -> None:
    text = "Thủ đô của ViÖt Nam là Hà Nội, còn thủ đô của Lµo là Viêng Chăn."
    fixed, messages = repair_mojibake(text)
    assert fixed == "Thủ đô của Việt Nam là Hà Nội, còn thủ đô của Lào là Viêng Chăn."
    assert len(messages) == 2


def test_repair_leaves_unrepairable_and_ambiguous_runs() -> None:
    for text in ["Müller", "café", "Øresund", "µg", "Windows®", "«Bonjour»", "Straße"]:
        assert repair_mojibake(text) == (text, [])
    assert mojibake_candidates("Müller") == {}


def test_repair_offsets_refer_to_input() -> None:
    text = "Tin: Hµ Néi mưa to."
    fixed, repairs = repair_mojibake_detailed(text)
    assert fixed == "Tin: Hà Nội mưa to."
    (r,) = repairs
    assert text[r.start : r.end] == r.original == "Hµ Néi"
    assert r.encoding == "tcvn3" and r.repaired == "Hà Nội"
