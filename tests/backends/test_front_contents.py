"""Pages an editor would sign off (issue 14, point 4): the contents are printed once, the index
is set in as many columns as its entries need.

- A short issue (at most ``CONTENTS_ON_FRONT`` articles) carries its whole contents, with page
  numbers, on the front page in the teasers' place, and has no contents page, when they fit
  there beside the editor's note; otherwise (a longer issue, or too long a note) the front
  page shows teasers and the contents page the whole list.
- The index takes one column under 12 entries, two under 60, three from 60.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from exporter.backends.pdf.backend import PdfBackend
from exporter.backends.pdf.parts import split
from exporter.backends.pdf.print_images import for_print
from exporter.pipeline import build, prepare
from exporter.render.pages import CONTENTS_ON_FRONT, contents_on_front, render
from exporter.render.theme import Theme

from ..conftest import ARTICLE, EPOCH, SAMPLE, write_bulletin

# The sample's sections, by the number its article files start with.
SECTIONS = {
    "Thời sự": ("01", "02"),
    "Kinh tế": ("03", "04"),
    "Xã hội": ("05", "06"),
    "Văn hóa": ("07", "08"),
    "Thể thao": ("09",),
    "Khoa học - Công nghệ": ("10",),
}


def first_articles(root: Path, count: int, extra: str = "") -> Path:
    """The sample with its first ``count`` articles in their sections."""
    shutil.copytree(SAMPLE, root)
    toml = (root / "bulletin.toml").read_text(encoding="utf-8")
    head = toml[: toml.index("[[sections]]")].replace("[typography]", extra + "[typography]")
    head = re.sub(r"\[pdf\]\npage_multiple = 4\n", "", head)  # the sample's: not here
    files = sorted(p.name for p in (root / "articles").glob("*.md"))
    chosen = files[:count]
    sections = []
    for title, numbers in SECTIONS.items():
        names = [f"articles/{f}" for f in chosen if f[:2] in numbers]
        if names:
            sections.append(f'[[sections]]\ntitle = "{title}"\narticles = {json.dumps(names)}\n')
    for name in files[count:]:
        (root / "articles" / name).unlink()
    (root / "bulletin.toml").write_text(head + "\n".join(sections), encoding="utf-8")
    return root


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def bulletin_html(folder: Path) -> str:
    return render(prepare(folder, []), Theme(), PdfBackend(), EPOCH).page("bulletin").html


@pytest.fixture(scope="module")
def short(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six articles in three sections, the sample's editor's note: the contents fit."""
    return first_articles(tmp_path_factory.mktemp("short") / "b", 6)


