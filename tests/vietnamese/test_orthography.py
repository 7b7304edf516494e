"""Tests for exporter.orthography and exporter.vietnamese (design doc sections 0, 1, 2, 10, 12)."""

from __future__ import annotations

import itertools
import re
import unicodedata as ud

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.vietnamese.legacy_encodings import repair_mojibake
from exporter.vietnamese.letters import (
    VI_ALPHABET,
    VI_BASIC,
    VI_EXEMPLAR_ORDER,
    VI_INDEX,
    VI_LETTERS,
    VI_LOWER,
    VI_MODIFIER_MARKS,
    VI_TONE_MARKS,
    VI_UPPER,
)
from exporter.vietnamese.orthography import (
    Finding,
    apply_tone_style,
    check_repertoire,
    find_misplaced_tones,
    is_vietnamese_word,
    mixed_tone_styles,
    normalize_text,
    repair_misplaced_tones,
    to_nfc,
    tone_style_hits,
)

# ---------------------------------------------------------------- design doc section 12 fixtures
HEADLINE = "ẤN ĐỘ VÀ VIỆT NAM KÝ KẾT THỎA THUẬN; TP. HỒ CHÍ MINH ĐÓN 5 TRIỆU LƯỢT KHÁCH"
BODY = (
    "Ngày 23 tháng 11 năm 2023, UBND TP.HCM cho biết “Quỹ hỗ trợ” đã giải ngân "
    "1.234.567 ₫ cho người dân ở Q. 1 — theo HĐND, tỷ lệ đạt 25,5%."
)
NFD_TRAP = "Vie\u0323\u0302t Nam"
ORDER_TRAP = "a\u0301\u0302"
LEGACY_TRAPS = {
    "tcvn3": "ViÖt Nam",
    "vni": "Vieät Nam",
    "utf8_as_cp1252": "Viá»‡t Nam",
    "eth_lookalike": "\u00d0à Nẵng",
    "caron_lookalike": "n\u01cem",
}
STYLE_OLD = ["hòa bình", "thủy thủ", "khỏe", "Ủy ban"]
STYLE_NEW = ["hoà bình", "thuỷ thủ", "khoẻ", "Uỷ ban"]
STYLE_NEUTRAL = ["quý", "toàn", "huýt", "thuở", "Huế", "già", "giường"]
MISPLACED = {
    "nghìên": "nghiền",
    "giừơng": "giường",
    "baỷ": "bảy",
    "cuả": "của",
    "tòan": "toàn",
    "baỏ": "bảo",
    "lựơng": "lượng",
    "nghịêm": "nghiệm",
    "qúy": "quý",
}
CLDR_DATE_FULL = "Thứ Năm, 23 tháng 11, 2023"

# Section 2.1 vectors beyond the fixture lists.
OLD_ONLY = ["hòa bình", "thủy thủ", "khỏe", "Ủy ban", "HÒA", "Thụy Điển"]
NEW_ONLY = ["hoà bình", "thuỷ thủ", "khoẻ", "Uỷ ban", "HOÀ", "tuỳ", "xoè", "Thuỵ Điển"]
NEITHER = ["quý", "quỳ", "toàn", "hoàn", "huýt", "thuở", "Huế", "già", "gìn giữ", "giường"]

