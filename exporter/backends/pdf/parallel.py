"""The issue laid out in parts on every core, then merged: who does what, and when.

A section's page count does not depend on where it starts (refit.py), but its start depends
on the page counts of every part before it, and the front pages and the index show page
numbers that are known only once every section is laid out. So:

1. Every section without links of its own is laid out at a provisional start (page 1), the
   longest first, on whichever worker is free; the front pages are laid out once with blank
   numbers, for their length (a front page offering the whole contents first, with two-digit
   numbers: kept if it fits on one page, else the teasers and the contents page, parts.py);
   so is any other part with links whose length or anchors another part needs. A part's
   start is known as soon as every part before it is counted: the worker that holds it then
   gives it its true start's furniture and writes it, while the others are still laying out.
   With fillers (fillers.py), the sections are also measured for room and the fillers in a
   part of their own; a section's trial with fillers is laid out once the sections before it
   have chosen, and nothing is printed that a later round of trials could still change.
2. Rounds: from the page counts, every part's start and every anchor's page; each part whose
   PDF does not match them is made again: a part with links (the front pages, the index)
   laid out with its numbers written in, at its true start; a section given its true start.
   A round's results can change the counts (the front pages grew a page): then another
   round, at most ``ROUNDS``. Usually the second round finds nothing to do.
3. Pages to the printer's multiple (``[pdf] page_multiple``), when the issue asks for them:
   one more part, laid out at the page after the last (parts.Padding).
4. One subset of each font for the glyphs of all parts, made where the part that first uses
   the font was printed; then the merge (merge.py).

Every part's PDF is a function of its text, its numbers and its true start only: sections
are always laid out at the same provisional start and refitted, parts with links laid out at
their true start, and a round waits for all its parts. So the bytes do not depend on the
number of workers or on which finished first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from lxml import html as lxml_html

from .fillers import (
    DEFAULT_LINE,
    MEASURE,
    Filler,
    FillerPlan,
    FillerReport,
    PartView,
    fillable_part,
    measuring_part,
)
from .fillers import report as filler_report
from .merge import merge
from .parts import PLACEHOLDER, Padding, Part, _numbered, front_fits, padded_report
from .preflight import LayoutReport
from .press import Fonts, FontUse, Laid, Lay, Print, Printed
from .print_layout import PrintLayout
from .workers import Crew

log = logging.getLogger(__name__)

PROVISIONAL = 1  # where a section is first laid out: any start would do (refit.py)
ROUNDS = 4  # the front part's length settles at once but for pathological cases


@dataclass
class Issue:
    """What came out: the PDF, and what the rest of the build reads from the pages."""

    pdf: bytes
    layout: PrintLayout
    resolutions: list[tuple[str, float]]
    warnings: list[str]
    stats: dict[str, int] = field(default_factory=dict)
    report: LayoutReport | None = None  # the layout report of the whole issue
    fillers: FillerReport | None = None  # where the fillers went (none: no fillers)


@dataclass
class _Part:
    html: str
    footnotes: int  # footnotes before it
    links: frozenset[str]  # ids it links to
    ids: frozenset[str]  # ids it holds
    title: str  # a section's title, to name it in an error

    @property
    def size(self) -> int:
        return len(self.html)


def _read_one(html: str, notes: int) -> _Part:
    root = lxml_html.document_fromstring(html)
    hrefs = (a.get("href", "") for a in root.iterfind(".//a[@href]"))
    links = frozenset(href[1:] for href in hrefs if href.startswith("#"))
    ids = frozenset(e.get("id") for e in root.iterfind(".//*[@id]"))
    title = root.find(".//h1")
    name = " ".join(title.text_content().split()) if title is not None else ""
    return _Part(html, notes, links, ids, name)


def _read(parts: Sequence[Part]) -> list[_Part]:
    read, notes = [], 0
    for part in parts:
        read.append(_read_one(part.html, notes))
        notes += part.footnotes
    return read


class _Plan:
    """The state of the build: what each part is known to be, and what is being done."""

    def __init__(self, parts: list[_Part], alternative: str | None = None) -> None:
        self.parts = parts
        # The front pages the other way, while the front page with the whole contents is
        # being tried (parts.py); None once chosen.
        self.alternative = alternative
        count = len(parts)
        # A part with links is laid out with its page numbers written in, once they are known.
        self.linked = [k == 0 or bool(p.links) for k, p in enumerate(parts)]
        wanted = set().union(*(p.links for p in parts))
        # ...and laid out before that with blank numbers only if its length or anchors matter.
        self.counted = [k < count - 1 or bool(parts[k].ids & wanted) for k in range(count)]
        self.pages: dict[int, int] = {}
        self.anchors: dict[int, dict[str, int]] = {}
        self.printed: dict[int, Printed] = {}
        self.printed_by: dict[int, int] = {}
        self.keys: dict[int, tuple] = {}  # what each printed part was made for
        self.kept: dict[int, int] = {}  # section -> the worker holding its pages
        self.seconds: dict[int, float] = {}  # how long each part's first layout took

    def first_tasks(self) -> list[Lay]:
        """Step 1: the sections, the front pages with blank numbers, and the other parts whose
        length or anchors are needed."""
        tasks = []
        for k, part in enumerate(self.parts):
            if self.linked[k]:
                if self.counted[k]:
                    missing = PLACEHOLDER if k == 0 and self.alternative is not None else ""
                    html = _numbered(part.html, {}, missing)
                    tasks.append(Lay(k, html, 1, part.footnotes, k == 0, False))
            else:
                tasks.append(Lay(k, part.html, PROVISIONAL, part.footnotes, False, True))
        # The longest first (the last to finish sets when the index can begin); parts of
        # about the same length in page order, so that their starts are known early.
        longest = max(part.size for part in self.parts)
        front = [t for t in tasks if t.index == 0]
        rest = sorted(
            (t for t in tasks if t.index != 0),
            key=lambda t: (-round(self.parts[t.index].size * 10 / longest), t.index),
        )
        return front + rest

    def chosen_front(self, result: Laid) -> Lay | None:
        """The front pages tried with the whole contents: kept if they fit, else the part
        becomes the teasers and the contents page, and the task laying them out is returned."""
        alternative, self.alternative = self.alternative, None
        if alternative is None or front_fits(result.pages):
            return None
        part = self.parts[0] = _read_one(alternative, self.parts[0].footnotes)
        return Lay(0, _numbered(part.html, {}), 1, part.footnotes, True, False)

    def laid(self, worker: int, result: Laid, kept: bool) -> None:
        self.pages[result.index] = result.pages
        self.anchors[result.index] = result.anchors
        self.seconds[result.index] = result.seconds
        if kept:
            self.kept[result.index] = worker

    def starts(self) -> dict[int, int]:
        """The start of every part whose earlier parts are all counted."""
        starts, page = {}, 1
        for k in range(len(self.parts)):
            starts[k] = page
            if k not in self.pages:
                break
            page += self.pages[k]
        return starts

    def page_numbers(self, starts: dict[int, int]) -> dict[str, int]:
        numbers: dict[str, int] = {}
        for k in sorted(self.anchors):
            for name, offset in self.anchors[k].items():
                numbers.setdefault(name, starts[k] + offset)
        return numbers

    def elsewhere(self, k: int) -> frozenset[str]:
        return frozenset(
            name
            for j, anchors in self.anchors.items()
            if j != k
            for name in self.parts[k].links & anchors.keys()
        )

    def task(self, k: int, starts: dict[int, int], numbers: dict[str, int]) -> tuple[tuple, Print]:
        """What part ``k`` is to be printed as now, and the task that prints it so."""
        part, start = self.parts[k], starts[k]
        elsewhere = self.elsewhere(k)
        if self.linked[k]:
            pages = {t: numbers.get(t) for t in sorted(part.links)}
            key = (start, tuple(pages.items()), elsewhere)
            lay = Lay(k, _numbered(part.html, numbers), start, part.footnotes, k == 0, False)
            return key, Print(k, start, elsewhere, lay)
        key = (start, (), elsewhere)
        if k in self.kept:
            return key, Print(k, start, elsewhere)
        lay = Lay(k, part.html, PROVISIONAL, part.footnotes, False, False)
        return key, Print(k, start, elsewhere, lay)

    def record(self, worker: int, key: tuple, result: Printed) -> None:
        k = result.index
        self.printed[k], self.printed_by[k], self.keys[k] = result, worker, key
        self.kept.pop(k, None)

    def counted_from_prints(self) -> None:
        """At the end of a round: the page counts and anchors of the parts as printed."""
        for k, result in self.printed.items():
            self.pages[k], self.anchors[k] = result.pages, result.anchors


def _cost(task: Print, plan: _Plan) -> float:
    """A guess of the seconds a task takes, for sharing the work, from the first layouts:
    refitting and writing a section is about a quarter of laying it out; laying out and
    writing a part, about one and a half; a part not laid out yet, at the sections' pace."""
    k = task.index
    if task.lay is None:
        return plan.seconds.get(k, 0.0) / 4
    if k in plan.seconds:
        return plan.seconds[k] * 1.5
    timed = [j for j in plan.seconds if not plan.linked[j]] or list(plan.seconds)
    pace = sum(plan.seconds[j] for j in timed) / max(1, sum(plan.parts[j].size for j in timed))
    return plan.parts[k].size * pace * 1.5


