"""The e-book edition: valid, accessible, small, reproducible, with the print page numbers."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from exporter import build
from exporter.render.theme import BUILTIN

from ..conftest import ARTICLE, NS, ROOT, SAMPLE, epubcheck, write_bulletin

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# epub:type values with a DPUB-ARIA role, and that role (what Ace checks).
ROLES = {
    "chapter": "doc-chapter",
    "cover": "doc-cover",
    "pagebreak": "doc-pagebreak",
    "noteref": "doc-noteref",
    "endnotes": "doc-endnotes",
    "pullquote": "doc-pullquote",
    "index": "doc-index",
    "toc": "doc-toc",
    "page-list": "doc-pagelist",
}


@pytest.fixture(scope="module")
def archive(sample_epub):
    return sample_epub


@pytest.fixture(scope="module")
def opf(sample_opf):
    return sample_opf


def _spine_documents(archive, opf) -> list[tuple[str, etree._Element]]:
    manifest = {i.get("id"): i.get("href") for i in opf.find("opf:manifest", NS)}
    hrefs = [manifest[r.get("idref")] for r in opf.find("opf:spine", NS)]
    return [(h, etree.fromstring(archive.read(f"EPUB/{h}"))) for h in hrefs]


# ---- validity ------------------------------------------------------------------------------


def test_epubcheck_only_reports_the_font_face_notes(sample_build) -> None:
    messages = epubcheck(sample_build.epub)
    assert not messages.get("FATAL") and not messages.get("ERROR")
    assert not messages.get("WARNING") and not messages.get("INFO")
    usage = messages.get("USAGE", [])
    # CSS-028 "Use of Font-face declaration" is noted for every @font-face, whatever it holds:
    # embedding fonts (which Vietnamese needs) cannot avoid it. Nothing else is reported.
    assert {m["ID"] for m in usage} <= {"CSS-028"}
    places = {loc["path"] for m in usage for loc in m["locations"]}
    assert places == {"EPUB/styles/common.css"}


# ---- accessibility -------------------------------------------------------------------------


def test_package_metadata_for_accessibility(opf) -> None:
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    metas: dict[str, list[str]] = {}
    for meta in opf.find("opf:metadata", NS).iterfind("opf:meta", NS):
        if meta.get("property"):
            metas.setdefault(meta.get("property"), []).append(meta.text)
    assert set(metas["schema:accessMode"]) == {"textual", "visual"}
    assert metas["schema:accessModeSufficient"] == ["textual"]
    assert set(metas["schema:accessibilityFeature"]) >= {
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "alternativeText",
        "displayTransformability",
        "pageNavigation",
        "printPageNumbers",
    }
    assert metas["schema:accessibilityHazard"] == ["none"]
    summary = metas["schema:accessibilitySummary"][0]
    assert "văn bản thay thế" in summary and "mục lục" in summary
    assert metas["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert metas["pageBreakSource"][0].endswith("bản in (PDF)")


def test_navigation_in_vietnamese_with_landmarks(archive) -> None:
    nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    assert toc.get("role") == "doc-toc" and toc.findtext("x:h2", namespaces=NS) == "Mục lục"
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    kinds = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iterfind(".//x:a", NS)}
    assert kinds["cover"] == "cover.xhtml" and kinds["toc"] == "contents.xhtml"
    assert kinds["bodymatter"].endswith(".xhtml") and kinds["index"] == "index.xhtml"
    assert landmarks.findtext("x:h2", namespaces=NS) == "Điểm mốc"


def test_epub_types_have_their_aria_roles(archive, opf) -> None:
    documents = _spine_documents(archive, opf) + [
        ("nav.xhtml", etree.fromstring(archive.read("EPUB/nav.xhtml")))
    ]
    seen = set()
    for href, root in documents:
        landmarks = set(root.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS))
        for element in root.iter():
            if element in landmarks:
                continue  # a landmark link names what it points to; it is not that thing
            for kind in (element.get(EPUB_TYPE) or "").split():
                if kind in ROLES:
                    seen.add(kind)
                    assert element.get("role") == ROLES[kind], (href, kind)
    assert {
        "chapter",
        "cover",
        "pagebreak",
        "noteref",
        "endnotes",
        "pullquote",
        "index",
        "toc",
        "page-list",
    } <= seen


def _ace() -> Path:
    path = Path(os.environ.get("ACE", ROOT / ".tools/ace/node_modules/.bin/ace-puppeteer"))
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    assert path.exists(), f"Ace by DAISY not found at {path}: run `make test` (it installs it)"
    assert chromium, "Ace needs Chromium: apt-get install chromium"
    return path


def test_ace_by_daisy_reports_no_violations(sample_build, tmp_path: Path) -> None:
    ace = _ace()
    env = {
        **os.environ,
        "PUPPETEER_EXECUTABLE_PATH": os.environ.get("PUPPETEER_EXECUTABLE_PATH")
        or shutil.which("chromium"),
    }
    result = subprocess.run(
        [
            str(ace),
            "--silent",
            "--force",
            "--outdir",
            str(tmp_path / "ace"),
            str(sample_build.epub),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    violations = [
        (a["earl:testSubject"]["url"], x["earl:test"]["dct:title"])
        for a in report["assertions"]
        for x in a["assertions"]
    ]
    assert violations == [], violations
    assert report["earl:result"]["earl:outcome"] == "pass", result.stderr


# ---- print page numbers ---------------------------------------------------------------------


def _heading_pages_in_epub(documents) -> dict[str, int]:
    """Article headline id -> the print page in force where it appears (reading order)."""
    current, pages = None, {}
    for _href, root in documents:
        for element in root.iter():
            if element.get(EPUB_TYPE) == "pagebreak":
                current = int(element.get("aria-label"))
            elif (element.get("class") or "") == "headline":
                pages[element.get("id")] = current
    return pages


def test_every_headline_is_on_the_page_the_pdf_prints_it(sample_build, archive, opf) -> None:
    reader = PdfReader(sample_build.pdf)
    printed = {}
    for item in reader.outline:
        for entry in item if isinstance(item, list) else []:
            printed[entry.title] = reader.get_destination_page_number(entry) + 1
    in_epub = _heading_pages_in_epub(_spine_documents(archive, opf))
    titles = {}
    for _href, root in _spine_documents(archive, opf):
        for element in root.iterfind(".//x:*[@class='headline']", NS):
            titles[element.get("id")] = "".join(element.itertext())
    assert len(in_epub) == len(printed) == 16  # ten articles and six fillers, all printed
    for headline_id, page in in_epub.items():
        assert page == printed[titles[headline_id]], titles[headline_id]


def test_page_list_and_markers(sample_build, archive, opf) -> None:
    nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
    page_list = nav.find(".//x:nav[@epub:type='page-list']", NS)
    entries = [(a.text, a.get("href")) for a in page_list.iterfind(".//x:a", NS)]
    pdf_pages = len(PdfReader(sample_build.pdf).pages)
    numbers = [int(label) for label, _ in entries]
    assert numbers == sorted(numbers) and len(numbers) >= pdf_pages - 1
    markers = {}
    for href, root in _spine_documents(archive, opf):
        for element in root.iter():
            if element.get(EPUB_TYPE) == "pagebreak":
                markers[f"{href}#{element.get('id')}"] = element
                assert element.get("aria-label") == element.get("id").removeprefix("trang-")
                assert len(element) == 0 and not (element.text or "").strip()
    assert {href for _, href in entries} == set(markers)
    assert not any("print page break" in w for w in sample_build.report.warnings)


def test_no_page_list_without_the_print_edition(bulletin_dir: Path, tmp_path: Path) -> None:
    report = build(bulletin_dir, tmp_path, ["epub"])
    with zipfile.ZipFile(report.outputs[0].path) as epub:
        assert "page-list" not in epub.read("EPUB/nav.xhtml").decode()
        assert "pageBreakSource" not in epub.read("EPUB/content.opf").decode()
        assert "pageNavigation" not in epub.read("EPUB/content.opf").decode()


# ---- small files ---------------------------------------------------------------------------


def test_fonts_are_subset_to_what_the_bulletin_uses(sample_build, archive, opf) -> None:
    text = "".join("".join(root.itertext()) for _, root in _spine_documents(archive, opf))
    used = {c for c in text if not c.isspace()}
    for href in [n for n in archive.namelist() if n.endswith(".ttf")]:
        data = archive.read(href)
        full = (BUILTIN / "styles/fonts" / Path(href).name).read_bytes()
        assert len(data) < len(full) / 3, href
        cmap = TTFont(io.BytesIO(data)).getBestCmap()
        assert not [c for c in used if ord(c) not in cmap], href
        assert ord("Ỗ") in cmap or "Ỗ" not in text
    stats = next(o.stats for o in sample_build.report.outputs if o.format == "epub")
    assert stats["fonts_subset_bytes"] < stats["fonts_original_bytes"] / 3
    size = sample_build.epub.stat().st_size
    assert stats["epub_bytes_without_subsetting"] > 2 * size


def test_big_pictures_are_scaled_for_screens(tmp_path: Path) -> None:
    text = ARTICLE.format(title="Tin").replace("images/anh.jpg", "images/lon.jpg")
    root = write_bulletin(tmp_path / "b", {"articles/a.md": text, "articles/b.md": text})
    Image.effect_noise((4000, 2600), 50).convert("RGB").save(
        root / "articles/images/lon.jpg", quality=92
    )
    report = build(root, tmp_path / "out", ["epub"])
    with zipfile.ZipFile(report.outputs[0].path) as epub:
        image = Image.open(io.BytesIO(epub.read("EPUB/images/lon.jpg")))
    assert max(image.size) == 1600
    stats = report.outputs[0].stats
    assert stats["images_screen_bytes"] < stats["images_original_bytes"]


def test_generated_cover_keeps_the_size_stores_ask_for(sample_build) -> None:
    with zipfile.ZipFile(sample_build.epub) as epub:
        cover = Image.open(io.BytesIO(epub.read("EPUB/images/cover.jpg")))
    assert cover.size == (1600, 2400)


def test_tall_pictures_fit_a_portrait_screen(tmp_path: Path) -> None:
    text = ARTICLE.format(title="Tin").replace("images/anh.jpg", "images/cao.jpg")
    root = write_bulletin(tmp_path / "b", {"articles/a.md": text, "articles/b.md": text})
    Image.effect_noise((1200, 3000), 50).convert("RGB").save(
        root / "articles/images/cao.jpg", quality=92
    )
    report = build(root, tmp_path / "out", ["epub"])
    with zipfile.ZipFile(report.outputs[0].path) as epub:
        image = Image.open(io.BytesIO(epub.read("EPUB/images/cao.jpg")))
    assert image.size == (1024, 2560)


# ---- reproducible and respectful of reader settings ---------------------------------------------


def test_sample_epub_is_byte_identical(tmp_path: Path, sample_build) -> None:
    again = build(SAMPLE, tmp_path, source_date_epoch="1700784000")
    epub = next(o.path for o in again.outputs if o.format == "epub")
    assert epub.read_bytes() == sample_build.epub.read_bytes()


def _rules(css: str) -> list[tuple[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@font-face\s*{[^}]*}", "", css)
    return re.findall(r"([^{}]+){([^}]*)}", css)


def test_reader_settings_win(archive) -> None:
    for name in ("EPUB/styles/common.css", "EPUB/styles/ebook.css"):
        css = archive.read(name).decode()
        assert "!important" not in css, name
        for selector, body in _rules(css):
            assert not re.search(r"(^|;)\s*color\s*:", body), (name, selector)
            assert not re.search(r"\d(px|pt|pc|mm|cm|in)\b", body), (name, selector)
            sets_font = re.search(r"font-family\s*:(?!\s*inherit)", body)
            if sets_font or "line-height" in body:
                assert selector.strip() == "body", (name, selector)
            for size in re.findall(r"font-size\s*:\s*([^;]+)", body):
                assert size.strip().endswith(("em", "%")), (name, selector, size)