# 36 clean sentences of news prose: numbers, quotes, abbreviations, foreign and minority names.
CLEAN = [
    "Ngày 23/11/2023, UBND TP.HCM tổ chức họp báo công bố kết quả thu ngân sách 10 tháng.",
    "Theo báo cáo, tổng thu đạt 389.000 tỷ đồng, tăng 5,2% so với cùng kỳ năm trước.",
    "Ông Phan Văn Mãi, Chủ tịch UBND TP.HCM, cho biết thành phố ưu tiên vốn cho giao thông.",
    "HĐND tỉnh Đắk Lắk vừa thông qua nghị quyết hỗ trợ đồng bào Ê Đê ở huyện Krông Pắc.",
    "Ông Thomas Müller, chuyên gia người Đức, nhận xét: “Các cầu thủ Việt Nam rất kỷ luật.”",
    "Nhiệt độ ở Sa Pa xuống còn 5°C, người dân H'Mông đốt lửa sưởi ấm cho gia súc.",
    "Giá xăng RON 95 giảm 420 đồng/lít từ 15 giờ chiều nay.",
    "Bộ Y tế ghi nhận 1.234 ca mắc COVID-19 trong tuần, không có ca tử vong.",
    "Tổng Thư ký Liên Hợp Quốc António Guterres kêu gọi các bên kiềm chế.",
    "Đội tuyển Việt Nam thắng Indonesia 3-0 trên sân Mỹ Đình tối qua.",
    "Lãi suất tiết kiệm kỳ hạn 12 tháng phổ biến ở mức 5,5-6%/năm.",
    "Sở Giáo dục và Đào tạo Hà Nội công bố lịch thi tuyển sinh lớp 10 THPT năm học 2024-2025.",
    "Mưa lớn kéo dài khiến nhiều tuyến đường ở Quận 7 ngập sâu 30-50 cm.",
    "Tại Diễn đàn Kinh tế ĐBSCL, các chuyên gia đề xuất chuyển sang mô hình lúa - tôm.",
    "Giá vàng SJC sáng nay niêm yết ở mức 70,5 triệu đồng/lượng (mua vào).",
    "“Chúng tôi không bỏ lại ai phía sau”, Thủ tướng nhấn mạnh tại hội nghị.",
    "Khoảng 2.000 khách du lịch quốc tế đã đến Huế trong dịp Festival năm nay.",
    "Công an phường Bến Nghé, Q.\u00a01 đã tạm giữ hai đối tượng trộm cắp xe máy.",
    "Theo Tổng cục Thống kê, GDP quý III tăng 5,33% so với cùng kỳ.",
    "Ngân hàng Nhà nước yêu cầu các tổ chức tín dụng kiểm soát chặt rủi ro.",
    "Ca sĩ Mỹ Tâm sẽ biểu diễn tại Nhà hát Lớn vào ngày 1/12.",
    "Hơn 300 hộ dân ở xã Ea H'leo được cấp nước sạch miễn phí.",
    "Thời tiết khu vực Bắc Bộ chuyển rét, vùng núi cao có nơi dưới 3 độ C.",
    "Tổng thống Pháp Emmanuel Macron dự kiến thăm Việt Nam vào quý tới.",
    "Chợ Bến Thành mở cửa đến 22 giờ, phục vụ khách mua sắm dịp cuối năm…",
    "Bệnh viện Chợ Rẫy tiếp nhận 15 bệnh nhân bị ngộ độc thực phẩm sau tiệc cưới.",
    "Quán café trên phố Nguyễn Huệ thu hút đông giới trẻ mỗi tối cuối tuần.",
    "Ông Nguyễn Văn A, 45 tuổi, trú tại TP Pleiku, tỉnh Gia Lai, đã đầu thú.",
    "Thủ tướng yêu cầu hoàn thành cao tốc Bắc - Nam phía Đông trước năm 2025.",
    "Sân bay Long Thành dự kiến khai thác từ năm 2026 với công suất 25 triệu khách/năm.",
    "Hòa bình, hợp tác và phát triển là xu thế chủ đạo, ông nói thêm.",
    "Chương trình hoà nhạc “Giai điệu Tổ quốc” được truyền hình trực tiếp trên VTV1.",
    "Ủy ban Thường vụ Quốc hội cho ý kiến về dự án Luật Đất đai (sửa đổi).",
    "Nhà khoa học Marie Curie từng hai lần đoạt giải Nobel.",
    "Đoàn công tác tỉnh Khánh Hòa thăm, tặng quà ngư dân ở quần đảo Trường Sa.",
    "Email liên hệ: toasoan@baomoi.vn; điện thoại (028) 3829 5000.",
    BODY,
    HEADLINE,
    CLDR_DATE_FULL,
]
ALLOW = ["Müller"]


# ------------------------------------------------------------------ section 0: reference data


def test_letter_counts_and_case_mapping() -> None:
    assert len(VI_LOWER) == len(VI_UPPER) == 67
    assert all(u.upper() == U and U.lower() == u for u, U in zip(VI_LOWER, VI_UPPER, strict=True))
    assert len(VI_LETTERS) == len(set(VI_LETTERS)) == 186
    assert VI_LETTERS == VI_BASIC + VI_LOWER + VI_UPPER
    assert all(ud.is_normalized("NFC", c) and len(c) == 1 for c in VI_LOWER + VI_UPPER)


