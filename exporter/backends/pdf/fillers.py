"""Fillers: short items placed after layout where the pages leave a gap (issue 14).

An article with ``filler: true`` is not in reading order: the template puts the fillers in a
pool (``div.filler-pool``) that is taken out of the bulletin page before layout. Once the
sections are laid out, each gap — the foot of a page where an article or a section ends with at
least ``[pdf] filler_gap_lines`` lines left under it (the next article's headline and picture
did not fit, or the next section begins a page) — is given the filler that fits it best: the
tallest that fits, by its height measured in a part of its own. The parts that changed are laid
out again, and a filler is kept only if its part has the same pages, every article and section
still begins on its page and the filler sits on the gap's page. Rounds go on, filling the pages
still under 60 % full, until none is left or no filler fits. Parts choose in page order and the
decisions read the layouts only, so the bytes do not depend on the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from .preflight import MIN_FILL

POOL = "filler-pool"
MEASURE = -1  # the task index of the part that measures the fillers
ROUNDS = 4
DEFAULT_LINE = 0.022  # a line's share of an A4 text area, when no filler has a paragraph
SAFETY_LINES = 1.0  # a filler is tried in a gap only with a line to spare: its margins


@dataclass(frozen=True)
class Filler:
    slug: str  # its article's id
    title: str
    html: str  # the <article> element
    footnotes: int  # fillers with footnotes are not placed (they would renumber later parts)

    def sizes_known(self, sizes: Mapping[str, float]) -> bool:
        """Whether it was measured and fits on a page."""
        return sizes.get(self.slug, 1.0) < 1.0


@dataclass(frozen=True)
class PartView:
    """What the placement needs of a laid-out part."""

    pages: int
    anchors: Mapping[str, int]  # id -> page of the part it starts on, from 0
    rooms: Sequence[tuple[float, float]]  # per page: fill, share of the text height left under


@dataclass(frozen=True)
class Gap:
    part: int
    page: int  # of the part, from 0
    after: str  # id of the article that ends there
    section: str  # id of its section
    fill: float
    room: float


def _classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def _body(root: etree._Element) -> etree._Element:
    body = root.find("body")
    assert body is not None
    return body


def take_pool(root: etree._Element) -> list[Filler]:
    """Remove the fillers' pool from a parsed bulletin page; its fillers, in order."""
    found: list[Filler] = []
    body = root.find("body")
    if body is None:
        return found
    for pool in [c for c in body if isinstance(c.tag, str) and POOL in _classes(c)]:
        for article in pool.iterfind("article"):
            title = article.find(".//*[@class='headline']")
            notes = article.xpath(".//*[contains(concat(' ', @class, ' '), ' footnote ')]")
            found.append(
                Filler(
                    article.get("id") or "",
                    " ".join(title.text_content().split()) if title is not None else "",
                    lxml_html.tostring(article, encoding="unicode"),
                    len(notes),
                )
            )
        body.remove(pool)
    return found


def pool_of(html: str) -> list[Filler]:
    """The fillers of a bulletin page (none when the template has no pool)."""
    if POOL not in html:
        return []
    return take_pool(lxml_html.document_fromstring(html))


def _page_with(template: str, children: Iterable[etree._Element]) -> str:
    """``template`` (a part's or the bulletin's page) with ``children`` as its whole body."""
    root = lxml_html.document_fromstring(template)
    body = _body(root)
    for child in list(body):
        body.remove(child)
    for child in children:
        body.append(child)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def measuring_part(template: str, fillers: Sequence[Filler]) -> str:
    """A part holding the fillers one after the other in one section, after an empty article
    (so that each is laid out as it is after an article, not as a section's first story);
    each is whole on its page (print.css), so its box's height is what it takes."""
    section = etree.Element("section", {"class": "section starts-page filler-measure"})
    etree.SubElement(section, "article", {"class": "article filler-spacer"})
    for filler in fillers:
        section.append(lxml_html.fragment_fromstring(filler.html))
    return _page_with(template, [section])


def section_ids(html: str) -> list[str]:
    """The ids of a part's sections (not the back matter), in order."""
    root = lxml_html.document_fromstring(html)
    return [
        c.get("id")
        for c in _body(root)
        if isinstance(c.tag, str)
        and "section" in _classes(c)
        and "back-matter" not in _classes(c)
        and c.get("id")
    ]


