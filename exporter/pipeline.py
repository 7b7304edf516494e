"""The one place that knows the order: load -> normalise -> render -> backend -> write.

Everything is rendered and built in memory before the first byte is written, so an error in
the EPUB never leaves a new PDF beside an old EPUB.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from exporter.render.fonts import check_coverage
from exporter.render.theme import Theme
from exporter.source.load import load_bulletin, problems_from
from exporter.source.models import Bulletin, PdfOptions
from exporter.source.slugs import slugify
from exporter.vietnamese.normalize import Memo, normalize

from .backends import FORMATS, get_backend
from .errors import BuildError, InputError, Problem, UsageError
from .output import output_name, write_atomic

log = logging.getLogger(__name__)


@dataclass
class Output:
    format: str
    path: Path
    size: int
    seconds: float
    stats: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    """What a build did: written files with sizes and times, and every warning."""

    bulletin: str
    outputs: list[Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    layout: dict[str, object] | None = None  # the print edition's layout report, as JSON
    layout_table: list[str] = field(default_factory=list)  # the same, short, for people
    fillers: dict[str, object] | None = None  # where the print edition's fillers went
    fillers_lines: list[str] = field(default_factory=list)  # the same, for people

    def as_dict(self) -> dict[str, object]:
        return {
            "bulletin": self.bulletin,
            "seconds": round(self.seconds, 3),
            "outputs": [
                {
                    "format": o.format,
                    "path": str(o.path),
                    "size": o.size,
                    "seconds": round(o.seconds, 3),
                    **o.stats,
                }
                for o in self.outputs
            ],
            "warnings": self.warnings,
            **({"layout": self.layout} if self.layout is not None else {}),
            **({"fillers": self.fillers} if self.fillers is not None else {}),
        }


def prepare(
    folder: Path | str,
    warnings: list[Problem],
    theme: Theme | None = None,
    memo: Memo | None = None,
) -> Bulletin:
    """Load, validate and normalise a bulletin, and check its fonts cover it (no rendering).
    ``memo``: articles normalised before, kept by a caller that prepares again (the preview)."""
    bulletin = normalize(load_bulletin(folder, warnings), warnings, memo)
    warnings.extend(check_coverage(bulletin, theme or Theme()))
    return bulletin


def validate(folder: Path | str, theme_dirs: Iterable[Path | str] = ()) -> list[Problem]:
    """Check a bulletin completely; raise InputError if invalid, return the warnings."""
    warnings: list[Problem] = []
    prepare(folder, warnings, Theme([Path(d) for d in theme_dirs]))
    return warnings


@dataclass
class Edition:
    """One edition built in memory: what ``build`` writes, or a batch worker sends back."""

    format: str
    filename: str
    data: bytes
    seconds: float
    stats: dict[str, int] = field(default_factory=dict)


def produce(
    folder: Path | str,
    formats: Sequence[str] = FORMATS,
    *,
    theme_dirs: Iterable[Path | str] = (),
    strict: bool = False,
    source_date_epoch: str | None = None,
    pdf: dict[str, object] | None = None,
    workers: int | None = None,
) -> tuple[Report, list[Edition]]:
    """Load, check and render the requested editions, in memory; nothing is written.
    ``workers``: processes laying the PDF out (default: one per core)."""
    started = time.perf_counter()
    formats = list(dict.fromkeys(formats))
    for name in formats:
        if name not in FORMATS:
            raise UsageError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
    if source_date_epoch is None:
        source_date_epoch = os.environ.get("SOURCE_DATE_EPOCH") or None
    if source_date_epoch is not None and not source_date_epoch.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH={source_date_epoch!r} is not a number of seconds")

    theme = Theme([Path(d) for d in theme_dirs])
    problems: list[Problem] = []
    bulletin = prepare(folder, problems, theme)
    if pdf:
        try:
            options = PdfOptions.model_validate(bulletin.pdf.model_dump() | pdf)
        except ValidationError as exc:
            raise UsageError(str(problems_from(exc, "options")[0])) from None
        bulletin = bulletin.model_copy(update={"pdf": options})
    if strict and problems:
        raise InputError(problems)  # --strict: a doubtful input is an invalid input
    report = Report(bulletin=str(folder), warnings=[str(p) for p in problems])

    from exporter.render.pages import render

    editions: list[Edition] = []
    print_layout = None  # the PDF's pages, when built, give the e-book its page numbers
    fillers_placed = None  # ...and the sections its fillers went to, the e-book's order
    stem = slugify(bulletin.publication)
    for name in sorted(formats, key=FORMATS.index):
        backend = get_backend(name)
        if workers is not None and hasattr(backend, "workers"):
            backend.workers = workers
        t0 = time.perf_counter()
        rendition = render(bulletin, theme, backend, source_date_epoch, fillers_placed)
        if name == "epub" and print_layout is not None:
            from exporter.backends.epub.pagemap import add_print_pages  # WeasyPrint's pages

            rendition, missed = add_print_pages(rendition, print_layout)
            if missed:
                report.warnings.append(
                    f"epub: {missed} print page break(s) placed at the start of their element"
                )
        data = backend.build(rendition)
        print_layout = getattr(backend, "document", None) or print_layout
        fillers = getattr(backend, "fillers_report", None)
        if fillers is not None:
            fillers_placed = fillers.sections()
            report.fillers, report.fillers_lines = fillers.to_dict(), fillers.lines()
        filename = output_name(stem, bulletin.year, bulletin.issue, backend.suffix)
        editions.append(Edition(name, filename, data, time.perf_counter() - t0, backend.stats))
        report.warnings.extend(f"{name}: {w}" for w in backend.warnings)
        layout = getattr(backend, "layout_report", None)
        if layout is not None:
            _layout_into(report, layout, strict)
    if strict and report.warnings:
        raise BuildError("warnings under --strict:\n" + "\n".join(report.warnings))
    report.seconds = time.perf_counter() - started
    return report, editions


def _layout_into(report: Report, layout: object, strict: bool) -> None:
    """The layout report into the build report; under --strict a box out of its column or
    page fails the build (a short page does not: that is the editor's call)."""
    from exporter.backends.pdf.preflight import format_table

    report.layout = layout.to_dict()  # type: ignore[attr-defined]
    report.layout_table = format_table(layout)  # type: ignore[arg-type]
    if strict and layout.has_overflow:  # type: ignore[attr-defined]
        where = [
            f"page {page.number}: {problem.message}"
            for page, problem in layout.problems("overflow")  # type: ignore[attr-defined]
        ]
        raise BuildError("overflow under --strict:\n" + "\n".join(where))


def write_editions(report: Report, editions: list[Edition], out_dir: Path | str) -> Report:
    """Write every edition atomically, only after all of them were built."""
    out = Path(out_dir)
    for edition in editions:
        path = out / edition.filename
        write_atomic(path, edition.data)
        report.outputs.append(
            Output(edition.format, path, len(edition.data), edition.seconds, edition.stats)
        )
    return report


IMPOSITIONS = ("booklet",)


def booklet_of(edition: Edition) -> Edition:
    """The printer's booklet of a PDF edition, named after it (``…-so-47-booklet.pdf``)."""
    from exporter.backends.pdf.impose import impose_booklet

    t0 = time.perf_counter()
    booklet = impose_booklet(edition.data)
    filename = edition.filename.removesuffix(".pdf") + "-booklet.pdf"
    return Edition("booklet", filename, booklet.pdf, time.perf_counter() - t0, booklet.stats())


def build(
    folder: Path | str,
    out_dir: Path | str,
    formats: Sequence[str] = FORMATS,
    *,
    theme_dirs: Iterable[Path | str] = (),
    strict: bool = False,
    source_date_epoch: str | None = None,
    pdf: dict[str, object] | None = None,
    workers: int | None = None,
    impose: str | None = None,
) -> Report:
    """Build the requested editions of one bulletin into ``out_dir``.

    ``pdf`` overrides ``[pdf]`` options of bulletin.toml (``print_ready``, ``variant``,
    ``page_size``…). ``impose="booklet"`` also writes the PDF's pages in saddle-stitch order
    on sheets twice the page's size, ``…-booklet.pdf`` beside the PDF (which is unchanged).
    Raises InputError (invalid bulletin), BuildError (rendering failed, or a warning under
    ``strict``) or UsageError; on any of them nothing is written.
    """
    started = time.perf_counter()
    if impose is not None and impose not in IMPOSITIONS:
        raise UsageError(f"unknown imposition {impose!r} (choose from {', '.join(IMPOSITIONS)})")
    if impose is not None and "pdf" not in formats:
        raise UsageError(f"imposing a {impose} needs the PDF: build it too (-f pdf)")
    report, editions = produce(
        folder,
        formats,
        theme_dirs=theme_dirs,
        strict=strict,
        source_date_epoch=source_date_epoch,
        pdf=pdf,
        workers=workers,
    )
    if impose == "booklet":
        at = next(n for n, e in enumerate(editions) if e.format == "pdf")
        editions.insert(at + 1, booklet_of(editions[at]))  # reported after its PDF
    write_editions(report, editions, out_dir)
    report.seconds = time.perf_counter() - started
    return report