def test_letter_code_point_ranges() -> None:
    ranges = [
        (0xC0, 0xC3),
        (0xC8, 0xCA),
        (0xCC, 0xCD),
        (0xD2, 0xD5),
        (0xD9, 0xDA),
        (0xDD, 0xDD),
        (0xE0, 0xE3),
        (0xE8, 0xEA),
        (0xEC, 0xED),
        (0xF2, 0xF5),
        (0xF9, 0xFA),
        (0xFD, 0xFD),
        (0x102, 0x103),
        (0x110, 0x111),
        (0x128, 0x129),
        (0x168, 0x169),
        (0x1A0, 0x1A1),
        (0x1AF, 0x1B0),
        (0x1EA0, 0x1EF9),
    ]
    from_ranges = {chr(c) for a, b in ranges for c in range(a, b + 1)}
    assert from_ranges == set(VI_LOWER + VI_UPPER)
    blocks = [
        sum(1 for c in VI_LOWER + VI_UPPER if a <= ord(c) <= b)
        for a, b in [(0x80, 0xFF), (0x100, 0x17F), (0x180, 0x24F), (0x1E00, 0x1EFF)]
    ]
    assert blocks == [32, 8, 4, 90]


def test_marks_and_combining_classes() -> None:
    assert VI_TONE_MARKS == "\u0300\u0309\u0303\u0301\u0323"
    assert VI_MODIFIER_MARKS == "\u0306\u0302\u031b"
    classes = {m: ud.combining(m) for m in VI_TONE_MARKS + VI_MODIFIER_MARKS}
    assert classes.pop("\u031b") == 216 and classes.pop("\u0323") == 220
    assert set(classes.values()) == {230}


DOC_ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y"
DOC_INDEX = "A Ă Â B C D Đ E Ê F G H I J K L M N O Ô Ơ P Q R S T U Ư V W X Y Z"
DOC_EXEMPLAR = (
    "a à ả ã á ạ ă ằ ẳ ẵ ắ ặ â ầ ẩ ẫ ấ ậ b c d đ e è ẻ ẽ é ẹ ê ề ể ễ ế ệ "
    "g h i ì ỉ ĩ í ị k l m n o ò ỏ õ ó ọ ô ồ ổ ỗ ố ộ ơ ờ ở ỡ ớ ợ "
    "p q r s t u ù ủ ũ ú ụ ư ừ ử ữ ứ ự v x y ỳ ỷ ỹ ý ỵ"
)


def test_alphabet_index_and_exemplar_order() -> None:
    assert DOC_ALPHABET.split() == VI_ALPHABET
    assert DOC_INDEX.split() == VI_INDEX
    assert DOC_EXEMPLAR.split() == VI_EXEMPLAR_ORDER
    assert len(VI_ALPHABET) == 29 and not set("fjwz") & set(VI_ALPHABET)
    assert len(VI_INDEX) == 33
    assert len(VI_EXEMPLAR_ORDER) == 29 + 60  # 29 letters, 12 vowels x 5 tones
    assert set(VI_LOWER) <= set(VI_EXEMPLAR_ORDER)
    assert [c for c in VI_EXEMPLAR_ORDER if c in VI_ALPHABET] == VI_ALPHABET


# ------------------------------------------------------------------ section 1: NFC and order


def test_plain_nfc_cannot_fix_mark_order_but_to_nfc_does() -> None:
    assert ud.normalize("NFC", ORDER_TRAP) == "á\u0302"
    assert to_nfc(ORDER_TRAP) == "ấ"
    assert to_nfc("A\u0301\u0302") == "Ấ"
    assert to_nfc("e\u0303\u0302") == "ễ"
    assert to_nfc("a\u0300\u0306") == "ằ"
    assert ud.normalize("NFC", "o\u0323\u031b") == "ợ" == to_nfc("o\u0323\u031b")
    assert to_nfc(NFD_TRAP) == "Việt Nam"
    assert to_nfc("a\u0341 e\u0340") == "á è"  # deprecated tone marks


def test_to_nfc_repairs_every_letter_in_every_mark_order() -> None:
    for letter in VI_LOWER + VI_UPPER:
        base, *marks = ud.normalize("NFD", letter)
        for order in itertools.permutations(marks):
            assert to_nfc(base + "".join(order)) == letter