def section_titles(html: str) -> dict[str, str]:
    """A part's section ids and their titles as printed."""
    root = lxml_html.document_fromstring(html)
    titles = {}
    for section in _body(root):
        if isinstance(section.tag, str) and section.get("id"):
            heading = section.find(".//h1")
            if heading is not None:
                titles[section.get("id")] = " ".join(heading.text_content().split())
    return titles


def fillable_part(html: str) -> bool:
    """Whether fillers may go into a part: it holds articles and no link to a place in the
    issue (a part with links is laid out only once its page numbers are known)."""
    root = lxml_html.document_fromstring(html)
    links = (a.get("href", "") for a in root.iterfind(".//a[@href]"))
    return bool(_blocks(root)) and not any(href.startswith("#") for href in links)


def blocks(html: str) -> list[tuple[str, str]]:
    """A part's articles (fillers placed included) and their sections' ids, in order."""
    return _blocks(lxml_html.document_fromstring(html))


def _blocks(root: etree._Element) -> list[tuple[str, str]]:
    found = []
    for section in _body(root):
        if not isinstance(section.tag, str) or "back-matter" in _classes(section):
            continue
        if "section" in _classes(section) and section.get("id"):
            for article in section.iterfind("article"):
                if article.get("id"):
                    found.append((article.get("id"), section.get("id")))
    return found


def with_fillers(html: str, placed: Mapping[str, Sequence[Filler]]) -> str:
    """A part's page with fillers after some of its articles (article id -> fillers)."""
    if not placed:
        return html
    root = lxml_html.document_fromstring(html)
    for after, fillers in placed.items():
        anchor = root.get_element_by_id(after)
        for filler in fillers:
            element = lxml_html.fragment_fromstring(filler.html)
            anchor.addnext(element)
            anchor = element
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def gaps_of(part: int, found: Sequence[tuple[str, str]], view: PartView) -> list[Gap]:
    """Where an article of a laid-out part leaves room under it: the part's last page, or the
    page before an article (or a section) that begins on the next page. One that begins part
    way down shares its page: a page left with room only when what follows did not fit."""
    gaps = []
    starts = [view.anchors.get(article) for article, _ in found]
    for i, (article, section) in enumerate(found):
        if starts[i] is None:
            continue
        if i + 1 < len(found):
            following = starts[i + 1]
            if following is None or following <= starts[i]:
                continue
            page = following - 1
        else:
            page = view.pages - 1
        if 0 <= page < len(view.rooms):
            fill, room = view.rooms[page]
            gaps.append(Gap(part, page, article, section, fill, room))
    return gaps


