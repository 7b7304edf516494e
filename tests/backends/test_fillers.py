"""Fillers (issue 14, point 2): articles with ``filler: true`` are kept out of reading order and
placed after layout where an article or a section leaves a gap; the e-book has them after the
section they were printed in; the build report says where each went and which gaps remain.
Also the sample's page count for the printer (point 3) and the default section start (point 1),
measured with the fillers in."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from exporter import build
from exporter.backends.pdf.backend import PdfBackend
from exporter.backends.pdf.fillers import pool_of
from exporter.backends.pdf.parts import split
from exporter.pipeline import prepare
from exporter.render.pages import render
from exporter.render.theme import Theme
from exporter.source.models import PdfOptions

from ..conftest import EPOCH, NS, ROOT, SAMPLE, page_text, sample_with_pdf

FILLERS = [
    "11-dinh-chinh",
    "12-thoi-tiet-cuoi-tuan",
    "13-cuoc-thi-anh",
    "14-hop-thu-ban-doc",
    "15-lich-phat-hanh",
    "16-tin-van-trong-tuan",
]


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def own_pages(layout: dict) -> list[dict]:
    """The issue's own pages: not those that pad it for the printer."""
    return [p for p in layout["pages"] if p["section"] != "padding"]


def short_pages(layout: dict, below: float = 0.6) -> list[int]:
    """Pages under ``below`` full, but the issue's last own page."""
    return [p["number"] for p in own_pages(layout)[:-1] if p["fill"] < below]


def add_filler(root: Path, name: str, text: str, section: str = "Thể thao") -> None:
    (root / "articles" / name).write_text(text, encoding="utf-8")
    toml = (root / "bulletin.toml").read_text(encoding="utf-8")
    head, rest = toml.split(f'title = "{section}"\narticles = [', 1)
    toml = f'{head}title = "{section}"\narticles = [\n    "articles/{name}",{rest}'
    (root / "bulletin.toml").write_text(toml, encoding="utf-8")


FILLER = """---
title: "{title}"
filler: true
published: "2023-11-24 09:00"
---

{body}
"""


# ---- out of reading order ------------------------------------------------------------------


def test_fillers_are_out_of_the_flow_and_out_of_the_contents() -> None:
    bulletin = prepare(SAMPLE, [])
    assert sorted(a.slug for a in bulletin.fillers) == FILLERS
    assert all(not a.filler for a in bulletin.without_fillers().articles)
    html = render(bulletin, Theme(), PdfBackend(), EPOCH).page("bulletin").html
    assert [f.slug for f in pool_of(html)] == [a.slug for a in bulletin.fillers]
    parts = split(html)
    assert parts is not None
    for slug in FILLERS:
        assert all(f'id="{slug}"' not in part.html for part in parts)  # placed after layout
    contents = next(p for p in parts if "contents-page" in p.html).html
    assert "Đính chính" not in contents and "Tin vắn trong tuần" not in contents


# ---- the sample as shipped -----------------------------------------------------------------


def test_the_sample_has_no_short_page_and_a_page_count_for_the_printer(sample_build) -> None:
    report = sample_build.report.as_dict()
    layout = report["layout"]
    assert PdfOptions.model_validate({"page_multiple": 4}).page_multiple == 4
    assert layout["page_count"] == len(PdfReader(sample_build.pdf).pages) == 20
    assert layout["page_count"] % 4 == 0 and layout["pages_added"] == 1
    assert short_pages(layout) == []  # no page but the last under 60 %
    # ...not even the index, the last page before the "Ghi chú" page that pads the issue
    assert [p["number"] for p in layout["pages"][:-1] if p["fill"] < 0.6] == []
    assert short_pages(layout, 0.2) == []
    placed = report["fillers"]["placed"]
    assert sorted(p["filler"] for p in placed) == FILLERS and report["fillers"]["left"] == []


