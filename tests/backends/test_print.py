"""The print edition as an editor and a printer see it: layout, furniture, geometry, variants."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from exporter import build
from exporter.backends.pdf.backend import PdfBackend
from exporter.pipeline import prepare
from exporter.render.pages import render
from exporter.render.theme import Theme
from exporter.source.load import load_bulletin
from exporter.vietnamese.normalize import normalize

from ..conftest import ARTICLE, SAMPLE, write_bulletin

MM = 72 / 25.4  # PDF points per millimetre
PX_MM = 96 / 25.4  # CSS pixels per millimetre


def layout(bulletin):
    return PdfBackend().layout(render(bulletin, Theme(), PdfBackend()))


def walk(document):
    """(page index, box, parent) for every box."""

    def visit(box, parent, page):
        yield page, box, parent
        for child in getattr(box, "children", None) or []:
            yield from visit(child, box, page)

    for index, page in enumerate(document.pages):
        yield from visit(page._page_box, None, index)


def classes(box) -> list[str]:
    return (
        (box.element.get("class") or "") if box is not None and box.element is not None else ""
    ).split()


@pytest.fixture(scope="module")
def sample():
    """The sample in reading order: its fillers are placed after layout, not listed."""
    return prepare(SAMPLE, []).without_fillers()


@pytest.fixture(scope="module")
def sample_layout(sample):
    return layout(sample)


@pytest.fixture(scope="module")
def reader(sample_build):
    return PdfReader(sample_build.pdf)


def page_texts(reader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def outline_pages(reader) -> dict[str, int]:
    pages = {}
    for item in reader.outline:
        for entry in item if isinstance(item, list) else [item]:
            pages[entry.title] = reader.get_destination_page_number(entry)
    return pages


# ---- front page, contents, sections -------------------------------------------------------


def test_front_page_has_masthead_note_and_lead_stories(reader, sample) -> None:
    front = page_texts(reader)[0]
    for text in ("Nhịp Tuần", "Số 47", "Năm 2023", "Tuần 20–26/11/2023", "THƯ TÒA SOẠN"):
        assert text in front
    squashed = re.sub(r"\s+", "", front)
    stories = [a for a in sample.articles if a.top_figure][:1] + [
        s.articles[0] for s in sample.sections[:3]
    ]
    for story in stories:
        assert re.sub(r"\s+", "", story.title) in squashed
    assert "Đọc tiếp – trang" in front
    assert "NHỊP TUẦN " not in front  # no running head on the front page


def test_contents_page_lists_every_article_with_its_page(reader, sample) -> None:
    contents = page_texts(reader)[1]
    assert contents.lstrip().startswith("Mục lục") and "NHỊP TUẦN MỤC LỤC" in contents
    where = outline_pages(reader)
    for article in sample.articles:
        start = re.escape(article.title[:25])
        match = re.search(start + r"[^\n]*?\.{3,}\s*(\d+)", contents.replace("\n", " "))
        assert match, article.title
        assert int(match.group(1)) == where[article.title] + 1, article.title


def test_internal_links_point_at_the_articles(sample_build, sample, reader) -> None:
    pdf = pikepdf.open(sample_build.pdf)
    where = outline_pages(reader)
    targets = []
    for annot in pdf.pages[1].get("/Annots", []):
        if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
            dest = annot.Dest
            if isinstance(dest, pikepdf.String | pikepdf.Name):
                dest = pdf.Root.Names.Dests
                continue
            targets.append(pdf.pages.index(dest[0]))
    if not targets:  # named destinations
        names = dict(_named_dests(pdf))
        for annot in pdf.pages[1].get("/Annots", []):
            if annot.get("/Subtype") == "/Link":
                name = str(annot.get("/Dest") or annot.get("/A", {}).get("/D"))
                targets.append(names[name])
    assert sorted(set(targets)) == sorted({where[a.title] for a in sample.articles})


def _named_dests(pdf):
    tree = pdf.Root.Names.Dests
    for node in [tree, *tree.get("/Kids", [])]:
        names = node.get("/Names", [])
        for i in range(0, len(names), 2):
            yield str(names[i]), pdf.pages.index(names[i + 1][0])


def test_each_section_opens_a_page(reader, sample) -> None:
    texts = page_texts(reader)
    where = outline_pages(reader)
    for section in sample.sections:
        page = where[section.title]
        first_lines = texts[page].split("\n")[:3]
        assert any(line.strip() == section.title for line in first_lines), section.title


def test_running_heads_and_folios(reader, sample) -> None:
    texts = page_texts(reader)
    sections = [s.title.upper() for s in sample.sections]
    for number, text in enumerate(texts, start=1):
        lines = text.rstrip().split("\n")  # WeasyPrint draws the page furniture last
        assert lines[-1] == f"Trang {number}", number
        if number > 1:
            head = lines[-2]
            assert head.startswith("NHỊP TUẦN "), (number, head)
            if number > 2:
                assert any(s in head for s in [*sections, "CHỈ MỤC", "GHI CHÚ"]), head


# ---- columns and spans ---------------------------------------------------------------------


def _body_columns(document) -> dict[int, set[float]]:
    """Page -> x positions of article-body paragraphs."""
    columns: dict[int, set[float]] = {}
    for page, box, parent in walk(document):
        if (
            isinstance(box, boxes.BlockBox)
            and box.element_tag == "p"
            and "article-body" in classes(parent)
        ):
            columns.setdefault(page, set()).add(round(box.position_x))
    return columns


def test_two_columns_on_a4_one_on_a5(sample, sample_layout, tmp_path: Path) -> None:
    a4 = _body_columns(sample_layout)
    assert max(len(x) for x in a4.values()) == 2 and sum(len(x) == 2 for x in a4.values()) >= 10
    a5 = sample.model_copy(update={"pdf": sample.pdf.model_copy(update={"page_size": "A5"})})
    assert {len(x) for x in _body_columns(layout(a5)).values()} == {1}


def test_headlines_and_wide_figures_span_both_columns(sample, sample_layout) -> None:
    options = sample.pdf
    text_width = (options.size_mm[0] - options.margins.inner - options.margins.outer) * PX_MM
    spans = {"headline": [], "figure-wide": [], "figure-top": [], "table": [], "figure": []}
    for _, box, _parent in walk(sample_layout):
        for name in spans:
            if name in classes(box) and isinstance(box, boxes.BlockBox):
                spans[name].append(box.border_width())
    for name in ("headline", "figure-wide", "figure-top"):
        assert spans[name] and all(abs(w - text_width) < 1 for w in spans[name]), name
    assert any(abs(w - text_width) < 1 for w in spans["table"])  # the 4-column table spans
    column_figures = [w for w in spans["figure"] if abs(w - text_width) > 1]
    assert all(w < text_width / 2 for w in column_figures)


def test_figures_are_never_split_and_captions_stay_with_them(sample_layout) -> None:
    pages: dict[int, set[int]] = {}
    for page, box, _ in walk(sample_layout):
        if "figure" in classes(box):
            pages.setdefault(id(box.element), set()).add(page)
    assert pages and all(len(p) == 1 for p in pages.values())


def test_headings_stay_with_their_paragraph(sample_layout) -> None:
    for page, box, parent in walk(sample_layout):
        if box.element_tag in ("h3", "h4") and "article-body" in classes(parent):
            siblings = parent.children
            following = siblings[siblings.index(box) + 1 :]
            assert following, f"heading {box.element_tag} ends a column on page {page + 1}"


def _lines(box) -> int:
    """Line boxes of a paragraph fragment (through anonymous blocks, not the drop cap)."""
    count = 0
    for child in box.children:
        if isinstance(child, boxes.LineBox):
            count += 1
        elif isinstance(child, boxes.BlockBox) and "drop-cap" not in classes(child):
            count += _lines(child)
    return count


def test_widows_and_orphans(sample_layout) -> None:
    fragments: dict[int, list[int]] = {}
    for _, box, parent in walk(sample_layout):
        if (
            isinstance(box, boxes.BlockBox)
            and box.element_tag == "p"
            and "article-body" in classes(parent)
        ):
            fragments.setdefault(id(box.element), []).append(_lines(box))
    split = [counts for counts in fragments.values() if len(counts) > 1]
    assert split, "no paragraph of the sample breaks across columns or pages"
    for counts in split:
        assert min(counts) >= 2, counts


def test_long_words_and_urls_never_overflow(tmp_path: Path) -> None:
    word = "Siêu" * 80
    text = ARTICLE.format(title="Tin") + (
        f"\nMột từ rất dài {word} ở giữa câu.\n\n"
        "Xem https://example.vn/" + "duong-dan-rat-dai/" * 12 + " để biết thêm.\n"
    )
    root = write_bulletin(tmp_path, {"articles/a.md": text, "articles/b.md": text})
    document = layout(normalize(load_bulletin(root)))
    checked = 0
    for _, box, parent in walk(document):
        if isinstance(box, boxes.BlockBox) and "article-body" in classes(parent):
            right = box.content_box_x() + box.width
            for line in box.children:
                if isinstance(line, boxes.LineBox):
                    for child in line.children:
                        assert child.position_x + child.margin_width() <= right + 0.5
                        checked += 1
    assert checked > 10


def test_pull_quote_table_and_footnote(sample_layout, reader) -> None:
    found = {"pull-quote": 0, "footnote": 0}
    for _, box, _ in walk(sample_layout):
        for name in found:
            if name in classes(box):
                found[name] += 1
    assert found["pull-quote"] >= 1 and found["footnote"] >= 1
    texts = page_texts(reader)
    page = next(i for i, t in enumerate(texts) if "ST25 là giống lúa thơm" in t)
    lines = texts[page].split("\n")
    note = next(i for i, line in enumerate(lines) if "ST25 là giống lúa thơm" in line)
    assert note >= len(lines) - 4, "the footnote is not at the foot of its page"
    assert "lúa ST25" in texts[page]  # the call is on the same page


# ---- geometry --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected_mm"),
    [
        ("A4", (210, 297)),
        ("A5", (148, 210)),
        ("Letter", (215.9, 279.4)),
        ("170mm 240mm", (170, 240)),
    ],
)
def test_page_sizes(bulletin_dir: Path, tmp_path: Path, size: str, expected_mm) -> None:
    report = build(bulletin_dir, tmp_path / "out", ["pdf"], pdf={"page_size": size})
    box = PdfReader(report.outputs[0].path).pages[0].mediabox
    assert abs(float(box.width) - expected_mm[0] * MM) < 0.5
    assert abs(float(box.height) - expected_mm[1] * MM) < 0.5


def test_custom_margins_from_bulletin_toml(tmp_path: Path) -> None:
    root = write_bulletin(
        tmp_path,
        toml_extra=("[pdf]\nmargins_mm = { top = 30, bottom = 25, inner = 25, outer = 12 }\n"),
    )
    bulletin = normalize(load_bulletin(root))
    document = layout(bulletin)
    first = next(box for page, box, _ in walk(document) if page == 0 and "masthead" in classes(box))
    assert abs(first.border_box_x() - 25 * PX_MM) < 1  # page 1 is a right-hand page
    assert abs(first.border_box_y() - 30 * PX_MM) < 1


def test_print_ready_has_bleed_crop_marks_and_resolution_warnings(
    bulletin_dir: Path, tmp_path: Path
) -> None:
    report = build(bulletin_dir, tmp_path / "out", ["pdf"], pdf={"print_ready": True})
    pdf = pikepdf.open(report.outputs[0].path)
    page = pdf.pages[0]
    trim = [float(v) for v in page.TrimBox]
    bleed = [float(v) for v in page.BleedBox]
    assert [round(t - b, 1) for t, b in zip(trim[:2], bleed[:2], strict=True)] == [8.5, 8.5]
    import pypdfium2

    rendered = pypdfium2.PdfDocument(str(report.outputs[0].path))
    image = rendered[0].render(scale=300 / 72).to_pil().convert("L")
    corner = image.crop((0, 0, round(3 * 300 / 25.4), round(3 * 300 / 25.4)))
    assert corner.getextrema()[0] < 100, "no crop marks in the bleed"
    assert any("printed at" in w and "below the 300 dpi" in w for w in report.warnings)


# ---- variants ------------------------------------------------------------------------------


def _struct_elements(node, found):
    if isinstance(node, pikepdf.Array):
        for child in node:
            _struct_elements(child, found)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        found.append(node)
        if "/K" in node:
            _struct_elements(node.K, found)


def test_pdf_ua_is_tagged_with_alt_texts(tmp_path: Path, sample) -> None:
    report = build(SAMPLE, tmp_path, ["pdf"], pdf={"variant": "pdf/ua-1"})
    pdf = pikepdf.open(report.outputs[0].path)
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "vi"
    assert str(pdf.docinfo.Title) == sample.title
    with pdf.open_metadata() as xmp:
        assert xmp.get("dc:title") == sample.title
        assert xmp.get("pdfuaid:part") == "1"
    elements = []
    _struct_elements(pdf.Root.StructTreeRoot.K, elements)
    kinds = {str(e.S) for e in elements}
    assert {"/H1", "/H2", "/P", "/Figure", "/L", "/Link", "/Caption"} <= kinds
    figures = [e for e in elements if e.S == "/Figure"]
    assert len(figures) >= 6
    alts = {str(f.Alt) for f in figures}
    assert all(alt.strip() for alt in alts)
    assert {f.alt for a in sample.articles for f in a.figures} <= alts
    headings = [str(e.S) for e in elements if str(e.S).startswith("/H")]
    assert headings.index("/H1") < len(headings)  # sections are H1, then headlines H2 …


def test_pdf_a_3b_archive(tmp_path: Path, sample) -> None:
    report = build(SAMPLE, tmp_path, ["pdf"], pdf={"variant": "pdf/a-3b"})
    pdf = pikepdf.open(report.outputs[0].path)
    assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
    with pdf.open_metadata() as xmp:
        assert xmp.get("pdfaid:part") == "3" and xmp.get("pdfaid:conformance") == "B"
        assert xmp.get("dc:title") == sample.title
    assert str(pdf.docinfo.Title) == sample.title and str(pdf.Root.Lang) == "vi"
    assert not pdf.is_encrypted


# ---- images and determinism ----------------------------------------------------------------


def test_large_pictures_are_downscaled_and_the_saving_reported(tmp_path: Path) -> None:
    text = ARTICLE.format(title="Tin").replace(
        "figures:", "figures:\n  - file: images/lon.jpg\n    alt: Ảnh lớn\n    wide: false"
    ) + ("\n![Ảnh trong cột](images/lon.jpg)\n")
    root = write_bulletin(tmp_path / "b", {"articles/a.md": text, "articles/b.md": text})
    big = root / "articles" / "images" / "lon.jpg"
    noise = Image.effect_noise((4000, 2500), 60).convert("RGB")
    noise.save(big, quality=92)
    before = hashlib.sha256(big.read_bytes()).hexdigest()
    report = build(root, tmp_path / "out", ["pdf"])
    stats = report.outputs[0].stats
    assert stats["images_saved_bytes"] > 0
    assert stats["images_embedded_bytes"] < stats["images_original_bytes"]
    assert hashlib.sha256(big.read_bytes()).hexdigest() == before  # the original is untouched
    pdf = pikepdf.open(report.outputs[0].path)
    widths = [int(x.Width) for page in pdf.pages for x in page.get_images().values()]
    assert max(widths) <= round((210 - 18 - 15) / 25.4 * 300) + 1  # text width at 300 dpi


def test_sample_pdf_is_reproducible(tmp_path: Path) -> None:
    one = build(SAMPLE, tmp_path / "a", ["pdf"], source_date_epoch="1700784000")
    two = build(SAMPLE, tmp_path / "b", ["pdf"], source_date_epoch="1700784000")
    assert one.outputs[0].path.read_bytes() == two.outputs[0].path.read_bytes()
    other = build(SAMPLE, tmp_path / "c", ["pdf"], source_date_epoch="1700870400")
    assert other.outputs[0].path.read_bytes() != one.outputs[0].path.read_bytes()