def test_to_nfc_leaves_what_cannot_compose() -> None:
    assert to_nfc("x\u0301") == "x\u0301"  # no precomposed x-acute
    assert to_nfc("a\u0301\u0301") == "á\u0301"  # two tones: left for the checker
    assert to_nfc("\u0302 đầu") == "\u0302 đầu"
    assert to_nfc("Ç ñ 한국어") == ud.normalize("NFC", "Ç ñ 한국어")


def test_rule_1_2_check_after_to_nfc() -> None:
    marks = re.compile("[\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323]")
    decomposed = ud.normalize("NFD", " ".join(CLEAN))
    assert not marks.search(to_nfc(decomposed))
    assert to_nfc(decomposed) == " ".join(CLEAN)
    stray = check_repertoire(ud.normalize("NFC", ORDER_TRAP))
    assert [f.kind for f in stray] == ["stray-mark"] and stray[0].offset == 1


def test_rule_1_4_design_doc_assert_on_clean_text() -> None:
    allowed = set(VI_LETTERS) | set("Müller")
    for text in CLEAN:
        bad = [c for c in text if ud.category(c).startswith("L") and c not in allowed]
        bad += [c for c in text if c == "\u00ad" or c in "\u00d0\u00f0\u01cd\u01ce\u030c\ufffd"]
        assert not bad, text


# ------------------------------------------------------------------ check_repertoire


def kinds(findings: list[Finding]) -> list[str]:
    return [f.kind for f in findings]


@pytest.mark.parametrize(
    ("text", "kind", "severity"),
    [
        (LEGACY_TRAPS["tcvn3"], "mojibake-tcvn3", "error"),
        (LEGACY_TRAPS["vni"], "mojibake-vni", "error"),
        (LEGACY_TRAPS["utf8_as_cp1252"], "mojibake-utf8", "error"),
        (LEGACY_TRAPS["eth_lookalike"], "eth-for-d", "warning"),
        (LEGACY_TRAPS["caron_lookalike"], "caron", "warning"),
        ("ðường", "eth-for-d", "warning"),
        ("ca\u030cm", "caron", "warning"),
        ("tiếng\u00adViệt", "soft-hyphen", "warning"),
        ("logo \ue000 mới", "private-use", "error"),
        ("bell\x07 và\r", "control", "error"),
        ("mất chữ \ufffd", "replacement-char", "warning"),
        ("dấu \u0302 lẻ", "stray-mark", "warning"),
        ("cách\u200bnhau", "invisible", "warning"),
        ("ông Müller", "foreign-letter", "warning"),
        ("Quèc héi", "mojibake-tcvn3", "error"),
        ("Hµ Néi", "mojibake-tcvn3", "error"),
        ("M\u00adêng Kh\u00ad¬ng", "mojibake-tcvn3", "error"),
        ("Haø Noäi", "mojibake-vni", "error"),
        ("ngÆ°á»\u009di", "mojibake-utf8", "error"),
    ],
)
def test_check_repertoire_kinds(text: str, kind: str, severity: str) -> None:
    findings = check_repertoire(text)
    assert kind in kinds(findings), findings
    assert all(f.severity == severity for f in findings if f.kind == kind)
    assert all(not f.repaired for f in findings)


def test_check_repertoire_allow_list() -> None:
    assert check_repertoire("Ông Müller nói.", allow=["Müller"]) == []
    assert check_repertoire("Ông Müller nói.", allow=["ü"]) == []
    assert kinds(check_repertoire("Ông Müller và Øresund", allow=["Müller"])) == ["foreign-letter"]


def test_check_repertoire_positions_and_messages() -> None:
    text = "Dòng một.\nDòng hai có Ðà Nẵng\nvà ViÖt Nam"
    eth, moji = check_repertoire(text)
    assert (eth.kind, eth.offset, eth.line, eth.column) == ("eth-for-d", 22, 2, 13)
    assert eth.snippet == "Ðà" and '"Ð"' in eth.message and "Đ" in eth.message
    assert (moji.kind, moji.line, moji.column, moji.snippet) == ("mojibake-tcvn3", 3, 4, "ViÖt")
    assert "Việt" in moji.message
    assert text[moji.offset : moji.offset + 4] == "ViÖt"