def test_every_filler_is_printed_where_the_report_says(sample_build) -> None:
    sections = {s.slug: s.title for s in prepare(SAMPLE, []).sections}
    for placed in sample_build.report.as_dict()["fillers"]["placed"]:
        text = page_text(sample_build.pdf, placed["page"])
        assert squashed(placed["title"]) in squashed(text), placed
        # On a page of the section it went to, under that section's running head.
        assert placed["section"] == sections[placed["after"]]
        head = rf"NHỊP TUẦN\s+{re.escape(placed['section'].upper())}"
        assert re.search(head, text), placed
    lines = sample_build.report.fillers_lines
    assert any(re.fullmatch(r'filler "Đính chính" on page \d+ \(.+\)', line) for line in lines)
    assert all(" lines left on page " in line for line in lines if line.startswith("gap"))


def test_the_e_book_has_each_filler_after_the_section_it_was_printed_in(sample_build) -> None:
    with zipfile.ZipFile(sample_build.epub) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    by_section = {
        li.findtext("x:span", namespaces=NS): [
            a.get("href").removesuffix(".xhtml") for a in li.iterfind("x:ol/x:li/x:a", NS)
        ]
        for li in toc.findall("x:ol/x:li", NS)
    }
    fillers = set(FILLERS)
    for placed in sample_build.report.as_dict()["fillers"]["placed"]:
        listed = by_section[placed["section"]]
        assert placed["filler"] in listed
        after = listed[listed.index(placed["filler"]) :]
        assert set(after) <= fillers  # after every article of the section


def test_an_e_book_alone_has_each_filler_after_its_own_section(tmp_path: Path) -> None:
    report = build(SAMPLE, tmp_path, ["epub"], source_date_epoch=EPOCH)
    assert report.fillers is None  # placed by the print edition only
    bulletin = prepare(SAMPLE, [])
    expected = [a.slug for a in bulletin.with_fillers_after().articles]
    with zipfile.ZipFile(report.outputs[0].path) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    links = [a.get("href") for a in toc.iterfind("x:ol/x:li/x:ol/x:li/x:a", NS)]
    assert links == [f"{slug}.xhtml" for slug in expected]
    kinh_te = expected[expected.index("03-cao-toc-vinh-long-tra-vinh") :][:3]
    assert kinh_te == ["03-cao-toc-vinh-long-tra-vinh", "04-gao-dac-san", "11-dinh-chinh"]


def test_the_same_bytes_with_one_worker_and_two_and_the_same_places_in_one_process() -> None:
    bulletin = prepare(SAMPLE, [])
    pdfs, reports = {}, {}
    for workers in (1, 2):
        backend = PdfBackend(workers=workers)
        pdfs[workers] = backend.build(render(bulletin, Theme(), backend, EPOCH))
        reports[workers] = backend.fillers_report
    assert pdfs[1] == pdfs[2]
    ua = bulletin.model_copy(
        update={"pdf": bulletin.pdf.model_copy(update={"variant": "pdf/ua-1"})}
    )
    one = PdfBackend()
    data = one.build(render(ua, Theme(), one, EPOCH))
    assert not one.parts_report  # laid out in one process, placed alike
    assert one.fillers_report.placed == reports[2].placed
    assert one.fillers_placed == {p["filler"]: p["after"] for p in reports[2].placed}
    assert len(PdfReader(io.BytesIO(data)).pages) == 20


# ---- what cannot be placed, and the editor's settings -------------------------------------


def test_a_filler_too_long_or_with_footnotes_is_left_and_the_report_says_why(
    tmp_path: Path,
) -> None:
    root = sample_with_pdf(tmp_path / "b", "")
    long_body = "\n\n".join(
        "Đoạn văn dài của một bài không thể làm bài lót: " + "chữ " * 120 for _ in range(30)
    )
    add_filler(root, "20-qua-dai.md", FILLER.format(title="Bài quá dài", body=long_body))
    add_filler(
        root,
        "21-chu-thich.md",
        FILLER.format(title="Tin có chú thích", body="Một tin ngắn[^1].\n\n[^1]: Chú thích."),
    )
    report = build(root, tmp_path / "out", ["pdf"], source_date_epoch=EPOCH).as_dict()
    left = {item["filler"]: item["why"] for item in report["fillers"]["left"]}
    assert left["20-qua-dai"] == "it is longer than a page"
    assert left["21-chu-thich"].startswith("it has footnotes")
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "out" / "nhip-tuan-2023-so-47.pdf"), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "Bài quá dài" not in text and "Tin có chú thích" not in text


