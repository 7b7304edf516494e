"""The print edition laid out in parts on several processes and merged (issue 12).

The merged PDF is compared with the one-document build (the parts joined with
``Document.copy`` in one process, as PDF/A and PDF/UA are still made): the same bytes with one
worker and with two, the same text, outline, named destinations, links, page labels, metadata
and fonts, and about the same size. A part moved to its true start (refit.py) is compared byte
for byte with the same part laid out there directly.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from weasyprint import Document

from exporter.backends.epub import EpubBackend
from exporter.backends.epub.pagemap import print_page_breaks
from exporter.backends.pdf import press as press_module
from exporter.backends.pdf.backend import PdfBackend
from exporter.backends.pdf.capture import fixed_font_timestamps
from exporter.backends.pdf.parts import split
from exporter.backends.pdf.press import Lay, Press, Print
from exporter.backends.pdf.print_images import for_print
from exporter.errors import BuildError, SandboxError
from exporter.pipeline import build, prepare
from exporter.render.pages import render
from exporter.render.rendition import Rendition
from exporter.render.theme import Theme

from ..conftest import EPOCH, SAMPLE, outline

# Sections of one to three articles: their lengths, starts and sides all differ.
UNEVEN = {
    "Thời sự": [
        "01-quang-ngai-di-doi-dan",
        "02-mien-trung-mua-lon",
        "03-cao-toc-vinh-long-tra-vinh",
    ],
    "Kinh tế": ["04-gao-dac-san"],
    "Xã hội": ["05-co-giao-mu-cang-chai", "06-kham-tang-huyet-ap"],
    "Văn hóa": ["07-gom-bau-truc"],
    "Thể thao": ["08-ok-om-boc-tra-vinh", "09-bong-da-sinh-vien", "10-canh-bao-man"],
}


def _uneven(root: Path) -> Path:
    shutil.copytree(SAMPLE, root)
    toml = (root / "bulletin.toml").read_text(encoding="utf-8")
    sections = []
    for title, names in UNEVEN.items():
        files = ", ".join(json.dumps(f"articles/{name}.md") for name in names)
        sections.append(f'[[sections]]\ntitle = "{title}"\narticles = [{files}]\n')
    head = toml[: toml.index("[[sections]]")].replace("[pdf]\npage_multiple = 4\n", "")
    (root / "bulletin.toml").write_text(head + "\n".join(sections), encoding="utf-8")
    return root


def _rendition(folder: Path, backend: PdfBackend, **pdf: object) -> Rendition:
    bulletin = prepare(folder, [])
    if pdf:
        bulletin = bulletin.model_copy(update={"pdf": bulletin.pdf.model_copy(update=pdf)})
    return render(bulletin, Theme(), backend, EPOCH)


@dataclass
class Builds:
    one: bytes  # the parts joined in one process (Document.copy)
    workers: dict[int, bytes]
    backend: PdfBackend  # of the two-worker build
    document: Document  # the one-process layout


def _builds(folder: Path) -> Builds:
    workers, backend = {}, None
    for count in (1, 2):
        backend = PdfBackend(workers=count)
        workers[count] = backend.build(_rendition(folder, backend))
        assert backend.parts_report["workers"] == count
    joined = PdfBackend()
    rendition = _rendition(folder, joined)
    assets, _ = for_print(rendition.bulletin, rendition.assets)
    rendition = replace(rendition, assets=assets)
    document = joined.layout(rendition)
    with fixed_font_timestamps(rendition.modified):
        one = document.write_pdf(**joined._options(rendition.bulletin.pdf))
    return Builds(one, workers, backend, document)


@pytest.fixture(scope="module")
def sample() -> Builds:
    return _builds(SAMPLE)


@pytest.fixture(scope="module")
def uneven(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    return _builds(_uneven(tmp_path_factory.mktemp("uneven") / "bulletin"))


@pytest.fixture(params=["sample", "uneven"])
def builds(request: pytest.FixtureRequest) -> Builds:
    return request.getfixturevalue(request.param)


def _text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_the_same_bytes_with_one_worker_and_with_two(builds: Builds) -> None:
    assert builds.workers[1] == builds.workers[2]


def test_the_sections_differ_in_length_and_start_on_both_sides(uneven: Builds) -> None:
    reader = PdfReader(io.BytesIO(uneven.workers[2]))
    starts = [
        reader.get_destination_page_number(reader.outline[k]) + 1
        for k in range(0, len(reader.outline), 2)
    ]
    lengths = {b - a for a, b in zip(starts, starts[1:], strict=False)}
    assert len(lengths) >= 3 and {s % 2 for s in starts} == {0, 1}
    # Every section laid out once, then moved to its start: only the front pages twice.
    report = uneven.backend.parts_report
    assert report["refitted"] == len(UNEVEN) and report["layouts"] == report["parts"] + 1


def test_the_text_is_the_one_document_builds(builds: Builds) -> None:
    merged = _text(builds.workers[2])
    assert merged == _text(builds.one)
    pages = merged.split("\f")[:-1]
    assert all(f"Trang {n}" in page for n, page in enumerate(pages, start=1))


def test_within_fifteen_percent_of_the_one_document_size(builds: Builds) -> None:
    assert abs(len(builds.workers[2]) / len(builds.one) - 1) < 0.15


def test_the_outline_nests_every_section_and_article(builds: Builds) -> None:
    merged = outline(PdfReader(io.BytesIO(builds.workers[2])))
    assert merged == outline(PdfReader(io.BytesIO(builds.one)))
    assert {depth for depth, _, _ in merged} == {0, 1}


def _destinations(reader: PdfReader) -> dict[str, int]:
    return {
        name: reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }


def _links(reader: PdfReader) -> list[tuple[int, str]]:
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                target = annotation.get("/Dest") or annotation["/A"].get("/URI")
                found.append((number, str(target)))
    return found


def test_named_destinations_and_links_resolve_across_parts(builds: Builds) -> None:
    merged, one = PdfReader(io.BytesIO(builds.workers[2])), PdfReader(io.BytesIO(builds.one))
    destinations = _destinations(merged)
    assert destinations == _destinations(one) and len(destinations) > 20
    links = _links(merged)
    assert links == _links(one)
    internal = [(page, name) for page, name in links if not name.startswith("http")]
    assert internal and all(name in destinations for _, name in internal)
    # The contents page sends each article to the page it starts on, in another part.
    document = builds.document
    where = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            where.setdefault(name, number)
    assert all(destinations[name] == where[name] for _, name in internal)
    assert any(page < 2 and destinations[name] > 2 for page, name in internal)


def test_page_labels_metadata_and_version_are_the_one_document_builds(builds: Builds) -> None:
    merged, one = PdfReader(io.BytesIO(builds.workers[2])), PdfReader(io.BytesIO(builds.one))
    assert merged.page_labels == one.page_labels == [str(n) for n in range(1, len(one.pages) + 1)]
    assert merged.metadata == one.metadata
    assert merged.metadata["/Title"] and merged.metadata["/ModDate"].startswith("D:2023")
    assert merged.trailer["/Root"]["/Lang"] == one.trailer["/Root"]["/Lang"] == "vi"
    assert merged.pdf_header == one.pdf_header
    assert "/ID" in merged.trailer  # from the content: the same bytes on every run


def _fonts(pdf: bytes) -> tuple[set[str], set[tuple[int, int]]]:
    names, files = set(), set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                names.add(str(font.BaseFont).split("+", 1)[1])
                files.add(descriptor.FontFile2.objgen)
    return names, files


def test_one_embedded_subset_of_each_bundled_font(builds: Builds) -> None:
    names, files = _fonts(builds.workers[2])
    assert names == _fonts(builds.one)[0]
    assert all(name.startswith("Exporter-") for name in names)
    assert len(files) == len(names)  # each part's subsets replaced by one for the issue


def _pictures(pdf: bytes) -> tuple[int, int]:
    """(pictures named in the pages' resources, pictures stored) in a PDF."""
    named, stored = set(), set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            resources = page.Resources
            for name, xobject in (resources.get("/XObject") or {}).items():
                if xobject.get("/Subtype") == "/Image":
                    named.add((resources.objgen, name))
                    stored.add(xobject.objgen)
    return len(named), len(stored)


def test_a_picture_printed_in_several_parts_is_stored_once(builds: Builds) -> None:
    named, stored = _pictures(builds.workers[2])
    assert stored == _pictures(builds.one)[1]
    assert named > stored  # the front page's lead picture is also in its article's part


def test_the_print_page_numbers_of_the_epub_are_read_from_the_worker_pages(sample: Builds) -> None:
    epub = render(prepare(SAMPLE, []), Theme(), EpubBackend(), EPOCH)
    ids = {i for page in epub.pages for i in re.findall(r'\bid="([^"]+)"', page.html)}
    breaks = print_page_breaks(sample.backend.document, ids)  # type: ignore[arg-type]
    assert breaks == print_page_breaks(sample.document, ids) and len(breaks) > 10


def test_pdf_ua_keeps_its_structure_tree_in_one_process() -> None:
    backend = PdfBackend(workers=2)
    data = backend.build(_rendition(SAMPLE, backend, variant="pdf/ua-1"))
    with pikepdf.open(io.BytesIO(data)) as document:
        assert "/StructTreeRoot" in document.Root and "/MarkInfo" in document.Root
    assert isinstance(backend.document, Document) and not backend.parts_report


def _press(folder: Path, css: str = "") -> tuple[Press, list, dict, str]:
    """A worker's press for ``folder`` (its stylesheet extended with ``css``), its parts,
    the write options and the date fonts are stamped with."""
    backend = PdfBackend()
    rendition = _rendition(folder, backend)
    edition = backend.edition(rendition)
    if css:
        href, text = edition.stylesheets[-1]
        edition = replace(edition, stylesheets=(*edition.stylesheets[:-1], (href, text + css)))
    return (
        Press(edition),
        split(rendition.page("bulletin").html),
        edition.options,
        rendition.modified,
    )


def _notes(parts: list, k: int) -> int:
    return sum(part.footnotes for part in parts[:k])


def test_a_refitted_part_is_the_part_laid_out_at_its_start() -> None:
    """The strong test of refit.py: the same bytes as laying the part out there directly, on
    the same side, on the other side, and back (sections, the one with a footnote, the index)."""
    press, parts, options, modified = _press(SAMPLE)
    for k in (1, 2, len(parts) - 1):
        lay = Lay(k, parts[k].html, 1, _notes(parts, k), False)
        press.lay(lay)
        _, laid = press.kept[k]
        for start in (6, 9, 3):
            moved = laid.at(start)
            assert moved is not None
            direct = press._lay_out(lay, start).document
            with fixed_font_timestamps(modified):
                assert moved.write_pdf(**options) == direct.write_pdf(**options), (k, start)


def test_a_part_whose_flow_reads_the_page_is_laid_out_again() -> None:
    """A page number in the text, or a break to a right page, is not refitted: the part is
    laid out again at its start (and is then what a direct layout gives)."""
    css = ".section-title::after { content: ' ' counter(page); }"
    press, parts, options, modified = _press(SAMPLE, css)
    lay = Lay(2, parts[2].html, 1, _notes(parts, 2), False)
    press.lay(lay)
    assert press.kept[2][1].at(5) is None
    printed = press.print(Print(2, 5, frozenset()))
    assert not printed.refitted
    with fixed_font_timestamps(modified):
        direct = press._lay_out(lay, 5).document.write_pdf(**options)
    assert _text(printed.pdf) == _text(direct) and "Kinh tế 5" in _text(printed.pdf)

    press, parts, _, _ = _press(SAMPLE, ".article + .article { break-before: right; }")
    press.lay(Lay(2, parts[2].html, 1, _notes(parts, 2), False))
    laid = press.kept[2][1]
    assert laid.at(3) is not None and laid.at(4) is None  # same side only


def test_the_sandbox_holds_in_the_workers(tmp_path: Path) -> None:
    theme = tmp_path / "theme" / "styles"
    theme.mkdir(parents=True)
    print_css = Theme().style("print.css").read_text(encoding="utf-8")
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the PDF")
    (theme / "print.css").write_text(
        print_css + f'\n.section-title {{ background: url("file://{secret}"); }}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    with pytest.raises(SandboxError, match="secret.png"):
        build(SAMPLE, out, ["pdf"], theme_dirs=[tmp_path / "theme"], workers=2)
    assert not out.exists()


def test_a_part_failing_in_a_worker_stops_the_build_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = press_module.Press.lay

    def failing(self: Press, task: Lay) -> object:
        if task.index == 3:
            raise RuntimeError("the columns would not balance")
        return original(self, task)

    monkeypatch.setattr(press_module.Press, "lay", failing)  # inherited by the forked workers
    out = tmp_path / "out"
    with pytest.raises(BuildError) as caught:
        build(SAMPLE, out, ["pdf", "epub"], workers=2)
    message = str(caught.value)
    assert message.startswith('pdf: section 3 "Xã hội" failed in a worker')
    assert "RuntimeError: the columns would not balance" in message
    assert not out.exists()


def test_a_worker_that_dies_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def dying(self: Press, task: Print) -> object:
        os._exit(3)

    monkeypatch.setattr(press_module.Press, "print", dying)
    with pytest.raises(BuildError, match=r"stopped \(exit code 3\)"):
        build(SAMPLE, tmp_path / "out", ["pdf"], workers=2)
