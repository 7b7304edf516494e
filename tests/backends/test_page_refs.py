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
