"""exporter catalog: the archive's download page and OPDS feed, read back and opened in Chromium."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import shutil
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from typer.testing import CliRunner

from exporter import build
from exporter.catalog import EmptyCatalogError, scan, write_catalog
from exporter.catalog.scan import parse_week
from exporter.catalog.site import file_size
from exporter.cli import app
from exporter.errors import UsageError
from exporter.source.models import default_identifier

from ..conftest import CHROMIUM_ARGS, EPOCH, write_bulletin

ATOM = "http://www.w3.org/2005/Atom"
DCTERMS = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"
NS = {"a": ATOM, "dcterms": DCTERMS}
PUBLICATION = "Bản tin Thử"
STEMS = ["ban-tin-thu-2023-so-47", "ban-tin-thu-2023-so-46", "ban-tin-thu-2023-so-45"]
WEEKS = {
    47: ("2023-11-20", "2023-11-26"),
    46: ("2023-11-13", "2023-11-19"),
    45: ("2023-11-06", "2023-11-12"),
}
BUILT_AT = "2023-11-24T00:00:00Z"  # conftest.EPOCH: the editions' dcterms:modified and /ModDate


def _bulletin(root: Path, issue: int) -> Path:
    folder = write_bulletin(root)
    toml = (folder / "bulletin.toml").read_text(encoding="utf-8")
    start, end = WEEKS[issue]
    toml = toml.replace("issue = 47", f"issue = {issue}").replace(
        "start = 2023-11-20, end = 2023-11-26", f"start = {start}, end = {end}"
    )
    (folder / "bulletin.toml").write_text(toml, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Issues 46 and 47 (PDF + EPUB), 45 (PDF only), a note and a corrupt EPUB."""
    src = tmp_path_factory.mktemp("bulletins")
    out = tmp_path_factory.mktemp("archive")
    for issue, formats in ((46, ["pdf", "epub"]), (45, ["pdf"]), (47, ["pdf", "epub"])):
        build(_bulletin(src / str(issue), issue), out, formats, source_date_epoch=EPOCH)
    (out / "notes.txt").write_text("ghi chú của tòa soạn\n", encoding="utf-8")
    (out / "x-2023-so-99.epub").write_bytes(b"PK\x03\x04 not really a zip")
    return out