def test_no_gap_is_large_enough_for_sixty_lines(tmp_path: Path) -> None:
    root = sample_with_pdf(tmp_path / "b", "filler_gap_lines = 60")
    report = build(root, tmp_path / "out", ["pdf"], source_date_epoch=EPOCH).as_dict()
    assert report["fillers"]["placed"] == [] and report["fillers"]["gaps"] == []
    assert {item["why"] for item in report["fillers"]["left"]} == {"no gap is large enough"}


def test_a_house_advertisement_picture_is_placed_as_a_filler(tmp_path: Path) -> None:
    root = sample_with_pdf(tmp_path / "b", "", fillers=False)
    Image.new("RGB", (1200, 500), (179, 38, 30)).save(root / "articles/images/quang-cao.jpg")
    ad = """---
title: "Đặt mua Nhịp Tuần dài hạn"
filler: true
kicker: "Quảng cáo"
published: "2023-11-24 09:00"
figures:
  - file: images/quang-cao.jpg
    alt: "Quảng cáo đặt mua báo Nhịp Tuần dài hạn, nền đỏ"
---
"""
    add_filler(root, "30-quang-cao.md", ad, section="Kinh tế")
    report = build(root, tmp_path / "out", ["pdf", "epub"], source_date_epoch=EPOCH).as_dict()
    (placed,) = report["fillers"]["placed"]
    assert placed["filler"] == "30-quang-cao"
    pdf = PdfReader(tmp_path / "out" / "nhip-tuan-2023-so-47.pdf")
    page = pdf.pages[placed["page"] - 1]
    assert any(image.image.size == (1200, 500) for image in page.images)


def test_pad_with_the_fillers_no_gap_took(tmp_path: Path) -> None:
    lines = 'section_start = "flow"\npage_multiple = 4\npad = "fillers"'
    root = sample_with_pdf(tmp_path / "b", lines)
    report = build(root, tmp_path / "out", ["pdf"], source_date_epoch=EPOCH).as_dict()
    layout, fillers = report["layout"], report["fillers"]
    assert layout["page_count"] % 4 == 0 and layout["pages_added"] >= 1
    padded = [p for p in fillers["placed"] if p["section"] == "padding"]
    assert padded and not fillers["left"]  # what no gap took pads the issue
    pdf = tmp_path / "out" / "nhip-tuan-2023-so-47.pdf"
    for item in padded:
        assert item["page"] > layout["page_count"] - layout["pages_added"]
        assert squashed(item["title"]) in squashed(page_text(pdf, item["page"]))


# ---- point 1: the default section start, measured on the sample with its fillers -------


def test_the_default_section_start_leaves_no_more_short_pages_than_flow(
    sample_build, tmp_path: Path
) -> None:
    assert PdfOptions().section_start == "page"
    root = sample_with_pdf(tmp_path / "b", 'section_start = "flow"\npage_multiple = 4')
    flow = build(root, tmp_path / "out", ["pdf"], source_date_epoch=EPOCH).as_dict()
    page = sample_build.report.as_dict()
    assert len(short_pages(page["layout"])) <= len(short_pages(flow["layout"]))
    # Flow places fewer of the fillers: sections that share pages leave fewer gaps.
    assert len(page["fillers"]["placed"]) >= len(flow["fillers"]["placed"])


# ---- point 4 on a benchmark bulletin: no tail of an article under 20 % --------------------


