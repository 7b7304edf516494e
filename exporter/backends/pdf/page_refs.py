"""The index's page numbers as a reader wants them: each page once, runs of pages as a range.

An author with an article on every page of a section would otherwise read "4, 4, 5, 5, 6, 6,
7, …" (one number per article), and a long run of links is also what WeasyPrint lays out
slowest: one entry with 160 references took 7.5 s to balance in three columns. Once the parts'
page numbers are written in (``data-page``), a number that repeats is dropped and three or
more consecutive pages become one reference "12–15", linked to the first of them.
"""

from __future__ import annotations

from lxml import etree

RANGE_FROM = 3  # pages in a row before they are written as a range (Chicago: "24, 25" stay)
EN_DASH = "\u2013"


def _is(element: etree._Element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _page(ref: etree._Element) -> int | None:
    value = ref.get("data-page", "")
    return int(value) if value.isdigit() else None


def _runs(refs: list[etree._Element]) -> list[list[etree._Element]]:
    """Refs grouped into runs of consecutive pages, a page repeated dropped from its run."""
    runs: list[list[etree._Element]] = []
    last: int | None = None
    for ref in refs:
        page = _page(ref)
        if page is not None and page == last:
            continue
        if page is not None and last is not None and page == last + 1 and runs:
            runs[-1].append(ref)
        else:
            runs.append([ref])
        last = page
    return runs


def collapse(root: etree._Element) -> int:
    """Collapse the page references of every index entry under ``root``; returns how many
    references went. Entries whose numbers are not all known are left as they are."""
    removed = 0
    for entry in root.iter("li"):
        parent = entry.getparent()
        if parent is None or not _is(parent, "index-list"):
            continue
        refs = [child for child in entry if _is(child, "index-ref")]
        if len(refs) < 2 or any(_page(ref) is None for ref in refs):
            continue
        kept: list[etree._Element] = []
        for run in _runs(refs):
            first = run[0]
            if len(run) >= RANGE_FROM:
                first.set("data-page", f"{_page(first)}{EN_DASH}{_page(run[-1])}")
                kept.append(first)
            else:
                kept.extend(run)
        if len(kept) == len(refs):
            continue
        end = refs[-1].tail
        for ref in refs:
            entry.remove(ref)
        for n, ref in enumerate(kept):
            ref.tail = end if n == len(kept) - 1 else ", "
            entry.append(ref)
        removed += len(refs) - len(kept)
    return removed