@pytest.fixture(scope="module")
def wordy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight articles in four sections: short enough, but the contents do not fit beside the
    sample's long editor's note (the three teasers do)."""
    return first_articles(tmp_path_factory.mktemp("wordy") / "b", 8)


def built(folder: Path, out: Path) -> tuple[PdfReader, dict]:
    report = build(folder, out, formats=["pdf"], source_date_epoch=EPOCH)
    return PdfReader(report.outputs[0].path), report.as_dict()["layout"]


def test_the_rule_counts_articles() -> None:
    sample = prepare(SAMPLE, [])
    assert len(sample.articles) > CONTENTS_ON_FRONT == 8
    assert not contents_on_front(sample)
    html = bulletin_html(SAMPLE)
    assert "front-contents" not in html and 'class="contents-page"' in html


def test_a_short_issue_has_its_whole_contents_on_the_front_page(
    short: Path, tmp_path: Path
) -> None:
    reader, layout = built(short, tmp_path)
    kinds = [page["kind"] for page in layout["pages"]]
    assert kinds[0] == "front" and "contents" not in kinds and kinds[1] == "section"
    front = squashed(reader.pages[0].extract_text())
    assert "Mụclục" not in squashed(reader.pages[1].extract_text())
    destinations = {
        name: reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }
    bulletin = prepare(short, [])
    assert len(bulletin.articles) == 6
    for article in bulletin.articles:
        # Each title follows the number of the page it starts on.
        assert f"{destinations[article.slug]}{squashed(article.title)}" in front, article.title
    for section in bulletin.sections:
        assert squashed(section.title.upper()) in front
    assert "Đọctiếp" in front  # the lead story's own reference stays
    assert front.count("TRONGSỐNÀY") == 1


def test_a_contents_that_would_not_fit_goes_to_its_own_page(wordy: Path, tmp_path: Path) -> None:
    reader, layout = built(wordy, tmp_path)
    assert [page["kind"] for page in layout["pages"][:3]] == ["front", "contents", "section"]
    contents = squashed(reader.pages[1].extract_text())
    assert contents.startswith("Mụclục") or "Mụclục" in contents[:40]
    front = squashed(reader.pages[0].extract_text())
    assert front.count("Đọctiếp") == 4  # the lead and three teasers, no list
    bulletin = prepare(wordy, [])
    assert len(bulletin.articles) == CONTENTS_ON_FRONT and contents_on_front(bulletin)
    for article in bulletin.articles:
        assert squashed(article.title) in contents


@pytest.mark.parametrize("name", ["short", "wordy"])
def test_workers_and_one_process_choose_alike(name: str, request: pytest.FixtureRequest) -> None:
    folder = request.getfixturevalue(name)
    bulletin = prepare(folder, [])
    pdfs = {}
    for count in (1, 2):
        backend = PdfBackend(workers=count)
        pdfs[count] = backend.build(render(bulletin, Theme(), backend, EPOCH))
    assert pdfs[1] == pdfs[2]
    joined = PdfBackend()
    rendition = render(bulletin, Theme(), joined, EPOCH)
    rendition = replace(rendition, assets=for_print(bulletin, rendition.assets)[0])
    document = joined.layout(rendition)
    reader = PdfReader(io.BytesIO(pdfs[2]))
    assert len(document.pages) == len(reader.pages)
    first = [squashed(p.extract_text()) for p in reader.pages[:2]]
    assert ("Mụclục" in first[1]) == (name == "wordy")


def test_the_parts_offer_both_front_pages(short: Path) -> None:
    parts = split(bulletin_html(short))
    assert parts is not None and parts[0].alternative is not None
    on_front = lxml_html.document_fromstring(parts[0].html).find("body")
    separate = lxml_html.document_fromstring(parts[0].alternative).find("body")
    assert [c.get("class") for c in on_front] == ["front-page"]
    assert [c.get("class") for c in separate] == ["front-page", "contents-page"]
    assert on_front.find_class("front-contents") and not on_front.find_class("front-teasers")
    assert separate.find_class("front-teasers") and not separate.find_class("front-contents")
    assert split(bulletin_html(SAMPLE))[0].alternative is None  # type: ignore[index]


def test_no_teasers_no_heading_for_them(tmp_path: Path) -> None:
    folder = first_articles(tmp_path / "b", 10, extra="teasers = []\n")
    root = lxml_html.document_fromstring(bulletin_html(folder))
    assert not root.find_class("front-teasers-title") and not root.find_class("front-teaser")


def _index_columns(folder: Path) -> str:
    root = lxml_html.document_fromstring(bulletin_html(folder))
    (body,) = root.find_class("index-body")
    return body.get("class")


def test_the_index_takes_the_columns_its_entries_need(tmp_path: Path) -> None:
    assert _index_columns(SAMPLE) == "index-body index-columns-2"  # 49 entries
    assert _index_columns(first_articles(tmp_path / "three", 3)) == "index-body index-columns-2"
    many = first_articles(tmp_path / "many", 2)
    article = next((many / "articles").glob("01-*.md"))
    tags = ", ".join(f'"chủ đề {n}"' for n in range(1, 71))
    text = re.sub(r"(?m)^tags: .*$", f"tags: [{tags}]", article.read_text(encoding="utf-8"))
    article.write_text(text, encoding="utf-8")
    assert _index_columns(many) == "index-body index-columns-3"  # 70 entries and more
    one = first_articles(tmp_path / "one", 1)
    assert _index_columns(one) == "index-body index-columns-1"
    # As printed: the index page's text lies in one column.
    reader, layout = built(one, tmp_path / "out")
    back = layout["pages"][-1]
    assert back["kind"] == "back" and back["columns"] == 1


def test_no_index_page_without_topics_or_authors(tmp_path: Path) -> None:
    text = ARTICLE.replace('authors: ["Xuân Hiếu"]\n', "")
    folder = write_bulletin(
        tmp_path / "b",
        {f"articles/0{n}.md": text.format(title=f"Bài số {n} trong tuần") for n in (1, 2, 3)},
    )
    html = bulletin_html(folder)
    assert "back-matter" not in html and "index-body" not in html
    parts = split(html)
    assert parts is not None and len(parts) == 3  # the front pages and two sections
    reader, layout = built(folder, tmp_path / "out")
    assert layout["pages"][-1]["kind"] == "section"
    assert "Chỉmục" not in squashed("".join(p.extract_text() for p in reader.pages))
