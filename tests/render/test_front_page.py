"""The front page is the editor's choice (``lead``, ``teasers`` in bulletin.toml), or the
default: the first story with a picture, then the first story of each other section."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from html import escape
from pathlib import Path

import pytest
from pypdf import PdfReader

from exporter import build, load_bulletin
from exporter.backends.epub.backend import EpubBackend
from exporter.render.pages import front_page, render
from exporter.render.theme import Theme
from exporter.vietnamese.normalize import normalize

from ..conftest import EPOCH, SAMPLE

LEAD = "articles/06-kham-tang-huyet-ap.md"
TEASERS = ["articles/09-bong-da-sinh-vien.md", "articles/03-cao-toc-vinh-long-tra-vinh.md"]


CHOICE = f'lead = "{LEAD}"\nteasers = {json.dumps(TEASERS)}'


def choose(folder: Path, lines: str) -> Path:
    """The sample's bulletin.toml with ``lines`` added before its first table."""
    text = (SAMPLE / "bulletin.toml").read_text(encoding="utf-8")
    (folder / "bulletin.toml").write_text(
        text.replace("[typography]", f"{lines}\n[typography]"), encoding="utf-8"
    )
    return folder


def slugs(front) -> tuple[str, list[str]]:
    return front.lead.slug, [a.slug for a in front.teasers]


def test_default_front_page_is_unchanged() -> None:
    # Thời sự's stories have no picture: Kinh tế's first is the lead.
    assert slugs(front_page(load_bulletin(SAMPLE))) == (
        "03-cao-toc-vinh-long-tra-vinh",
        ["01-quang-ngai-di-doi-dan", "05-co-giao-mu-cang-chai", "07-gom-bau-truc"],
    )


def test_a_chosen_lead_keeps_the_default_teasers(copy_sample: Path) -> None:
    bulletin = load_bulletin(choose(copy_sample, f'lead = "{LEAD}"'))
    # The first story of each section (Xã hội's too: the lead is its second).
    assert slugs(front_page(bulletin)) == (
        "06-kham-tang-huyet-ap",
        ["01-quang-ngai-di-doi-dan", "03-cao-toc-vinh-long-tra-vinh", "05-co-giao-mu-cang-chai"],
    )


def test_chosen_lead_and_teasers(copy_sample: Path) -> None:
    bulletin = load_bulletin(choose(copy_sample, CHOICE.replace('"articles/06', '"./articles/06')))
    assert slugs(front_page(bulletin)) == (
        "06-kham-tang-huyet-ap",
        ["09-bong-da-sinh-vien", "03-cao-toc-vinh-long-tra-vinh"],
    )
    none = load_bulletin(choose(copy_sample, "teasers = []"))
    assert front_page(none).teasers == ()


@pytest.fixture(scope="module")
def chosen_build(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("chosen") / "sample"
    shutil.copytree(SAMPLE, folder)
    choose(folder, CHOICE)
    report = build(folder, tmp_path_factory.mktemp("chosen-out"), source_date_epoch=EPOCH)
    return {o.format: o.path for o in report.outputs}, normalize(load_bulletin(folder))


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_front_page_shows_the_chosen_headline_first(chosen_build) -> None:
    outputs, bulletin = chosen_build
    front = _squashed(PdfReader(outputs["pdf"]).pages[0].extract_text())
    where = {a.slug: front.find(_squashed(a.title)) for a in bulletin.articles}
    shown = sorted((at, slug) for slug, at in where.items() if at >= 0)
    assert [slug for _, slug in shown] == [
        "06-kham-tang-huyet-ap",
        "09-bong-da-sinh-vien",
        "03-cao-toc-vinh-long-tra-vinh",
    ]


def _cover(epub: Path) -> bytes:
    with zipfile.ZipFile(epub) as archive:
        return archive.read("EPUB/images/cover.jpg")


def test_epub_cover_follows_the_chosen_lead(chosen_build, sample_build) -> None:
    outputs, _ = chosen_build
    assert _cover(outputs["epub"]) != _cover(sample_build.epub)


def test_cover_page_names_the_chosen_lead(copy_sample: Path) -> None:
    """The drawn cover's alt text says which story leads (it follows the editor's choice)."""
    bulletin = normalize(load_bulletin(choose(copy_sample, f'lead = "{LEAD}"')))
    rendition = render(bulletin, Theme(), EpubBackend())
    (cover,) = [p for p in rendition.pages if p.kind == "cover"]
    lead = next(a for a in bulletin.articles if a.source == LEAD)
    assert f'Bài chính: {escape(lead.title)}" epub:type' in cover.html
