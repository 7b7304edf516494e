"""The index's page references: each page once, three or more pages in a row as a range."""

from __future__ import annotations

from lxml import html as lxml_html

from exporter.backends.pdf.page_refs import collapse


def _entry(pages: list[str]) -> str:
    refs = ", ".join(
        f'<a class="index-ref" href="#a{n}" data-page="{p}"></a>' for n, p in enumerate(pages)
    )
    return f'<ul class="index-list"><li><span class="index-term">Xuân Hiếu</span> {refs}</li></ul>'


def _shown(fragment: str) -> tuple[int, str, list[str]]:
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    removed = collapse(root)
    entry = root.find(".//li")
    text = (entry.find("span").tail or "") + "".join(
        f"[{a.get('data-page')}→{a.get('href')}]{a.tail or ''}" for a in entry.findall("a")
    )
    return removed, text, [a.get("href") for a in entry.findall("a")]


def test_repeated_pages_once_and_runs_as_ranges() -> None:
    removed, text, hrefs = _shown(_entry(["4", "4", "5", "6", "6", "7", "9", "11", "12"]))
    assert text == " [4–7→#a0], [9→#a6], [11→#a7], [12→#a8]"
    assert removed == 5
    assert hrefs == ["#a0", "#a6", "#a7", "#a8"]


def test_two_pages_in_a_row_stay_two_numbers() -> None:
    removed, text, _ = _shown(_entry(["24", "25"]))
    assert (removed, text) == (0, " [24→#a0], [25→#a1]")


def test_unknown_numbers_leave_the_entry_alone() -> None:
    removed, text, _ = _shown(_entry(["3", "3", ""]))
    assert (removed, text) == (0, " [3→#a0], [3→#a1], [→#a2]")


def test_other_lists_are_not_touched() -> None:
    fragment = _entry(["4", "4"]).replace("index-list", "contents-list")
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    assert collapse(root) == 0
    assert len(root.findall(".//a")) == 2


def test_the_printed_index_reads_a_range(tmp_path) -> None:
    """Six articles by one author on pages 2 to 7 (a short issue: its contents on the front
    page): "Xuân Hiếu 2–7", one link, to page 2."""
    import subprocess

    from pypdf import PdfReader

    from exporter import build

    from ..conftest import ARTICLE, write_bulletin

    articles = {f"articles/0{n}.md": ARTICLE.format(title=f"Tin số {n}") for n in range(1, 7)}
    root = write_bulletin(tmp_path / "b", articles)
    pdf = build(root, tmp_path / "out", formats=["pdf"]).outputs[0].path
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    index = text.stdout.split("\f")[-2]
    assert "Xuân Hiếu 2–7" in " ".join(index.split())
    reader = PdfReader(pdf)
    links = [a.get_object() for a in reader.pages[-1].get("/Annots", [])]
    targets = [
        reader.get_destination_page_number(
            reader.named_destinations[link["/Dest"] if "/Dest" in link else link["/A"]["/D"]]
        )
        for link in links
        if "/Dest" in link or "/D" in link.get("/A", {})
    ]
    assert targets and set(targets) == {1}  # the first of them, page 2