def test_soft_hyphen_snippet_is_visible() -> None:
    (f,) = check_repertoire("bản\u00adtin")
    assert f.snippet == "bản\\u00adtin" and "U+00AD" in f.message
    # in an ASCII word it is still a soft hyphen; as TCVN3's "ư" it re-decodes ("mưa")
    assert kinds(check_repertoire("Festi\u00adval")) == ["soft-hyphen"]
    assert kinds(check_repertoire("m\u00ada to")) == ["mojibake-tcvn3"]


def test_foreign_letters_grouped_per_word() -> None:
    findings = check_repertoire("Владимир Путин và 习近平")
    assert kinds(findings) == ["foreign-letter"] * 3


# ------------------------------------------------------------------ no false positives


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_has_no_findings_and_no_repairs(text: str) -> None:
    assert check_repertoire(text, allow=ALLOW) == []
    assert repair_mojibake(text) == (text, [])
    assert find_misplaced_tones(text) == []
    assert normalize_text(text, allow=ALLOW) == (text, [])
    assert normalize_text(text.upper(), allow=ALLOW) == (text.upper(), [])


def test_clean_corpus_size() -> None:
    assert len(CLEAN) >= 30


# ------------------------------------------------------------------ section 2.1: tone style


@pytest.mark.parametrize("text", OLD_ONLY)
def test_old_style_vectors(text: str) -> None:
    hits = tone_style_hits(text)
    assert hits["old"] and not hits["new"]


@pytest.mark.parametrize("text", NEW_ONLY)
def test_new_style_vectors(text: str) -> None:
    hits = tone_style_hits(text)
    assert hits["new"] and not hits["old"]


@pytest.mark.parametrize("text", NEITHER + STYLE_NEUTRAL)
def test_neutral_vectors_never_change(text: str) -> None:
    assert tone_style_hits(text) == {"old": [], "new": []}
    assert apply_tone_style(text, "old") == text
    assert apply_tone_style(text, "new") == text


def test_style_fixture_lists_convert_both_ways() -> None:
    for old, new in zip(STYLE_OLD, STYLE_NEW, strict=True):
        assert apply_tone_style(old, "new") == new
        assert apply_tone_style(new, "old") == old
        assert apply_tone_style(old, "old") == old and apply_tone_style(new, "new") == new
        assert apply_tone_style(old, "keep") == old


def test_style_conversion_keeps_case_and_word_boundaries() -> None:
    assert apply_tone_style("HÒA", "new") == "HOÀ"
    assert apply_tone_style("HOÀ", "old") == "HÒA"
    assert apply_tone_style("Thụy Điển", "new") == "Thuỵ Điển"
    assert apply_tone_style("Thuỵ Điển", "old") == "Thụy Điển"
    assert apply_tone_style("tuỳ", "old") == "tùy" and apply_tone_style("xoè", "old") == "xòe"
    text = "Ủy ban hòa giải quý khách, toàn thể (thủy thủ) khỏe; huýt sáo ở Huế, gìn giữ già."
    expected = "Uỷ ban hoà giải quý khách, toàn thể (thuỷ thủ) khoẻ; huýt sáo ở Huế, gìn giữ già."
    assert apply_tone_style(text, "new") == expected
    assert apply_tone_style(expected, "old") == text
    with pytest.raises(ValueError):
        apply_tone_style(text, "modern")  # type: ignore[arg-type]


def test_tone_style_hits_offsets_and_mixing() -> None:
    text = "Hòa bình và hoà hợp, Thủy lợi"
    hits = tone_style_hits(text)
    assert hits == {"old": [(0, "Hòa"), (21, "Thủy")], "new": [(12, "hoà")]}
    assert mixed_tone_styles(text)
    assert not mixed_tone_styles("hòa bình, thủy thủ")
    assert not mixed_tone_styles(apply_tone_style(text, "new"))
    assert not tone_style_hits(apply_tone_style(text, "new"))["old"]
    assert not tone_style_hits(apply_tone_style(text, "old"))["new"]


def test_normalize_text_tone_style_setting() -> None:
    text = "Hòa bình và hoà hợp"
    out, findings = normalize_text(text)
    assert out == text and kinds(findings) == ["tone-style-mixed"]
    assert findings[0].offset == 12 and "hoà" in findings[0].message
    assert normalize_text(text, tone_style="old") == ("Hòa bình và hòa hợp", [])
    assert normalize_text(text, tone_style="new") == ("Hoà bình và hoà hợp", [])