def _share(todo: list[tuple[tuple, Print]], workers: int, plan: _Plan) -> list[list]:
    """Each worker's queue: the sections it holds, and the parts to lay out given to the
    least loaded worker, the longest first (list scheduling); a queue is done in order."""
    queues: list[list] = [[] for _ in range(workers)]
    load = [0.0] * workers
    for key, task in todo:
        if task.lay is None:
            holder = plan.kept[task.index]
            queues[holder].append((key, task))
            load[holder] += _cost(task, plan)
    for key, task in sorted(
        (item for item in todo if item[1].lay is not None), key=lambda i: -_cost(i[1], plan)
    ):
        worker = min(range(workers), key=lambda w: load[w])
        queues[worker].insert(sum(1 for _, t in queues[worker] if t.lay is not None), (key, task))
        load[worker] += _cost(task, plan)
    return queues


def _steal(queues: list[list]) -> list:
    """An idle worker with nothing of its own takes a part to lay out from the longest queue."""
    for queue in sorted(queues, key=len, reverse=True):
        for i in range(len(queue) - 1, -1, -1):
            if queue[i][1].lay is not None:
                return [queue.pop(i)]
    return []


def _describe(part: _Part, k: int, count: int) -> str:
    if k == 0:
        return "the front pages"
    if k == count - 1 and "back-matter" in part.html:
        return "the back matter"
    return f'section {k} "{part.title}"' if part.title else f"section {k}"


