"""Vietnamese typography checked on what we produce: fonts, leading, drop caps, NFC, tags."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from exporter import build
from exporter.backends.epub.backend import EpubBackend
from exporter.backends.pdf.backend import PdfBackend
from exporter.render.fonts import REQUIRED, faces, missing, needed_line_height, vertical_extent
from exporter.render.pages import _stylesheets, render
from exporter.render.rendition import Page, Rendition
from exporter.render.theme import BUILTIN, Theme
from exporter.source.load import load_bulletin
from exporter.vietnamese.letters import VI_ALPHABET, VI_EXEMPLAR_ORDER, VI_LOWER, VI_UPPER
from exporter.vietnamese.normalize import normalize

from ..conftest import SAMPLE, write_bulletin
from .test_pdf import BUNDLED_FACES, pdf_fonts

THEME = Theme()
FACES = faces(THEME)
# The 29 letters, each followed by its five toned forms: 89 distinct lowercase letters (all
# 67 with diacritics and the 22 plain ones), in groups that can wrap at spaces.
ALPHABET = " ".join(
    "".join(VI_EXEMPLAR_ORDER[i:j])
    for i, j in zip(
        [k for k, c in enumerate(VI_EXEMPLAR_ORDER) if c in VI_ALPHABET],
        [k for k, c in enumerate(VI_EXEMPLAR_ORDER) if c in VI_ALPHABET][1:] + [None],
        strict=True,
    )
)
ALPHABET_CAPS = ALPHABET.upper()


def _face_of(style) -> Path:
    family = style["font_family"][0]
    weight = 700 if style["font_weight"] >= 600 else 400
    matches = [
        f.path
        for f in FACES
        if f.family == family and f.weight == weight and f.style == style["font_style"]
    ]
    assert matches, f"no bundled face for {family} {weight} {style['font_style']}"
    return matches[0]


def _text_boxes(document):
    for box, _parent in _boxes_with_parents(document):
        yield box


def _boxes_with_parents(document):
    def walk(box, parent):
        yield box, parent
        for child in getattr(box, "children", []) or []:
            yield from walk(child, box)

    for page in document.pages:
        yield from walk(page._page_box, None)


def _classes(box) -> str:
    return (box.element.get("class") or "") if box is not None and box.element is not None else ""


def _body_paragraph_alignments(document) -> set[str]:
    return {
        box.style["text_align_all"]
        for box, parent in _boxes_with_parents(document)
        if isinstance(box, boxes.BlockBox)
        and box.element_tag == "p"
        and "article-body" in _classes(parent)
    }


def _leading(style) -> float:
    value = style["line_height"]
    if isinstance(value, (int, float)):
        return float(value)
    return value.value / style["font_size"]


# ---- the fonts ---------------------------------------------------------------------------


def test_every_bundled_face_covers_vietnamese() -> None:
    assert {f.path.name for f in FACES} == {
        p.name for p in (BUILTIN / "styles/fonts").glob("*.ttf")
    }
    for face in FACES:
        assert missing(face.path, REQUIRED) == [], face.path.name
        assert len([c for c in REQUIRED if unicodedata.combining(c) == 0]) == 186 + 8


def test_win_metrics_do_not_clip_stacked_marks() -> None:
    for face in FACES:
        os2 = TTFont(face.path)["OS/2"]
        upm = TTFont(face.path)["head"].unitsPerEm
        top, bottom = vertical_extent(face.path, VI_UPPER + VI_LOWER + "gjpqy")
        assert os2.usWinAscent / upm >= top and os2.usWinDescent / upm >= -bottom, face.path.name


def test_css_never_fakes_a_weight_or_style() -> None:
    common = (BUILTIN / "styles/common.css").read_text(encoding="utf-8")
    assert "font-synthesis: none" in common
    for name in ("common.css", "print.css", "ebook.css"):
        css = (BUILTIN / "styles" / name).read_text(encoding="utf-8")
        assert "font-language-override" not in css
        assert not re.search(r"font-weight:\s*(?!400|700|normal|bold)\w+", css), name


# ---- the sample PDF, laid out --------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_layout():
    bulletin = normalize(load_bulletin(SAMPLE))
    return PdfBackend().layout(render(bulletin, THEME, PdfBackend()))


def test_line_heights_clear_the_tallest_vietnamese_glyphs(sample_layout) -> None:
    """Every text style of the print edition, from the laid-out sample (margin boxes too)."""
    seen = {}
    for box in _text_boxes(sample_layout):
        if not isinstance(box, boxes.TextBox) or not box.text.strip():
            continue
        if (box.element_tag or "").endswith("::marker") or "drop-cap" in _classes(box):
            continue
        face = _face_of(box.style)
        uppercase = box.style["text_transform"] == "uppercase" or box.text.isupper()
        need = needed_line_height(face, uppercase=True)
        have = _leading(box.style)
        key = (box.element_tag, face.name, round(have, 3))
        seen[key] = (need, have, uppercase)
        assert have >= need, f"{box.element_tag} in {face.name}: line-height {have} < {need}"
    tags = {k[0] for k in seen}
    assert {"p", "h1", "h2", "figcaption", "li", "blockquote", "span"} & tags >= {"p", "h1", "h2"}
    assert len(seen) >= 15  # body, lead, captions, labels, headlines, running heads, index …


def test_only_bundled_weights_and_styles_are_used(sample_layout) -> None:
    used = set()
    for box in _text_boxes(sample_layout):
        if isinstance(box, boxes.TextBox) and box.text.strip():
            used.add(_face_of(box.style).name)  # fails if no bundled face matches
    assert {
        "NotoSerif-Regular.ttf",
        "NotoSerif-Bold.ttf",
        "NotoSerif-Italic.ttf",
        "NotoSerifDisplay-Bold.ttf",
        "NotoSans-Regular.ttf",
        "NotoSans-Bold.ttf",
    } <= used


def test_body_text_is_ragged_right_by_default(sample_layout) -> None:
    assert _body_paragraph_alignments(sample_layout) == {"left"}


def test_justify_can_be_configured(tmp_path: Path) -> None:
    root = write_bulletin(tmp_path, toml_extra="[typography]\njustify = true\n")
    bulletin = normalize(load_bulletin(root))
    document = PdfBackend().layout(render(bulletin, THEME, PdfBackend()))
    assert _body_paragraph_alignments(document) == {"justify"}


DISPLAY = BUILTIN / "styles" / "fonts" / "NotoSerifDisplay-Bold.ttf"


def _drop_caps(document):
    """(float box, its letter, its paragraph's element) for every drop cap laid out."""
    parents = {id(box): parent for box, parent in _boxes_with_parents(document)}
    for box, _ in _boxes_with_parents(document):
        if isinstance(box, boxes.BlockBox) and "drop-cap" in _classes(box):
            up = parents[id(box)]
            while up.element_tag != "p":
                up = parents[id(up)]
            children = list(up.element)
            letter = children[children.index(box.element) + 1]
            assert letter.get("class") == "drop-cap-letter"
            yield box, letter.text, up.element


def test_drop_caps_hold_the_whole_letter_with_its_marks(sample_layout) -> None:
    caps = list(_drop_caps(sample_layout))
    assert len(caps) == 10
    letters = []
    for cap, letter, paragraph in caps:
        letters.append(letter)
        assert unicodedata.is_normalized("NFC", letter) and len(letter) == 1
        assert cap.background.layers[0].image is not None  # drawn, not set as text
        top, bottom = vertical_extent(DISPLAY, letter)
        assert cap.height >= (top - bottom) * 50 - 0.5, letter  # the marks are inside the box
        # The cap's baseline (its box's bottom, less the glyph's descent) is the third line's.
        baseline = cap.content_box_y() + cap.height + bottom * 50
        lines = [
            b
            for b, p in _boxes_with_parents(sample_layout)
            if isinstance(b, boxes.LineBox) and p is not None and p.element is paragraph
        ]
        third = lines[2].position_y + lines[2].baseline
        assert abs(baseline - third) < 0.6, letter
    assert {"Đ", "T", "N"} <= set(letters)


def test_drop_cap_of_stacked_capitals(tmp_path: Path) -> None:
    """Ở, Đ and Ấ: the float box holds the marks, which stay clear of the text above."""
    texts = {
        "Ở": "Ở đây người dân đã quen với lũ.",
        "Đ": "Đêm qua mưa rất to.",
        "Ấ": "Ấp Tân Hòa có 300 hộ.",
    }
    articles = {
        f"articles/{i}.md": (
            "---\ntitle: Tin\npublished: 2023-11-23 08:00\nlead: Tóm tắt.\n---\n\n"
            f"{text}\n\nĐoạn hai.\n"
        )
        for i, text in enumerate(texts.values())
    }
    bulletin = normalize(load_bulletin(write_bulletin(tmp_path, articles)))
    document = PdfBackend().layout(render(bulletin, THEME, PdfBackend()))
    found = {}
    above = None  # the byline: the last thing drawn above an article's first paragraph
    caps = {id(cap): letter for cap, letter, _ in _drop_caps(document)}
    for box in _text_boxes(document):
        if isinstance(box, boxes.BlockBox) and "byline" in _classes(box):
            above = box.border_box_y() + box.border_height()
        if id(box) in caps:
            top, _ = vertical_extent(DISPLAY, caps[id(box)])
            found[caps[id(box)]] = (box.content_box_y(), box.height, top, above)
    assert set(found) == set(texts)
    for letter, (glyph_top, height, top, byline_bottom) in found.items():
        assert height >= top * 50 - 0.5, letter  # the float's box holds the marks
        assert glyph_top >= byline_bottom + 3, letter  # and they stay clear of the rule above


# ---- an alphabet test page -----------------------------------------------------------------

ALPHABET_PAGE = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"/><title>Bảng chữ cái</title></head><body>
<p class="section-label">{ALPHABET}</p>
<h1 class="headline">{ALPHABET_CAPS}</h1>
<p class="lead">{ALPHABET}</p>
<div class="article-body">
<p>{ALPHABET}</p>
<p><em>{ALPHABET}</em></p>
<p><strong>{ALPHABET}</strong></p>
<p><strong><em>{ALPHABET}</em></strong></p>
<h3>{ALPHABET}</h3>
</div>
<p class="byline">{ALPHABET}</p>
</body></html>"""
EXPECTED_LINES = [ALPHABET.upper(), ALPHABET_CAPS] + [ALPHABET] * 7


def alphabet_pdf() -> bytes:
    assets = {}
    sheets = _stylesheets(THEME, ("common.css", "print.css"), assets)
    bulletin = normalize(load_bulletin(SAMPLE))
    rendition = Rendition(
        bulletin,
        [Page("bulletin.html", "x", "bulletin", ALPHABET_PAGE)],
        sheets,
        assets,
        None,
        "2023-11-24T00:00:00Z",
    )
    return PdfBackend().build(rendition)


@pytest.fixture(scope="module")
def alphabet(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("alphabet") / "alphabet.pdf"
    path.write_bytes(alphabet_pdf())
    return path


def test_alphabet_page_embeds_only_bundled_fonts(alphabet: Path) -> None:
    fonts = pdf_fonts(alphabet)
    assert set(fonts) <= BUNDLED_FACES
    assert {
        "Exporter-Serif",
        "Exporter-Serif-Italic",
        "Exporter-Serif-Bold",
        "Exporter-Serif-Bold-Italic",
        "Exporter-Display-Bold",
        "Exporter-Sans-Bold",
    } <= set(fonts)


def test_alphabet_page_text_equals_the_source(alphabet: Path) -> None:
    text = re.sub(r"Trang \d+\s*$", "", PdfReader(alphabet).pages[0].extract_text())
    assert unicodedata.is_normalized("NFC", text)
    squashed = re.sub(r"\s+", "", text)
    assert squashed == re.sub(r"\s+", "", "".join(EXPECTED_LINES))


# ---- the produced files ------------------------------------------------------------------


def _all_text_nodes(root) -> list[str]:
    texts = [t for t in root.itertext()]
    texts += [v for el in root.iter() if isinstance(el.tag, str) for v in el.attrib.values()]
    return texts


def test_epub_is_vietnamese_and_nfc_throughout(sample_build) -> None:
    with zipfile.ZipFile(sample_build.epub) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        assert opf.findtext(".//{http://purl.org/dc/elements/1.1/}language") == "vi"
        for name in epub.namelist():
            if not name.endswith((".xhtml", ".opf", ".ncx", ".css")):
                continue
            data = epub.read(name).decode("utf-8")
            assert "\u00ad" not in data, name
            assert unicodedata.is_normalized("NFC", data), name
            if name.endswith(".xhtml"):
                root = etree.fromstring(data.encode())
                assert (
                    root.get("lang") == "vi"
                    and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
                ), name
                for text in _all_text_nodes(root):
                    assert unicodedata.is_normalized("NFC", text)
                    assert not re.search("[\u0300-\u036f]", text), (name, text)


def test_pdf_is_tagged_vietnamese_without_soft_hyphens(sample_build) -> None:
    reader = PdfReader(sample_build.pdf)
    assert reader.trailer["/Root"]["/Lang"] == "vi"
    text = "".join(page.extract_text() for page in reader.pages)
    assert "\u00ad" not in text
    assert unicodedata.is_normalized("NFC", text)


def test_hyphenation_is_off_in_every_dialect_for_both_editions() -> None:
    common = (BUILTIN / "styles/common.css").read_text(encoding="utf-8")
    block = re.search(r":lang\(vi\)\s*{([^}]*)}", common).group(1)
    for declaration in (
        "hyphens: none",
        "-webkit-hyphens: none",
        "-epub-hyphens: none",
        "adobe-hyphenate: none",
    ):
        assert declaration in block
    assert "common.css" in PdfBackend().stylesheets and "common.css" in EpubBackend().stylesheets
    for name in ("print.css", "ebook.css"):
        assert "hyphens: auto" not in (BUILTIN / "styles" / name).read_text(encoding="utf-8")


def test_typography_shows_in_both_editions(sample_build) -> None:
    with zipfile.ZipFile(sample_build.epub) as epub:
        chapter = epub.read("EPUB/03-cao-toc-vinh-long-tra-vinh.xhtml").decode()
    assert "Vĩnh Long\u00a0– Trà Vinh" in chapter  # spaced hyphen -> NBSP + en dash
    assert "“căn bệnh chung”" in chapter and '"căn' not in chapter
    assert "62,4\u00a0km" in chapter and "11.860\u00a0tỷ\u00a0đồng" in chapter
    assert "TP.\u00a0Trà Vinh" in chapter
    text = "".join(p.extract_text() for p in PdfReader(sample_build.pdf).pages)
    assert "“căn bệnh chung”" in text
    assert "Thứ Sáu, 24/11/2023 20:39" in unicodedata.normalize("NFC", text).replace("\xa0", " ")


def test_tone_style_new_converts_everything(tmp_path: Path) -> None:
    root = write_bulletin(tmp_path, toml_extra='[typography]\ntone_style = "new"\n')
    article = root / "articles" / "01-mot.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "tổ chức tọa đàm", "tổ chức tọa đàm về hòa bình, sức khỏe và thủy lợi; quý"
        ),
        encoding="utf-8",
    )
    report = build(root, tmp_path / "out", ["epub"])
    with zipfile.ZipFile(report.outputs[0].path) as epub:
        chapter = epub.read("EPUB/01-mot.xhtml").decode()
        contents = epub.read("EPUB/contents.xhtml").decode()
    assert "toạ đàm về hoà bình, sức khoẻ và thuỷ lợi; quý" in chapter
    assert "Thư toà soạn" in contents  # template labels follow the house style too


def test_mixed_tone_styles_and_mojibake_are_reported_with_positions(tmp_path: Path) -> None:
    root = write_bulletin(tmp_path)
    article = root / "articles" / "02-hai.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "Phát biểu tại buổi lễ",
            "Hội nghị bàn về tiÕng ViÖt và hoà bình. Phát biểu tại buổi lễ",
        ),
        encoding="utf-8",
    )
    from exporter import validate

    warnings = [str(w) for w in validate(root)]
    assert any(w.startswith("bulletin: tone style: mixes old-style") for w in warnings)
    assert (
        'articles/02-hai.md:16:17: body: repaired TCVN3 mojibake "tiÕng ViÖt" -> "tiếng Việt"'
        in warnings
    )
    report = build(root, tmp_path / "out", ["epub"])
    with zipfile.ZipFile(report.outputs[0].path) as epub:
        assert "tiếng Việt" in epub.read("EPUB/02-hai.xhtml").decode()
    from typer.testing import CliRunner

    from exporter.cli import app

    result = CliRunner().invoke(app, ["build", str(root), "-o", str(tmp_path / "s"), "--strict"])
    assert result.exit_code == 3
    assert not (tmp_path / "s").exists()
