"""``exporter import``: copied news pages and saved HTML pages -> article files, nothing lost.

Every fixture in tests/importer/data/import/ has a hand-written ``NAME.expected.yaml`` listing every
field, every body block and every dropped line; the encoding variants of the fixtures are made
here, not committed.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from PIL import Image
from typer.testing import CliRunner

from exporter.cli import app
from exporter.importer import extract, import_file, import_many
from exporter.importer import patterns as pt
from exporter.importer import vocabulary as vocab
from exporter.importer.dates import parse_date_line
from exporter.importer.markdown_out import escape
from exporter.importer.quality import load_expected, score, totals
from exporter.source.load import read_article_data
from exporter.source.markup import markdown_to_blocks
from exporter.source.models import ArticleMeta
from exporter.source.placeholder import is_placeholder
from exporter.vietnamese.legacy_encodings import encode_cp1258, encode_tcvn3, encode_vni

DATA = Path(__file__).parent / "data" / "import"
TEXTS = sorted(DATA.glob("*.txt"))
PAGES = sorted(DATA.glob("*.html"))
REAL = DATA / "binh-thuan-onecms.txt"
runner = CliRunner()


def _fingerprint(result) -> tuple[object, object]:
    """What must not change between two encodings of the same article (the report's copy of a
    line may: TCVN3-ABC has no capital "Ả", so the source line reads "ảnh: …")."""
    assert result.ok, result.error
    return result.article.as_dict(), [(r.line, r.to, r.dropped) for r in result.lines]


# ------------------------------------------------------------------ the real example


def test_real_example_fields_by_hand() -> None:
    result = extract(REAL)
    art = result.article
    assert result.ok and result.kind == "text" and result.encoding == "utf-8"
    assert art.section == "Xã hội"
    assert art.title == (
        "Bình Thuận: Tăng cường bảo vệ nền tảng tư tưởng của Đảng trong tình hình mới"
    )
    assert art.authors == ["Xuân Hiếu"]
    assert art.published.isoformat() == "2023-11-23T20:39:00+07:00"
    assert art.updated is None
    assert art.lead == (
        "Các cấp ủy, chính quyền, lực lượng vũ trang và các tổ chức chính trị xã hội tỉnh "
        "Bình Thuận, cần tiếp tục xây dựng lực lượng, tăng cường đào tạo, tập huấn, bồi dưỡng "
        "cho đội ngũ trực tiếp tác chiến trên không gian mạng về an toàn thông tin, trang bị "
        "kỹ năng, nghiệp vụ làm công tác theo dõi, đấu tranh phản bác các quan điểm sai trái, "
        "thù địch tại địa phương."
    )
    assert [(f.name, f.caption, f.credit) for f in art.figures] == [
        ("kkbb.jpg", "Quang cảnh buổi tọa đàm.", None)
    ]
    assert art.attribution == "Theo Phóng viên thực hiện"
    assert [b.kind for b in art.body] == ["p"] * 7
    # Source characters kept: the mismatched “…" pair is the build's job, not the importer's.
    assert art.body[0].text.endswith("Chủ tịch HĐND tỉnh Bình Thuận, chủ trì hội nghị.")
    assert '“Tăng cường bảo vệ nền tảng tư tưởng của Đảng trong tình hình mới"' in (
        art.body[0].text
    )
    assert art.body[5].text.startswith("Tăng cường thông tin “xanh”, thông tin tích cực")
    assert art.body[6].text.endswith("được dư luận xã hội quan tâm.")
    where = {r.text: r.to or f"dropped: {r.dropped}" for r in result.lines}
    assert where["Xuân Hiếu 23/11/2023 20:39"] == "authors+published"
    assert where["kkbb.jpg"] == "figure[0].file"
    assert where["Quang cảnh buổi tọa đàm."] == "figure[0].caption"
    assert where["Theo Phóng viên thực hiện"] == "attribution"
    assert where["POWERED BY ONECMS - A PRODUCT OF NEKO"] == "dropped: CMS credit"
    footer_title = [r for r in result.lines if r.text == art.title and r.line > 30]
    assert [r.dropped for r in footer_title] == ["repeated title"]


def test_real_example_writes_an_article_with_a_placeholder(tmp_path: Path) -> None:
    result = import_file(REAL, tmp_path)
    assert result.ok, result.error
    assert result.output == tmp_path / (
        "binh-thuan-tang-cuong-bao-ve-nen-tang-tu-tuong-cua-dang-trong-tinh-hinh-moi.md"
    )
    assert is_placeholder(tmp_path / "images" / "kkbb.jpg")
    assert "image kkbb.jpg not found; a placeholder was written (images/kkbb.jpg)" in (
        result.warnings
    )
    assert result.article.figures[0].as_dict()["alt_source"] == "caption"
    text = result.output.read_text(encoding="utf-8")
    assert 'attribution: "Theo Phóng viên thực hiện"' in text
    assert 'published: "2023-11-23 20:39"' in text
    assert 'caption: "Quang cảnh buổi tọa đàm."' in text


# ------------------------------------------------------------ every fixture, by hand


@pytest.mark.parametrize("source", TEXTS + PAGES, ids=lambda p: p.name)
def test_fixture_matches_its_hand_written_expectation(source: Path) -> None:
    result = extract(source)
    found = score(result, load_expected(source))
    assert found.mismatches == []
    assert found.leaked == []


@pytest.mark.parametrize("source", TEXTS, ids=lambda p: p.name)
def test_every_non_blank_line_is_accounted_for(source: Path) -> None:
    result = extract(source)
    lines = source.read_text(encoding="utf-8").split("\n")
    expected = [(n, " ".join(t.split())) for n, t in enumerate(lines, 1) if t.strip()]
    assert [(r.line, r.text) for r in result.lines] == expected
    for record in result.lines:
        assert (record.to is None) != (record.dropped is None), record


def test_html_reports_the_visible_text_of_the_page() -> None:
    result = extract(PAGES[0])
    assert result.kind == "html"
    kept = {r.to for r in result.lines if r.to}
    assert {"title", "authors+published", "lead", "figure[0].caption+credit"} <= kept
    assert {f"body[{i}]" for i in range(7)} <= kept
    reasons = {r.dropped for r in result.lines if r.dropped}
    assert "not article text (extractor)" in reasons
    assert {"menu", "breadcrumb", "reader comment", "related-news block"} <= reasons


def test_quality_over_all_fixtures_is_perfect() -> None:
    scores = [score(extract(s), load_expected(s)) for s in TEXTS + PAGES]
    result = totals(scores)
    assert result["inputs"] == 13 and result["expected_blocks"] == 79
    assert result["precision"] == 1.0
    assert result["recall"] == 1.0
    assert result["leaked"] == 0


# ---------------------------------------------------------------------- encodings


def _variants(text: str) -> dict[str, bytes]:
    variants = {
        "nfd": unicodedata.normalize("NFD", text).encode("utf-8"),
        "bom-crlf": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        "utf-16": text.encode("utf-16"),
        "utf-16-le-no-bom": text.encode("utf-16-le"),
        "windows-1258": encode_cp1258(text),
        "vni": encode_vni(text),
    }
    for name, capitals in (("tcvn3-abc", "abc"), ("tcvn3-vn1", "vn1")):
        with contextlib.suppress(UnicodeEncodeError):  # curly quotes, bullets: not in TCVN3
            variants[name] = encode_tcvn3(text, capitals=capitals)
    return variants


@pytest.mark.parametrize("source", TEXTS, ids=lambda p: p.name)
def test_encoding_variants_give_the_same_result(source: Path, tmp_path: Path) -> None:
    text = source.read_text(encoding="utf-8")
    reference = _fingerprint(extract(source))
    for name, data in _variants(text).items():
        copy = tmp_path / f"{name}.txt"
        copy.write_bytes(data)
        result = extract(copy)
        assert _fingerprint(result) == reference, name
        if name in ("windows-1258", "vni") or name.startswith("tcvn3"):
            assert result.encoding == name.removesuffix("-abc").removesuffix("-vn1")


def test_tcvn3_abc_is_covered_on_most_fixtures() -> None:
    covered = [s.name for s in TEXTS if "tcvn3-abc" in _variants(s.read_text(encoding="utf-8"))]
    assert len(covered) >= 7


def test_html_in_windows_1258_with_its_meta_charset(tmp_path: Path) -> None:
    page = PAGES[0].read_text(encoding="utf-8")
    reference = _fingerprint(extract(PAGES[0]))
    declared = tmp_path / "declared.html"
    declared.write_bytes(encode_cp1258(page.replace('charset="utf-8"', 'charset="windows-1258"')))
    undeclared = tmp_path / "undeclared.html"
    undeclared.write_bytes(encode_cp1258(page))  # says utf-8 but is not: detected instead
    for copy in (declared, undeclared):
        result = extract(copy)
        assert result.encoding in ("cp1258", "windows-1258")
        assert _fingerprint(result)[0] == reference[0]


# ---------------------------------------------------------------------- bad inputs


def _bad_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "empty": b"",
        "blank": b"  \n\r\n \t\n",
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20,
        "undecodable": "Привет, это не вьетнамский текст.\n".encode("cp1251") * 10,
        "boilerplate": (
            "Trang chủ\nThời sự\nKinh tế\nXã hội\nĐăng nhập\n\nChia sẻ\n(0) Bình luận\n"
            "Tin mới nhất\n\nPOWERED BY ONECMS - A PRODUCT OF NEKO\n"
        ).encode(),
        "no-date": (
            "Xã hội\n\nBình Thuận tổ chức tọa đàm về công tác tuyên truyền\n\n"
            "Ngày 23/11, Ban Thường vụ Tỉnh ủy Bình Thuận tổ chức tọa đàm trực tuyến.\n\n"
            "Phát biểu tại buổi lễ, ông Nguyễn Hoài Anh ghi nhận những nỗ lực của các cấp ủy.\n"
        ).encode(),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_bytes(data)
    paths["missing"] = folder / "missing.txt"
    paths["folder"] = folder / "a-folder.txt"
    paths["folder"].mkdir(exist_ok=True)
    return paths


def test_each_bad_input_fails_alone_with_one_line(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path / "in")
    out = tmp_path / "out"
    report = import_many([*bad.values(), REAL], out)
    errors = {r.input.stem: r.error for r in report.results if not r.ok}
    assert errors == {
        "empty": "is empty",
        "blank": "is empty",
        "binary": pytest.approx(errors["binary"]),
        "undecodable": pytest.approx(errors["undecodable"]),
        "boilerplate": "only boilerplate: no title found",
        "no-date": (
            "no publication date found (no line looks like a date); give one with "
            '--date "YYYY-MM-DD HH:MM", or --date file for the file\'s own'
        ),
        "missing": "cannot be read (No such file or directory)",
        "a-folder": "cannot be read (Is a directory)",
    }
    assert errors["binary"].startswith("undecodable: binary data")
    assert errors["undecodable"].startswith("undecodable: cannot identify the encoding")
    assert all("\n" not in e for e in errors.values())
    assert report.results[-1].ok  # the good one still imported
    assert sorted(p.name for p in out.glob("*.md")) == [report.results[-1].output.name]
    boilerplate = next(r for r in report.results if r.input.stem == "boilerplate")
    assert {r.dropped for r in boilerplate.lines} >= {"menu", "share button", "CMS credit"}
    assert all(r.to is None for r in boilerplate.lines)


def test_cli_mixed_inputs_exit_1_one_line_per_failure(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path / "in")
    out, report_file = tmp_path / "out", tmp_path / "report.json"
    args = ["import", str(REAL), *(str(p) for p in bad.values()), str(TEXTS[1])]
    result = runner.invoke(app, [*args, "-o", str(out), "--report", str(report_file)])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error ")]
    assert len(errors) == len(bad)
    assert any(str(bad["boilerplate"]) in line and "only boilerplate" in line for line in errors)
    assert len(list(out.glob("*.md"))) == 2
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["totals"]["inputs"] == len(bad) + 2
    assert report["totals"]["ok"] == 2 and report["totals"]["failed"] == len(bad)
    assert report["totals"]["kept"] + report["totals"]["dropped"] == report["totals"]["lines"]
    first = report["inputs"][0]
    assert first["status"] == "ok" and first["encoding"] == "utf-8"
    assert first["lines"][0] == {"line": 1, "text": "Xã hội", "to": "section"}


def test_cli_ok_exit_0_and_usage_errors_exit_2(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["import", str(REAL), "-o", str(tmp_path / "out")])
    assert ok.exit_code == 0, ok.output
    assert "wrote " in ok.output and "placeholder" in ok.output
    assert runner.invoke(app, ["import", str(REAL)]).exit_code == 2  # no -o
    assert runner.invoke(app, ["import", "-o", str(tmp_path)]).exit_code == 2  # no input
    assert runner.invoke(app, ["import", "--help"]).exit_code == 0


def test_section_option_overrides_and_reports_the_section_line(tmp_path: Path) -> None:
    result = extract(REAL, section="Thời sự")
    assert result.article.section == "Thời sự"
    assert result.lines[0].dropped == "section line (replaced by --section)"


# -------------------------------------------------------------------------- images


def test_images_found_beside_or_in_images_are_copied(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "images").mkdir(parents=True)
    shutil.copy(DATA / "lao-cai-hai-anh.txt", src)
    Image.new("RGB", (60, 40), (10, 120, 60)).save(src / "y-ty-ruong-bac-thang.jpg")
    Image.new("RGB", (60, 40), (200, 120, 60)).save(src / "images" / "nha-trinh-tuong.jpg")
    result = import_file(src / "lao-cai-hai-anh.txt", tmp_path / "out")
    assert result.ok and not [w for w in result.warnings if "placeholder" in w]
    for name in ("y-ty-ruong-bac-thang.jpg", "nha-trinh-tuong.jpg"):
        target = tmp_path / "out" / "images" / name
        assert not is_placeholder(target)
    body = result.output.read_text(encoding="utf-8")
    assert "![Homestay trong nhà trình tường của người Hà Nhì ở thôn Choản Thèn.]" in body


def test_a_real_photo_dropped_in_later_is_not_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    import_file(REAL, out)
    Image.new("RGB", (60, 40), (1, 2, 3)).save(out / "images" / "kkbb.jpg")
    again = import_file(REAL, out)
    assert not is_placeholder(out / "images" / "kkbb.jpg")
    assert not [w for w in again.warnings if "placeholder" in w]
    assert any("existed and was replaced" in w for w in again.warnings)


def test_same_picture_name_in_two_inputs_does_not_collide(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text(
        REAL.read_text(encoding="utf-8").replace("Bình Thuận: Tăng cường", "Ninh Thuận: Tăng"),
        encoding="utf-8",
    )
    report = import_many([REAL, other], tmp_path / "out")
    files = [r.article.figures[0].file for r in report.results]
    assert files[0] == "images/kkbb.jpg" and files[1] != files[0]
    assert len({r.output for r in report.results}) == 2


# ------------------------------------------------------------------- the article file


@pytest.mark.parametrize("source", TEXTS + PAGES, ids=lambda p: p.name)
def test_written_article_validates_and_body_round_trips(source: Path, tmp_path: Path) -> None:
    result = import_file(source, tmp_path)
    problems: list = []
    data = read_article_data(result.output, result.output.name, problems)
    assert not problems
    ArticleMeta.model_validate({k: v for k, v in data.items() if k not in ("body", "_body_line")})
    front = yaml.safe_load(result.output.read_text(encoding="utf-8").split("---")[1])
    assert all(isinstance(v, str) for k, v in front.items() if k in ("published", "title"))
    blocks = markdown_to_blocks(data["body"], "x", lambda src: src).blocks
    texts = []
    for kind, content in blocks:
        if kind == "figure":
            continue
        root = lxml_html.fragment_fromstring(content)
        items = root.findall("li") if root.tag in ("ul", "ol") else [root]
        texts += [" ".join(item.text_content().split()) for item in items]
    assert texts == [b.text for b in result.article.body]


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("aăđ ế1.)-+*_`#<>&[]()!|~\\:=\"'\t")),
        min_size=1,
        max_size=40,
    ).filter(lambda s: s.strip())
)
def test_escaped_text_comes_back_unchanged(text: str) -> None:
    blocks = markdown_to_blocks(escape(text), "x", lambda src: src).blocks
    assert len(blocks) == 1 and blocks[0][0] == "html"
    back = lxml_html.fragment_fromstring(blocks[0][1]).text_content()
    assert " ".join(back.split()) == " ".join(text.split())


@pytest.mark.parametrize(
    "text", ["1. Ngày 23/11", "- 5 độ C", "+ thêm", "# 1", "> trích", "a*b*c", "_x_", "<b>x</b>",
             "AT&T &amp;", "[x](y)", "![a](b)", "`mã`", "---", "***", "2023) năm", "a | b"],
)  # fmt: skip
def test_markdown_specials_round_trip(text: str) -> None:
    blocks = markdown_to_blocks(escape(text), "x", lambda src: src).blocks
    assert lxml_html.fragment_fromstring(blocks[0][1]).text_content() == text


# --------------------------------------------------------------------- line rules


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Chia sẻ", "share button"),
        ("Copy Link", "share button"),
        ("Chia sẻ Facebook Zalo", "share button"),
        ("(0) Bình luận", "comment counter"),
        ("Bình luận (12)", "comment counter"),
        ("Lượt xem: 1.245", "view counter"),
        ("Tags: học phí, TP.HCM", "tags"),
        ("Từ khoá: học phí", "tags"),
        ("POWERED BY ONECMS - A PRODUCT OF NEKO", "CMS credit"),
        ("© 2023 Báo Sông Hàn", "copyright notice"),
        ("Liên hệ quảng cáo: 0262 3 852 451", "advertising"),
        ("Xem thêm: Hà Nội thí điểm phố đi bộ", "related-news link"),
        ("Trang chủ | Thời sự | Kinh tế | Văn hoá", "menu"),
        ("Chia sẻ với phóng viên, ông Dũng cho biết nhà thầu đã làm ba ca.", None),
        ("Bình luận về hiệu quả của mô hình, ông Hận cho rằng lúa cải tạo đất.", None),
        ("Xem thêm những bức ảnh đẹp của mùa lúa chín trên trang của huyện.", None),
        ("Bản quyền tác giả là vấn đề được nhiều người quan tâm.", None),
        ("Quảng cáo thuốc giả tràn lan trên mạng xã hội.", None),
        ("Phát triển bởi các nhà khoa học trong nước, vaccine đã được cấp phép.", None),
        ("Trở lại trường sau kỳ nghỉ.", None),
        ("Giọng nam trầm ấm của ca sĩ vang lên.", None),
        ("Quay lại chuyên mục Thời sự", "navigation link"),
        ("nguyentruong@thanhnien.vn", "author e-mail"),
        ("2023", None),
    ],
)
def test_boilerplate_rules_match_whole_lines_only(line: str, reason: str | None) -> None:
    assert vocab.boilerplate(line, in_body=True) == reason


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("Theo TTXVN", "Theo TTXVN"),
        ("(Theo TTXVN)", "Theo TTXVN"),
        ("Theo Phóng viên thực hiện", "Theo Phóng viên thực hiện"),
        ("Nguồn: Báo Quảng Nam", "Nguồn: Báo Quảng Nam"),
        ("Theo ông Dũng, đoạn tuyến đi qua vùng đất yếu được xử lý trước.", None),
        ("Theo ông Dũng", None),
        ("Theo đó cần nâng cao công tác giáo dục chính trị tư tưởng.", None),
        ("Theo kế hoạch, đến năm 2025 tỉnh sẽ mở rộng diện tích.", None),
    ],
)
def test_attribution_rule(line: str, source: str | None) -> None:
    assert pt.attribution(line) == source


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Xuân Hiếu", ["Xuân Hiếu"]),
        ("Lê Hà - Minh Khoa", ["Lê Hà", "Minh Khoa"]),
        ("Nhóm PV", ["Nhóm PV"]),
        ("TRẦN HUỲNH", ["Trần Huỳnh"]),
        ("Bài và ảnh: Phan Thanh Tùng", ["Phan Thanh Tùng"]),
        ("Thời sự", None),
        ("Dấu hiệu cần nhớ", None),
        ("Hà NỘI mới", None),
    ],
)
def test_name_rule(line: str, names: list[str] | None) -> None:
    assert pt.names(line) == names


@pytest.mark.parametrize(
    ("line", "when", "authors", "updated"),
    [
        ("Xuân Hiếu 23/11/2023 20:39", "2023-11-23 20:39", ["Xuân Hiếu"], False),
        ("Thứ năm, 23/11/2023, 07:15 (GMT+7)", "2023-11-23 07:15", [], False),
        ("23-11-2023 - 08:05", "2023-11-23 08:05", [], False),
        ("Cập nhật: 09:30 ngày 24/11/2023", "2023-11-24 09:30", [], True),
        ("23/11/2023 07:15 GMT+7", "2023-11-23 07:15", [], False),
        ("Thu Trang | 24/11/2023 06:00", "2023-11-24 06:00", ["Thu Trang"], False),
        ("07h15 23.11.2023", "2023-11-23 07:15", [], False),
    ],
)
def test_date_line_forms(line: str, when: str, authors: list[str], updated: bool) -> None:
    parsed = parse_date_line(line)
    assert parsed is not None
    stamp, timed, upd = parsed.stamps[0]
    assert (f"{stamp:%Y-%m-%d %H:%M}", timed, upd) == (when, True, updated)
    assert stamp.utcoffset().total_seconds() == 7 * 3600
    assert parsed.authors == authors


@pytest.mark.parametrize(
    "line",
    ["Ngày 23/11/2023, Ban Thường vụ họp.", "Hội An đón khách (22/11/2023)", "32/13/2023"],
)
def test_sentences_with_dates_are_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Quang cảnh tọa đàm. (Ảnh: Xuân Hiếu)", ("Quang cảnh tọa đàm.", "Ảnh: Xuân Hiếu")),
        ("Xe trên cao tốc. Ảnh: TTXVN", ("Xe trên cao tốc.", "Ảnh: TTXVN")),
        ("Một góc phố. (Ảnh minh họa)", ("Một góc phố.", "Ảnh minh họa")),
        ("Học sinh tan học - Ảnh: NHƯ HÙNG", ("Học sinh tan học", "Ảnh: NHƯ HÙNG")),
        ("Quang cảnh buổi tọa đàm. (ảnh: PV)", ("Quang cảnh buổi tọa đàm.", "Ảnh: PV")),
        ("Du khách thích chụp ảnh.", ("Du khách thích chụp ảnh.", None)),
    ],
)  # fmt: skip
def test_photo_credit_rule(caption: str, expected: tuple[str, str | None]) -> None:
    assert pt.split_credit(caption) == expected


def test_list_item_and_lead_prefix_rules() -> None:
    assert pt.list_item("- Mất thăng bằng;") == (None, "Mất thăng bằng;")
    assert pt.list_item("• Người hút thuốc lá.") == (None, "Người hút thuốc lá.")
    assert pt.list_item("2) Nới lỏng quần áo;") == (2, "Nới lỏng quần áo;")
    assert pt.list_item("(*) Số liệu của Bộ Y tế.") is None
    assert pt.split_lead_prefix("TTO - HĐND TP.HCM vừa") == ("TTO", "HĐND TP.HCM vừa")
    assert pt.split_lead_prefix("(Dân trí) - Công an") == ("Dân trí", "Công an")
    assert pt.split_lead_prefix("VOV.VN - Sáng nay") == ("VOV.VN", "Sáng nay")
    assert pt.split_lead_prefix("Hà Nội - Sáng nay") == (None, "Hà Nội - Sáng nay")


# ------------------------------------------------------------------- HTML and repairs


def test_html_extraction_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during import")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert extract(PAGES[0]).ok


def test_html_page_without_an_article_fails_and_reports_its_lines(tmp_path: Path) -> None:
    page = tmp_path / "trang-chu.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Báo Thử</title></head><body>"
        "<nav><ul><li><a href='/'>Trang chủ</a></li><li><a href='/ts'>Thời sự</a></li></ul></nav>"
        "<footer><p>© 2023 Báo Thử. Bản quyền thuộc về Báo Thử.</p></footer></body></html>",
        encoding="utf-8",
    )
    result = import_file(page, tmp_path / "out")
    assert not result.ok and result.error.startswith("only boilerplate")
    assert [(r.text, r.dropped) for r in result.lines] == [
        ("Trang chủ", "menu"),
        ("Thời sự", "menu"),
        ("© 2023 Báo Thử. Bản quyền thuộc về Báo Thử.", "copyright notice"),
    ]
    assert not (tmp_path / "out").exists()


def test_mojibake_in_a_copy_is_repaired_and_reported(tmp_path: Path) -> None:
    source = DATA / "suc-khoe-dot-quy.txt"
    broken = tmp_path / "broken.txt"
    phrase = "Việt Nam có khoảng"
    garbled = encode_tcvn3(phrase).decode("cp1252")  # "ViÖt Nam cã kho¶ng": from a .VnTime page
    text = source.read_text(encoding="utf-8")
    assert phrase in text
    broken.write_text(text.replace(phrase, garbled), encoding="utf-8")
    result = extract(broken)
    assert _fingerprint(result)[0] == _fingerprint(extract(source))[0]
    assert any("TCVN3" in w and w.startswith("line 7:") for w in result.warnings)
    # One mangled word alone is not evidence enough: kept as it is, and reported.
    one = encode_tcvn3("Việt").decode("cp1252")
    broken.write_text(text.replace(phrase, f"{one} Nam có khoảng"), encoding="utf-8")
    result = extract(broken)
    assert "ViÖt Nam" in result.article.lead
    assert any("not enough evidence" in w and w.startswith("line 7:") for w in result.warnings)


def test_hard_wrapped_text_is_flagged(tmp_path: Path) -> None:
    import textwrap

    source = (DATA / "dan-tri-lien-quan.txt").read_text(encoding="utf-8")
    lines = [part for line in source.split("\n") for part in (textwrap.wrap(line, 72) or [""])]
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text("\n".join(lines), encoding="utf-8")
    assert any("hard-wrapped" in w for w in extract(wrapped).warnings)
    assert not any("hard-wrapped" in w for s in TEXTS for w in extract(s).warnings)