def test_no_article_tail_under_a_fifth_of_a_page_on_a_benchmark_bulletin(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from yardstick import cms_bulletin

    folder = cms_bulletin(tmp_path / "b", 16, fillers=8)
    report = build(folder, tmp_path / "out", ["pdf"], source_date_epoch=EPOCH).as_dict()
    assert short_pages(report["layout"], 0.2) == []
    assert len(report["fillers"]["placed"]) >= 4


@pytest.mark.parametrize("value", ["fillers", "notes", "blank"])
def test_every_pad_kind_is_accepted(value: str) -> None:
    assert PdfOptions.model_validate({"pad": value}).pad == value


# ---- the editor's desk: importing a filler --------------------------------------------------


def test_import_into_a_bulletin_as_a_filler(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from exporter.cli import app
    from exporter.source.load import load_bulletin

    folder = tmp_path / "tuan-47"
    shutil.copytree(SAMPLE, folder)
    page = ROOT / "tests" / "importer" / "data" / "import" / "binh-thuan-onecms.txt"
    args = ["import", str(page), "--into", str(folder), "--filler", "--section", "Thể thao"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    bulletin = load_bulletin(folder)
    (added,) = [a for a in bulletin.articles if a.source.startswith("articles/17-")]
    assert added.filler and added.section == "Thể thao"
    assert "\nfiller: true\n" in (folder / added.source).read_text(encoding="utf-8")
    out = tmp_path / "plain"
    result = CliRunner().invoke(app, ["import", str(page), "-o", str(out), "--filler"])
    assert result.exit_code == 0, result.output
    (written,) = out.glob("*.md")
    assert "\nfiller: true\n" in written.read_text(encoding="utf-8")


def test_the_live_preview_places_the_fillers_as_the_build_does(sample_build) -> None:
    from exporter.desk.preview import Preview

    snapshot = Preview(SAMPLE).rebuild()
    assert snapshot.error is None and len(snapshot.pages) == 20
    notes = {page.number: page.notes for page in snapshot.pages}
    for placed in sample_build.report.as_dict()["fillers"]["placed"]:
        assert f'filler "{placed["title"]}"' in notes[placed["page"]]
    gaps = sample_build.report.as_dict()["fillers"]["gaps"]
    assert f"gap of {gaps[0]['lines']} lines left" in notes[gaps[0]["page"]]


def test_a_theme_laid_out_as_one_document_says_its_fillers_were_not_printed(
    tmp_path: Path,
) -> None:
    theme = tmp_path / "theme"
    (theme / "templates" / "pdf").mkdir(parents=True)
    (theme / "templates" / "pdf" / "bulletin.html").write_text(
        '{% extends "base.html" %}{% block body %}<div class="whole">'
        "{% for section in bulletin.sections %}{% for article in section.articles %}"
        '{% include "article.html" %}{% endfor %}{% endfor %}</div>'
        '<div class="filler-pool">{% for article in fillers %}{% include "article.html" %}'
        "{% endfor %}</div>{% endblock %}",
        encoding="utf-8",
    )
    report = build(SAMPLE, tmp_path / "out", ["pdf"], theme_dirs=[theme], source_date_epoch=EPOCH)
    assert report.fillers is None
    assert any("6 filler(s) not printed" in w for w in report.warnings), report.warnings
    text = subprocess.run(
        ["pdftotext", str(report.outputs[0].path), "-"], capture_output=True, text=True
    ).stdout
    assert "Đính chính" not in text


# ---- what an editor may get wrong -------------------------------------------------------------


def test_an_issue_of_fillers_only_is_refused_with_its_line(tmp_path: Path) -> None:
    from exporter import InputError
    from exporter.source.load import load_bulletin

    folder = tmp_path / "b"
    (folder / "articles").mkdir(parents=True)
    shutil.copy(SAMPLE / "articles" / "11-dinh-chinh.md", folder / "articles")
    (folder / "bulletin.toml").write_text(
        'publication = "Nhịp Tuần"\nissue = 48\nyear = 2023\n'
        "week = { start = 2023-11-27, end = 2023-12-03 }\n\n"
        '[[sections]]\ntitle = "Kinh tế"\narticles = ["articles/11-dinh-chinh.md"]\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_bulletin(folder)
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.startswith("bulletin.toml:6: sections: every article listed is a filler")
    assert not (tmp_path / "out").exists()


def test_a_filler_chosen_for_the_front_page_is_refused(tmp_path: Path) -> None:
    from exporter import InputError
    from exporter.source.load import load_bulletin

    folder = tmp_path / "b"
    shutil.copytree(SAMPLE, folder)
    toml = (folder / "bulletin.toml").read_text(encoding="utf-8")
    toml = toml.replace(
        'editor_note = """', 'lead = "articles/16-tin-van-trong-tuan.md"\neditor_note = """'
    )
    (folder / "bulletin.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_bulletin(folder)
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.startswith('bulletin.toml:7: lead: "articles/16-tin-van-trong-tuan.md" is a')