# ------------------------------------------------------------------ section 2.2: misplaced


def test_rule_2_2_regexes() -> None:
    g_rule = re.compile(r"(?i)g[ìíỉĩị](?=[aăâeêoôơuư])")
    assert g_rule.search("gìa") and g_rule.search("gìương") and not g_rule.search("gìn")
    text = "qúy gìa gìương gìn Qúy"
    fixed, _ = normalize_text(text)
    assert fixed == "quý già giường gìn Quý"
    assert not re.search(r"(?i)q[ùúủũụ]", fixed) and not g_rule.search(fixed)


@pytest.mark.parametrize(("wrong", "right"), MISPLACED.items())
def test_misplaced_vectors_are_repaired(wrong: str, right: str) -> None:
    assert repair_misplaced_tones(wrong) == (right, [(0, wrong, right)])
    assert repair_misplaced_tones(wrong.upper())[0] == right.upper()
    assert repair_misplaced_tones(wrong.capitalize())[0] == right.capitalize()
    out, findings = normalize_text(f"Từ {wrong} này")
    assert out == f"Từ {right} này"
    (f,) = findings
    assert (f.kind, f.repaired, f.severity, f.offset) == ("misplaced-tone", True, "warning", 3)
    assert wrong in f.message and right in f.message


def test_misplaced_report_only_without_repair() -> None:
    text = " ".join(MISPLACED)
    out, findings = normalize_text(text, repair=False)
    assert out == text
    assert [f.snippet for f in findings] == list(MISPLACED)
    assert all(f.kind == "misplaced-tone" and not f.repaired for f in findings)


def test_underthesea_example() -> None:
    out, findings = normalize_text("Ðảm baỏ chất lựơng phòng thí nghịêm hoá học")
    assert out == "Đảm bảo chất lượng phòng thí nghiệm hoá học"
    assert kinds(findings) == ["eth-for-d", "misplaced-tone", "misplaced-tone", "misplaced-tone"]
    assert all(f.repaired for f in findings)


def test_correct_placements_are_not_misplaced() -> None:
    text = (
        "hòa hoà thủy thuỷ khỏe khoẻ toàn hoàn huýt quý quỳ già giường gìn thuở Huế "
        "người rượu tuổi hiểu yếu ngoài xoáy ngoẹo khuấy khuỷu khuya chuyện quyền "
        "Nguyễn huỳnh hoạch khuếch của mùa mía nghĩa giữ giếng gửi cứu mưa bảy bảo"
    )
    words = text.split()
    assert find_misplaced_tones(text) == []
    assert all(is_vietnamese_word(w) for w in words)


# ------------------------------------------------------------------ syllables


def test_syllable_validity() -> None:
    good = ["Việt", "NGHIÊNG", "Ủy", "HĐND", "quốc", "giường", "xoong", "oách", "khuỷu"]
    # Đắk, Krông: minority place names outside standard orthography (never flagged as errors)
    bad = ["Quèc", "héi", "ViÖt", "Vieät", "ChÝ", "quoác", "ĐấT", "Krông", "Đắk"]
    assert all(is_vietnamese_word(w) for w in good)
    assert not any(is_vietnamese_word(w) for w in bad)
    assert is_vietnamese_word("ĐấT", ignore_case=True)
    assert not is_vietnamese_word("HĐND", initialisms=False)


# ------------------------------------------------------------------ normalize_text


@pytest.mark.parametrize("key", ["tcvn3", "vni", "utf8_as_cp1252"])
def test_normalize_repairs_mojibake_traps(key: str) -> None:
    trap = LEGACY_TRAPS[key]
    out, findings = normalize_text(f"{trap} - {trap}")
    assert out == "Việt Nam - Việt Nam"
    (f,) = findings
    assert f.kind.startswith("mojibake-") and f.repaired and f.severity == "warning"
    assert "repaired" in f.message and "Việt" in f.message and f.offset == 0
    # Alone, one mangled word is not evidence enough: reported with its reading, not changed.
    out, findings = normalize_text(trap)
    assert out == trap
    (f,) = findings
    assert f.kind.startswith("mojibake-") and not f.repaired
    assert '"Việt"' in f.message and "not enough evidence" in f.message