@dataclass
class FillerPlan:
    """The placement of the fillers, round by round (see the module's docstring)."""

    fillers: Sequence[Filler]
    sizes: Mapping[str, float]  # filler slug -> share of the text height it takes
    line: float  # share of the text height one line of body text takes
    min_lines: int
    min_fill: float = MIN_FILL
    placed: dict[int, dict[str, list[Filler]]] = field(default_factory=dict)  # part -> after
    failed: set[tuple[str, str]] = field(default_factory=set)  # (after article, filler slug)
    rounds: int = 0
    _trial: dict[int, dict[str, list[Filler]]] = field(default_factory=dict)
    _gap_page: dict[tuple[int, str], int] = field(default_factory=dict)  # the trials' gaps
    _held: list[Filler] = field(default_factory=list)  # tried and not fitting, this round

    @property
    def min_room(self) -> float:
        return self.min_lines * self.line

    def free(self) -> list[Filler]:
        """Fillers not placed, nor being tried, nor just found not to fit (until the next
        round), in the editor's order."""
        taken = {f.slug for f in self._held} | {
            f.slug
            for parts in (self.placed, self._trial)
            for by_article in parts.values()
            for fs in by_article.values()
            for f in fs
        }
        return [f for f in self.fillers if f.slug not in taken]

    def placeable(self) -> list[Filler]:
        return [f for f in self.free() if not f.footnotes and f.sizes_known(self.sizes)]

    def _best(self, gap: Gap, room: float) -> Filler | None:
        fitting = [
            f
            for f in self.placeable()
            if self.sizes[f.slug] <= room - SAFETY_LINES * self.line
            and (gap.after, f.slug) not in self.failed
        ]
        return max(fitting, key=lambda f: self.sizes[f.slug]) if fitting else None

    def propose_part(self, k: int, base: str, view: PartView) -> str | None:
        """Part ``k``'s trial in this round (its page with the fillers kept and the new
        ones), or None. Its emptiest gaps choose first; each takes the tallest filler that
        fits, then, while its page would still be under ``min_fill``, the tallest that fits
        what is left. In the first round every gap of ``min_lines`` is tried, later only
        those on pages still under ``min_fill``. Parts are proposed in page order, so the
        choice never depends on which part was laid out first."""
        first = self.rounds <= 1
        gaps = [
            gap
            for gap in gaps_of(k, blocks(self.page(k, base)), view)
            if gap.room >= self.min_room and (first or gap.fill < self.min_fill)
        ]
        gaps.sort(key=lambda g: (g.fill, g.page))
        trial: dict[str, list[Filler]] = {}
        self._trial[k] = trial
        # The first round takes one filler a gap (parts choose in page order: leave some for
        # the gaps after); later rounds, once every gap has had its turn, fill up.
        for again in (False,) if first else (False, True):
            for gap in gaps:
                room = gap.room - sum(self.sizes[f.slug] for f in trial.get(gap.after, []))
                fill = gap.fill + gap.room - room
                if again and fill >= self.min_fill:
                    continue
                while (best := self._best(gap, room)) is not None:
                    trial.setdefault(gap.after, []).append(best)
                    self._gap_page[k, gap.after] = gap.page
                    room -= self.sizes[best.slug]
                    fill += self.sizes[best.slug]
                    if not again or fill >= self.min_fill:
                        break
        if not trial:
            del self._trial[k]
            return None
        return self.page(k, base, trial)

    def wants_more(self, k: int, base: str, view: PartView) -> bool:
        """Whether a later round could try a filler in part ``k``: a page of it still under
        ``min_fill`` with a gap of ``min_lines``, and a filler left to try."""
        placed = {f.slug for by in self.placed.values() for fs in by.values() for f in fs}
        left = [
            f
            for f in self.fillers
            if f.slug not in placed and not f.footnotes and f.sizes_known(self.sizes)
        ]  # those being tried elsewhere included: a later round may bring them back
        if self.rounds >= ROUNDS or not left:
            return False
        return any(
            gap.fill < self.min_fill and gap.room >= self.min_room
            for gap in gaps_of(k, blocks(self.page(k, base)), view)
        )

    def propose(self, bases: Mapping[int, str], views: Mapping[int, PartView]) -> dict[int, str]:
        """A round's trials, part -> its page (:meth:`propose_part`, in page order)."""
        self._held = []
        if self.rounds >= ROUNDS or not self.placeable():
            return {}
        self.rounds += 1
        trials = {}
        for k in sorted(views):
            page = self.propose_part(k, bases[k], views[k])
            if page is not None:
                trials[k] = page
        return trials

    def page(self, k: int, base: str, more: Mapping[str, Sequence[Filler]] | None = None) -> str:
        """Part ``k``'s page with its kept fillers (and ``more``)."""
        chosen: dict[str, list[Filler]] = {a: list(fs) for a, fs in self.placed.get(k, {}).items()}
        for after, fillers in (more or {}).items():
            chosen.setdefault(after, []).extend(fillers)
        return with_fillers(base, chosen)

    def settle(self, k: int, base: str, old: PartView, new: PartView) -> bool:
        """Keep part ``k``'s trial if nothing moved but into its gaps (the same pages, every
        article and section beginning where it did, each filler on its gap's page); else note
        its fillers as not fitting where they were tried."""
        trial = self._trial.pop(k, {})
        kept = self.page(k, base)
        ids = [i for pair in blocks(kept) for i in pair]
        same = (
            new.pages == old.pages
            and all(new.anchors.get(i) == old.anchors.get(i) for i in ids)
            and all(
                new.anchors.get(f.slug) == self._gap_page[k, after]
                for after, fillers in trial.items()
                for f in fillers
            )
        )
        if same:
            for after, fillers in trial.items():
                self.placed.setdefault(k, {}).setdefault(after, []).extend(fillers)
        else:
            self.failed.update((a, f.slug) for a, fs in trial.items() for f in fs)
            self._held.extend(f for fs in trial.values() for f in fs)
        return same

    def where(self, bases: Mapping[int, str]) -> dict[str, tuple[int, str]]:
        """Each placed filler's part and the id of the section it is in."""
        found = {}
        for k in sorted(self.placed):
            sections = dict(blocks(self.page(k, bases[k])))
            for fillers in self.placed[k].values():
                for f in fillers:
                    found[f.slug] = (k, sections[f.slug])
        return found