def print_issue(
    parts: Sequence[Part],
    crew: Crew,
    padding: Padding | None = None,
    fillers: Sequence[Filler] = (),
    gap_lines: int = 5,
) -> Issue:
    """The parts laid out by ``crew`` and merged into one PDF (see the module's docstring),
    with ``fillers`` placed in the gaps sections leave (fillers.py, after step 1), padded to
    a multiple of ``padding.multiple`` pages when given."""
    plan = _Plan(_read(parts), parts[0].alternative if parts else None)
    count = len(plan.parts)
    pending: list[Lay] = plan.first_tasks()
    in_flight: dict[int, tuple[tuple | None, Lay | Print]] = {}
    warnings: dict[int, list[str]] = {}
    # Fillers: the sections laid out in step 1 say what room they leave, a part of their own
    # measures the fillers; nothing is printed before they are placed.
    # The first round's trials go out as soon as the parts before them are known, while
    # other parts are still being laid out (fillers.FillerPlan.propose_part).
    fillable = [k for k in range(1, count) if fillable_part(plan.parts[k].html)]
    filling = bool(fillers and fillable)
    views: dict[int, PartView] = {}
    bases = {k: plan.parts[k].html for k in fillable}
    placement: FillerPlan | None = None
    proposing = list(fillable)  # parts whose first-round trial is still to be proposed
    trying: dict[int, str] = {}  # part -> the page of its trial being laid out
    if filling:
        pending = [replace(t, rooms=True) if t.index in fillable else t for t in pending]
        measure = Lay(MEASURE, measuring_part(plan.parts[-1].html, fillers), 1, 0, False, False)
        pending.insert(0, measure)  # small, and every trial waits for it

    def trial(k: int, page: str) -> Lay:
        return Lay(k, page, PROVISIONAL, plan.parts[k].footnotes, False, True, rooms=True)

    def propose_ready() -> None:
        """Propose the first-round trials of the parts whose turn has come (page order)."""
        while placement is not None and proposing and proposing[0] in views:
            k = proposing.pop(0)
            page = placement.propose_part(k, bases[k], views[k])
            if page is not None:
                trying[k] = page
                pending.insert(0, trial(k, page))

    def settled(worker: int, result: Laid, page: str) -> None:
        """A trial laid out: kept, or the part's pages on that worker are a trial's now."""
        assert placement is not None
        k = result.index
        new = PartView(result.pages, result.anchors, result.rooms)
        if placement.settle(k, bases[k], views[k], new):
            views[k] = new
            plan.parts[k] = _read_one(page, plan.parts[k].footnotes)
            plan.laid(worker, result, True)
            warnings.setdefault(k, []).extend(result.warnings)
        elif plan.kept.get(k) == worker:
            plan.kept.pop(k)  # laid out again when printed

    def dispatch(worker: int, key: tuple | None, task: Lay | Print) -> None:
        in_flight[worker] = (key, task)
        what = "the fillers" if task.index == MEASURE else None
        crew.send(worker, task, what or _describe(plan.parts[task.index], task.index, count))

    started = time.perf_counter()
    layouts = 0

    def collect() -> None:
        nonlocal layouts, placement
        for worker, result in crew.receive():
            key, task = in_flight.pop(worker)
            log.debug(
                "%6.2f s worker %d: %s part %d in %.2f s%s",
                time.perf_counter() - started,
                worker,
                type(result).__name__.lower(),
                result.index,
                result.seconds,
                " (refitted)" if getattr(result, "refitted", False) else "",
            )
            layouts += 1 if isinstance(result, Laid) else result.layouts
            if result.index == MEASURE:
                line = result.line or DEFAULT_LINE
                placement = FillerPlan(fillers, result.sizes, line, gap_lines, rounds=1)
                propose_ready()
                continue
            if isinstance(task, Lay) and trying.get(task.index) == task.html:
                del trying[task.index]
                settled(worker, result, task.html)
                continue
            if isinstance(result, Laid) and result.rooms:
                views[result.index] = PartView(result.pages, result.anchors, result.rooms)
                propose_ready()
            if isinstance(result, Laid) and result.index == 0 and plan.alternative is not None:
                again = plan.chosen_front(result)
                if again is not None:  # the whole contents did not fit on the front page
                    pending.insert(0, again)
                    continue
            warnings.setdefault(result.index, []).extend(result.warnings)
            if isinstance(result, Laid):
                plan.laid(worker, result, isinstance(task, Lay) and task.keep)
            else:
                plan.record(worker, key, result)

    def lays_left() -> bool:
        return bool(pending) or any(isinstance(t, Lay) for _, t in in_flight.values())

    def final(k: int) -> bool:
        """Whether no filler will be tried in part ``k`` any more: it may be printed."""
        if not filling or k not in bases:
            return True
        if placement is None or k in proposing or k in trying:
            return False
        return not placement.wants_more(k, bases[k], views[k])

    def print_kept(worker: int) -> bool:
        """Print a section this worker holds whose start is known; False if there is none."""
        starts = plan.starts()
        busy = {task.index for _, task in in_flight.values()}
        for k, holder in sorted(plan.kept.items()):
            if holder == worker and k in starts and k not in busy and final(k):
                dispatch(worker, *plan.task(k, starts, {}))
                return True
        return False

    # Step 1, with each section printed as soon as its start is known: after the layouts
    # with several workers (they are the critical path), at once with one (to free its pages).
    while lays_left():
        for worker in crew.idle():
            if crew.size == 1 and print_kept(worker):
                continue
            if pending:
                dispatch(worker, None, pending.pop(0))
            else:
                print_kept(worker)
        collect()

    # Step 1b: the fillers' later rounds, for the pages still under-filled (fillers.py): each
    # round's trials laid out on whichever worker is free, then settled in page order.
    if placement is not None:
        while in_flight:  # parts printed meanwhile
            collect()
        while pages := placement.propose(bases, views):
            queue, busy, done = sorted(pages), {}, {}
            while queue or busy:
                for worker in crew.idle():
                    if queue:
                        k = queue.pop(0)
                        crew.send(worker, trial(k, pages[k]), _describe(plan.parts[k], k, count))
                        busy[worker] = k
                for worker, result in crew.receive():
                    busy.pop(worker)
                    layouts += 1
                    done[result.index] = (worker, result)
            for k in sorted(done):
                settled(*done[k], pages[k])

    # Step 2: rounds until every part is printed for the counts it has. A round starts from
    # what the previous one (or step 1's layouts) counted, never from a part finished early;
    # a section printed early for the same start is not printed again.
    for _ in range(ROUNDS):
        starts = plan.starts()
        numbers = plan.page_numbers(starts)
        coming = {task.index: key for key, task in in_flight.values()}
        todo = []
        for k in range(count):
            key, task = plan.task(k, starts, numbers)
            if key not in (plan.keys.get(k), coming.get(k)):
                todo.append((key, task))
        if not todo and not in_flight:
            break
        queues = _share(todo, crew.size, plan)
        while any(queues) or in_flight:
            for worker in crew.idle():
                queue = queues[worker] or _steal(queues)
                if queue:
                    dispatch(worker, *queue.pop(0))
            collect()
        plan.counted_from_prints()

    # Step 3: the pages that pad the issue, a last part laid out at the page after the others
    # (on the first worker: the bytes are the same on any).
    printed = [plan.printed[k] for k in range(count)]
    total = sum(part.pages for part in printed)
    wanted = padding.needed(total) if padding is not None else 0
    if padding is not None and placement is not None:
        padding = padding.with_fillers(placement.placeable())
    added: Printed | None = None
    if padding is not None and wanted:
        notes = sum(part.footnotes for part in parts)

        def pad(html: str) -> Printed:
            nonlocal layouts
            lay = Lay(count, html, total + 1, notes, False, False)
            task = Print(count, total + 1, frozenset(), lay, own_fonts=True)  # a few glyphs
            crew.send(0, task, "the pages that pad the issue")
            ((_, result),) = crew.receive()
            layouts += result.layouts
            return result

        added = padding.made(wanted, pad, lambda result: result.pages)
        plan.printed_by[count] = 0
        warnings.setdefault(count, []).extend(added.warnings)

    # Step 4: one subset of each font for the whole issue, then the merge.
    content = LayoutReport.merge([part.report for part in printed if part.report is not None])
    if added is not None:
        printed.append(added)
    uses: dict[str, FontUse] = {}
    owners: dict[str, int] = {}
    for part in printed:
        for font_hash, use in part.fonts.items():
            if font_hash not in uses:
                uses[font_hash], owners[font_hash] = FontUse({}, {}, True), part.index
            merged = uses[font_hash]
            for glyph, text in use.to_unicode.items():
                merged.to_unicode.setdefault(glyph, text)
            merged.widths.update(use.widths)
            if not use.mergeable:
                uses[font_hash] = FontUse(merged.to_unicode, merged.widths, False)
    # A font one part cannot share (a glyph missing, a bitmap) keeps every part's own subset:
    # a part that left it to the merge is written again with its fonts (rare).
    unshared = {h for h, u in uses.items() if not u.mergeable}
    again = [k for k, part in enumerate(printed[:count]) if part.skipped & unshared]
    if again:
        starts = plan.starts()
        numbers = plan.page_numbers(starts)
        for k in again:
            _, task = plan.task(k, starts, numbers)
            worker = plan.printed_by[k]
            crew.send(worker, replace(task, own_fonts=True), _describe(plan.parts[k], k, count))
            ((_, result),) = crew.receive()
            layouts += result.layouts
            printed[k] = plan.printed[k] = result
    mergeable = {h: u for h, u in uses.items() if u.mergeable}
    by_worker: dict[int, dict[str, FontUse]] = {}
    for font_hash, use in mergeable.items():
        by_worker.setdefault(plan.printed_by[owners[font_hash]], {})[font_hash] = use
    fonts: list[bytes] = []
    for worker, share in sorted(by_worker.items()):
        crew.send(worker, Fonts(share, {h: owners[h] for h in share}), "the fonts")
    while len(fonts) < len(by_worker):
        fonts.extend(result for _, result in crew.receive())
    pdf = merge(printed, fonts)
    layout = PrintLayout.of([texts for part in printed for texts in part.texts])
    resolutions = [r for part in printed for r in part.resolutions]
    stats = {
        "parts": count,
        "refitted": sum(part.refitted for part in printed),  # moved, not laid out again
        "layouts": layouts,  # parts laid out, the front pages' blank-number pass included
    }
    stats["pages_added"] = added.pages if added is not None else 0
    said = [w for k in sorted(warnings) for w in dict.fromkeys(warnings[k])]  # once a part
    report = padded_report(content, added.report if added is not None else None, padding)
    issue = Issue(pdf, layout, resolutions, said, stats, report)
    if placement is not None:
        padded = (total + 1, added.anchors) if added is not None else None
        issue.fillers = filler_report(placement, bases, views, plan.starts(), padded)
        stats["fillers_placed"] = len(issue.fillers.placed)
    return issue