def test_normalize_repairs_eth_and_reports_caron() -> None:
    assert normalize_text(LEGACY_TRAPS["eth_lookalike"])[0] == "Đà Nẵng"
    out, findings = normalize_text(LEGACY_TRAPS["caron_lookalike"])
    assert out == "n\u01cem" and kinds(findings) == ["caron"] and not findings[0].repaired
    # ETH in a word that is not Vietnamese is reported, not changed.
    out, findings = normalize_text("Guðmundsson")
    assert out == "Guðmundsson" and kinds(findings) == ["eth-for-d"]


def test_normalize_unrepaired_problems_are_errors() -> None:
    out, findings = normalize_text("ký tự \x01 lạ \ue001")
    assert [(f.kind, f.severity) for f in findings] == [
        ("control", "error"),
        ("private-use", "error"),
    ]
    out, findings = normalize_text("chữ ViÖtz hỏng")  # TCVN3 signature but no valid reading
    assert out == "chữ ViÖtz hỏng"
    assert [(f.kind, f.severity, f.repaired) for f in findings] == [
        ("mojibake-tcvn3", "error", False)
    ]


def test_normalize_offsets_refer_to_output() -> None:
    text = "Tin tiáº¿ng Viá»‡t: Ðà Nẵng có mưa, baỏ đảm an toàn."
    out, findings = normalize_text(text)
    assert out == "Tin tiếng Việt: Đà Nẵng có mưa, bảo đảm an toàn."
    for f in findings:
        assert out[f.offset : f.offset + len(f.snippet)] == f.snippet
        assert out.count("\n", 0, f.offset) + 1 == f.line


def test_normalize_ambiguous_vni_neighbours_reported() -> None:
    out, findings = normalize_text("tieáng Thaønh phoá Hoà Chí Minh")
    assert out == "tiếng Thành phoá Hoà Chí Minh"
    assert [(f.kind, f.repaired) for f in findings] == [
        ("mojibake-vni", True),
        ("mojibake-vni", False),
        ("mojibake-vni", False),
    ]


def test_normalize_newlines() -> None:
    assert normalize_text("dòng một\r\ndòng hai\rba") == ("dòng một\ndòng hai\nba", [])
    assert kinds(check_repertoire("a\r\nb")) == ["control"]  # the pure check still reports


def test_normalize_section_12_fixtures() -> None:
    assert normalize_text(NFD_TRAP) == ("Việt Nam", [])
    assert normalize_text(ORDER_TRAP) == ("ấ", [])
    assert normalize_text(HEADLINE) == (HEADLINE, [])
    assert normalize_text(BODY) == (BODY, [])
    for text in STYLE_OLD + STYLE_NEW + STYLE_NEUTRAL:
        assert normalize_text(text) == (text, [])


# ------------------------------------------------------------------ properties

VIETNAMESE_ISH = st.text(
    alphabet=st.sampled_from(
        VI_LETTERS
        + VI_TONE_MARKS
        + VI_MODIFIER_MARKS
        + "¸µ¶¹¨¬®Ö×ØÜÞßøïäëåüñæîûÃÄÆ»º‘ƒ"
        + "\u00ad\u00a0\u0340\u0341 \n\r\t.,;'\"“”ÐðǎqgQG0123456789"
    ),
    max_size=40,
)
ANY_TEXT = st.text(max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY_TEXT, VIETNAMESE_ISH))
def test_to_nfc_idempotent_nfc_total(text: str) -> None:
    once = to_nfc(text)
    assert ud.is_normalized("NFC", once)
    assert to_nfc(once) == once


@settings(max_examples=300, deadline=None)
@given(st.one_of(ANY_TEXT, VIETNAMESE_ISH), st.sampled_from(["keep", "old", "new"]))
def test_normalize_text_idempotent_nfc_total(text: str, style: str) -> None:
    once, findings = normalize_text(text, tone_style=style)  # type: ignore[arg-type]
    assert ud.is_normalized("NFC", once)
    assert normalize_text(once, tone_style=style)[0] == once  # type: ignore[arg-type]
    for f in findings:
        assert 0 <= f.offset <= len(once) and f.line >= 1 and f.column >= 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(CLEAN), min_size=1, max_size=4))
def test_clean_sentences_survive_any_combination(sentences: list[str]) -> None:
    text = " ".join(sentences)
    out, findings = normalize_text(text, allow=ALLOW)
    assert out == text
    assert all(f.kind == "tone-style-mixed" for f in findings)