def place(
    plan: FillerPlan,
    bases: dict[int, str],
    views: dict[int, PartView],
    lay_many: Callable[[dict[int, str]], dict[int, PartView]],
) -> None:
    """Rounds of trials (``lay_many`` lays the given parts out); ``views`` is updated with
    every kept trial."""
    while trials := plan.propose(bases, views):
        laid = lay_many(trials)
        for k in sorted(trials):
            if plan.settle(k, bases[k], views[k], laid[k]):
                views[k] = laid[k]


@dataclass(frozen=True)
class FillerReport:
    """Where each filler went (page folio and section), which were left, and the gaps left
    (page folio, lines) — for the build report."""

    placed: tuple[dict[str, object], ...]
    left: tuple[dict[str, object], ...]
    gaps: tuple[dict[str, object], ...]

    def to_dict(self) -> dict[str, object]:
        return {"placed": list(self.placed), "left": list(self.left), "gaps": list(self.gaps)}

    def sections(self) -> dict[str, str]:
        """Filler slug -> the slug of the section it was printed in: the e-book's order."""
        return {str(p["filler"]): str(p["after"]) for p in self.placed}

    def lines(self) -> list[str]:
        said = [f'filler "{p["title"]}" on page {p["page"]} ({p["section"]})' for p in self.placed]
        said += [f'filler "{p["title"]}" not placed: {p["why"]}' for p in self.left]
        said += [f"gap of {g['lines']} lines left on page {g['page']}" for g in self.gaps]
        return said


def report(
    plan: FillerPlan,
    bases: Mapping[int, str],
    views: Mapping[int, PartView],
    starts: Mapping[int, int],
    padding: tuple[int, Mapping[str, int]] | None = None,
) -> FillerReport:
    """The report, once the parts' starts are known (``padding``: the first page that pads
    the issue and the anchors of those pages, where the fillers no gap took may be)."""
    free = {f.slug for f in plan.placeable()}
    first, anchors = padding if padding is not None else (0, {})
    padded = {slug: first + n for slug, n in anchors.items() if slug in free}
    titles = {i: t for k in bases for i, t in section_titles(bases[k]).items()}
    placed = []
    for slug, (k, section) in plan.where(bases).items():
        filler = next(f for f in plan.fillers if f.slug == slug)
        page = starts[k] + views[k].anchors.get(slug, 0)
        placed.append(
            {"filler": slug, "title": filler.title, "page": page,
             "section": titles.get(section, section),
             "after": section.removeprefix("section-")}
        )  # fmt: skip
    last = next((s for k in sorted(bases, reverse=True) for s in section_ids(bases[k])[-1:]), "")
    for slug, page in padded.items():
        filler = next(f for f in plan.fillers if f.slug == slug)
        placed.append(
            {"filler": slug, "title": filler.title, "page": page, "section": "padding",
             "after": last.removeprefix("section-")}
        )  # fmt: skip
    placed.sort(key=lambda p: (p["page"], p["filler"]))
    used = {p["filler"] for p in placed}
    left = []
    for filler in plan.fillers:
        if filler.slug in used:
            continue
        if filler.footnotes:
            why = "it has footnotes (they would renumber the pages after it)"
        elif filler.slug not in plan.sizes or plan.sizes[filler.slug] >= 1:
            why = "it is longer than a page"
        else:
            why = "no gap is large enough"
        left.append({"filler": filler.slug, "title": filler.title, "why": why})
    gaps = []
    for k in sorted(views):
        for gap in gaps_of(k, blocks(plan.page(k, bases[k])), views[k]):
            if gap.room >= plan.min_room:
                gaps.append(
                    {"page": starts[k] + gap.page, "section": titles.get(gap.section, gap.section),
                     "lines": int(gap.room / plan.line) if plan.line else 0,
                     "fill": round(gap.fill, 3)}
                )  # fmt: skip
    return FillerReport(tuple(placed), tuple(left), tuple(gaps))