@pytest.fixture(scope="module")
def site(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive catalogued (in a copy, so tests that rewrite it do not disturb others)."""
    out = tmp_path_factory.mktemp("site") / "archive"
    shutil.copytree(archive, out)
    write_catalog(out)
    return out


def _copy(archive: Path, tmp_path: Path) -> Path:
    out = tmp_path / "archive"
    shutil.copytree(archive, out)
    return out


# --- reading the archive -------------------------------------------------------------------


def test_scan_lists_the_good_issues_newest_first_and_says_what_it_skipped(archive: Path) -> None:
    skipped: list = []
    issues = scan(archive, skipped)
    assert [i.stem for i in issues] == STEMS
    assert [sorted(i.files) for i in issues] == [["epub", "pdf"], ["epub", "pdf"], ["pdf"]]
    reasons = {s.path.name: s.reason for s in skipped}
    assert set(reasons) == {"notes.txt", "x-2023-so-99.epub"}
    assert "unreadable EPUB" in reasons["x-2023-so-99.epub"]
    assert "not an issue" in reasons["notes.txt"]


def test_metadata_comes_from_the_epub_and_the_pdf(archive: Path) -> None:
    newest, _, pdf_only = scan(archive)
    assert newest.title == f"{PUBLICATION} – Số 47/2023"
    assert newest.publication == PUBLICATION
    assert newest.publisher == "Tòa soạn Thử"
    assert newest.creators == ["Xuân Hiếu"]
    assert newest.language == "vi"
    assert (str(newest.week_start), str(newest.week_end)) == WEEKS[47]
    assert newest.identifier == default_identifier(PUBLICATION, 2023, 47)
    assert newest.headlines[0] == "Bình Thuận tăng cường bảo vệ nền tảng"
    assert newest.cover_source == "epub"
    # Without an EPUB: the PDF's /Title, /Author, /Subject (the week), /ModDate and bookmarks;
    # the identifier is the one exporter gives the EPUB of that issue.
    assert pdf_only.title == f"{PUBLICATION} – Số 45/2023"
    assert pdf_only.creators == ["Xuân Hiếu"]
    assert (str(pdf_only.week_start), str(pdf_only.week_end)) == WEEKS[45]
    assert pdf_only.identifier == default_identifier(PUBLICATION, 2023, 45)
    assert pdf_only.updated.strftime("%Y-%m-%dT%H:%M:%SZ") == BUILT_AT
    assert "Ấn tượng Đầm Thị Nại" in pdf_only.headlines
    assert pdf_only.cover_source == "pdf"


def test_a_corrupt_epub_beside_a_good_pdf_leaves_the_issue_as_pdf(
    archive: Path, tmp_path: Path
) -> None:
    (tmp_path / "ban-tin-thu-2023-so-47.epub").write_bytes(b"\x00" * 100)
    shutil.copy(archive / "ban-tin-thu-2023-so-47.pdf", tmp_path)
    skipped: list = []
    [issue] = scan(tmp_path, skipped)
    assert list(issue.files) == ["pdf"] and issue.cover_source == "pdf"
    assert [s.path.name for s in skipped] == ["ban-tin-thu-2023-so-47.epub"]


def test_an_unreadable_cover_without_a_pdf_gets_a_drawn_card(archive: Path, tmp_path: Path) -> None:
    source = zipfile.ZipFile(archive / "ban-tin-thu-2023-so-46.epub")
    target = tmp_path / "ban-tin-thu-2023-so-46.epub"
    with zipfile.ZipFile(target, "w") as book:
        for info in source.infolist():
            data = source.read(info)
            book.writestr(info, b"not a picture" if info.filename.endswith("cover.jpg") else data)
    warnings: list[str] = []
    [issue] = scan(tmp_path, warnings=warnings)
    assert issue.cover_source == "placeholder" and issue.cover_size == (400, 600)
    assert warnings and "cover picture unreadable" in warnings[0]
    assert (str(issue.week_start), str(issue.week_end)) == WEEKS[46]  # the rest is still read
    report = write_catalog(tmp_path)
    again = scan(tmp_path)[0]
    assert again.cover == issue.cover  # drawn the same way every time
    assert "ban-tin-thu-2023-so-46.pdf" not in (tmp_path / "index.html").read_text("utf-8")
    assert report.issues[0].files.keys() == {"epub"}


@pytest.mark.parametrize(
    ("text", "week"),
    [
        ("Bìa Nhịp Tuần, số 47, tuần 20–26/11/2023", ("2023-11-20", "2023-11-26")),
        ("tuần 27/11–3/12/2023", ("2023-11-27", "2023-12-03")),
        ("Tuần 29/12/2023–4/1/2024", ("2023-12-29", "2024-01-04")),
        ("tuần 30–31/2/2023", None),
        ("số 47", None),
    ],
)
def test_the_week_is_read_back_from_what_exporter_prints(text: str, week: tuple | None) -> None:
    found = parse_week(text)
    assert (tuple(str(d) for d in found) if found else None) == week


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (1_334_858, "1,3\u00a0MB"),
        (1_475_007, "1,5\u00a0MB"),
        (850_123, "850\u00a0kB"),
        (9_960_000, "10\u00a0MB"),
        (12_345_678, "12\u00a0MB"),
        (999, "999\u00a0byte"),
    ],
)
def test_sizes_are_written_the_vietnamese_way(size: int, text: str) -> None:
    assert file_size(size) == text


# --- the files written ---------------------------------------------------------------------


def test_cover_thumbnails_are_small_jpegs(site: Path) -> None:
    for stem in STEMS:
        with Image.open(site / "covers" / f"{stem}.jpg") as image:
            assert image.format == "JPEG" and 0 < image.width <= 400, stem
            assert image.height > image.width  # a portrait page, not a placeholder strip


def _feed(folder: Path) -> etree._Element:
    return etree.parse(str(folder / "opds.xml")).getroot()


def test_the_feed_is_an_opds_acquisition_feed(site: Path) -> None:
    root = _feed(site)
    assert root.tag == f"{{{ATOM}}}feed"
    assert root.nsmap.get(None) == ATOM
    assert root.nsmap.get("dcterms") == DCTERMS
    assert OPDS in root.nsmap.values()
    assert (site / "opds.xml").read_bytes().startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert root.findtext("a:title", namespaces=NS) == f"{PUBLICATION} – Kho lưu trữ"
    assert root.findtext("a:id", namespaces=NS).startswith("urn:uuid:")
    assert root.findtext("a:author/a:name", namespaces=NS) == "Tòa soạn Thử"
    links = {link.get("rel"): link for link in root.findall("a:link", NS)}
    for rel in ("self", "start"):
        assert links[rel].get("type") == ACQUISITION_FEED
        assert links[rel].get("href") == "opds.xml"
    assert links["alternate"].get("type") == "text/html"
    assert (site / links["alternate"].get("href")).is_file()
    # Never "now": the newest issue's date (its dcterms:modified).
    assert root.findtext("a:updated", namespaces=NS) == BUILT_AT


def test_the_feed_has_one_entry_per_issue_with_links_that_exist(site: Path) -> None:
    entries = _feed(site).findall("a:entry", NS)
    assert [e.findtext("a:title", namespaces=NS) for e in entries] == [
        f"{PUBLICATION} – Số {n}/2023" for n in (47, 46, 45)
    ]
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert len(set(ids)) == 3 and all(i.startswith("urn:uuid:") for i in ids)
    for entry, stem, number in zip(entries, STEMS, (47, 46, 45), strict=True):
        assert entry.findtext("dcterms:language", namespaces=NS) == "vi"
        assert entry.findtext("dcterms:issued", namespaces=NS) == WEEKS[number][1]
        assert entry.findtext("a:updated", namespaces=NS) == BUILT_AT
        assert entry.findtext("a:author/a:name", namespaces=NS) == "Xuân Hiếu"
        assert f"số {number}" in entry.findtext("a:summary", namespaces=NS)
        links = entry.findall("a:link", NS)
        acquisitions = {
            link.get("type"): link
            for link in links
            if link.get("rel") == "http://opds-spec.org/acquisition"
        }
        assert acquisitions and set(acquisitions) <= {"application/epub+zip", "application/pdf"}
        for media_type, link in acquisitions.items():
            target = site / link.get("href")
            assert target.is_file() and target.name.startswith(stem), link.get("href")
            assert int(link.get("length")) == target.stat().st_size
            assert target.suffix == {"application/pdf": ".pdf"}.get(media_type, ".epub")
        for rel in ("http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"):
            [image] = [link for link in links if link.get("rel") == rel]
            assert image.get("type") == "image/jpeg"
            assert (site / image.get("href")).is_file()
    assert "application/epub+zip" not in {
        link.get("type") for link in entries[2].findall("a:link", NS)
    }


def test_base_url_makes_the_feed_links_absolute(archive: Path, tmp_path: Path) -> None:
    out = _copy(archive, tmp_path)
    write_catalog(out, base_url="https://bao.example.vn/luu-tru")
    root = _feed(out)
    hrefs = [link.get("href") for link in root.iter(f"{{{ATOM}}}link")]
    assert all(h.startswith("https://bao.example.vn/luu-tru/") for h in hrefs), hrefs
    assert "https://bao.example.vn/luu-tru/opds.xml" in (out / "index.html").read_text("utf-8")
    assert 'href="ban-tin-thu-2023-so-47.pdf"' in (out / "index.html").read_text("utf-8")
    with pytest.raises(UsageError):
        write_catalog(out, base_url="ftp://bao.example.vn/")


def _digests(folder: Path) -> dict[str, str]:
    names = ["index.html", "opds.xml", *(f"covers/{s}.jpg" for s in STEMS)]
    names += [f"fonts/{p.name}" for p in (folder / "fonts").iterdir()]
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def test_two_runs_give_the_same_bytes(site: Path, archive: Path, tmp_path: Path) -> None:
    before = _digests(site)
    report = write_catalog(site)
    assert _digests(site) == before
    assert report.written == [] and len(report.unchanged) == len(before)
    other = _copy(archive, tmp_path)  # another folder, another day: still the same bytes
    write_catalog(other)
    assert _digests(other) == before


def test_source_date_epoch_dates_the_feed(archive: Path, tmp_path: Path) -> None:
    out = _copy(archive, tmp_path)
    write_catalog(out, source_date_epoch="1704067200")
    assert _feed(out).findtext("a:updated", namespaces=NS) == "2024-01-01T00:00:00Z"
    assert 'datetime="2024-01-01"' in (out / "index.html").read_text("utf-8")


def test_the_page_is_vietnamese_accessible_and_well_formed(site: Path) -> None:
    from tinyhtml5.parser import HTMLParser  # WeasyPrint's HTML5 parser: reports parse errors

    html = (site / "index.html").read_text("utf-8")
    parser = HTMLParser(namespace_html_elements=False)
    doc = parser.parse(html)
    assert parser.errors == []
    assert html.startswith('<!DOCTYPE html>\n<html lang="vi">')
    assert doc.findtext(".//title") == f"{PUBLICATION} – Kho lưu trữ"
    assert "".join(doc.find(".//h1").itertext()).split() == f"{PUBLICATION} – Kho lưu trữ".split()
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert [img.get("alt") for img in doc.iter("img")] == [
        f"Bìa {PUBLICATION} số {n}" for n in (47, 46, 45)
    ]
    headings = ["".join(h.itertext()) for h in doc.iter("h3")]
    assert headings[0] == "Số 47 · Tuần 20–26/11/2023"
    links = {a.get("href"): " ".join("".join(a.itertext()).split()) for a in doc.iter("a")}
    assert links["ban-tin-thu-2023-so-47.pdf"].startswith(f"Tải PDF {PUBLICATION} số 47 (")
    assert links["ban-tin-thu-2023-so-47.epub"].startswith(f"Tải EPUB {PUBLICATION} số 47 (")
    assert links["ban-tin-thu-2023-so-47.pdf"].endswith(" kB)")  # 39 kB: a tiny bulletin
    assert "opds.xml" in links
    assert "<script" not in html and "http://" not in html and "https://" not in html


def test_a_theme_restyles_the_page(archive: Path, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "styles").mkdir(parents=True)
    (theme / "styles" / "catalog.css").write_text("body { color: #003366; }\n", "utf-8")
    out = _copy(archive, tmp_path)
    write_catalog(out, theme_dirs=[theme])
    assert "body { color: #003366; }" in (out / "index.html").read_text("utf-8")


# --- command line --------------------------------------------------------------------------


def test_cli_writes_the_site_and_lists_what_it_skipped(archive: Path, tmp_path: Path) -> None:
    out = _copy(archive, tmp_path)
    result = CliRunner().invoke(app, ["catalog", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'index.html'}" in result.stdout
    assert f"wrote {out / 'opds.xml'}" in result.stdout
    assert "3 issue(s) catalogued" in result.stdout
    assert "skipped x-2023-so-99.epub: unreadable EPUB" in result.stderr
    assert "skipped notes.txt" in result.stderr


def test_cli_exit_codes(tmp_path: Path, archive: Path) -> None:
    runner = CliRunner()
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "a-2023-so-01.pdf").write_bytes(b"%PDF-1.7 broken")
    result = runner.invoke(app, ["catalog", str(tmp_path / "empty")])
    assert result.exit_code == 3, result.output
    assert "skipped a-2023-so-01.pdf" in result.stderr and "no issue" in result.stderr
    assert not (tmp_path / "empty" / "index.html").exists()
    assert runner.invoke(app, ["catalog", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(app, ["catalog"]).exit_code == 2
    out = _copy(archive, tmp_path)
    assert runner.invoke(app, ["catalog", str(out), "--base-url", "bao.vn"]).exit_code == 2
    (out / "covers").write_text("a file where the covers folder goes", "utf-8")
    result = runner.invoke(app, ["catalog", str(out)])
    assert result.exit_code == 1 and "could not write" in result.stderr
    assert not (out / "index.html").exists()  # never a page linking to missing covers


def test_library_raises_on_an_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(EmptyCatalogError) as caught:
        write_catalog(tmp_path)
    assert caught.value.exit_code == 3


# --- in a browser --------------------------------------------------------------------------


@dataclass
class Server:
    url: str


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[Server]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


def test_the_page_in_chromium(served: Server) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("the catalogue's browser test needs Chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            columns = {}
            for width in (360, 1280):
                columns[width] = _check_page(browser, served.url, width)
        finally:
            browser.close()
    assert columns[360] == 1
    assert columns[1280] > 1


def _check_page(browser, base: str, width: int) -> int:  # noqa: ANN001 - a Playwright Browser
    """Load index.html at ``width``; check errors, links, images, order. Columns in the grid."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on(
        "response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None
    )
    page.goto(base + "index.html", wait_until="load")

    assert page.evaluate("document.documentElement.lang") == "vi"
    for image in page.locator("img").all():  # lazy covers load when scrolled to
        image.scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=10_000)
    broken = page.evaluate(
        "[...document.images].filter(i => !(i.naturalWidth > 0)).map(i => i.src)"
    )
    assert broken == [], broken
    assert page.evaluate("document.fonts.status") == "loaded"
    fonts = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').length")
    assert fonts >= 2  # the bundled faces, not a fallback

    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert any(h.endswith("/opds.xml") for h in hrefs)
    for href in dict.fromkeys(hrefs):
        assert href.startswith(base), href
        response = page.request.get(href)
        assert response.status == 200, href
    feed = page.request.get(base + "opds.xml").body()
    assert etree.parse(io.BytesIO(feed)).getroot().tag == f"{{{ATOM}}}feed"

    cards = page.locator("li.issue")
    order = cards.evaluate_all("cards => cards.map(c => c.id)")
    assert order == STEMS
    lefts = cards.evaluate_all("cards => cards.map(c => Math.round(c.getBoundingClientRect().x))")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"horizontal scrolling at {width} px"
    assert problems == [], problems
    page.close()
    return len(set(lefts))


def test_the_printers_booklet_is_left_out_quietly(archive: Path, tmp_path: Path) -> None:
    out = _copy(archive, tmp_path)
    pdf = next(out.glob("*-so-47.pdf"))
    shutil.copy(pdf, pdf.with_name(pdf.stem + "-booklet.pdf"))
    skipped: list = []
    issues = scan(out, skipped)
    assert [i.stem for i in issues] == STEMS
    assert {s.path.name for s in skipped} == {"notes.txt", "x-2023-so-99.epub"}
