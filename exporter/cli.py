"""Command line: parse, call the library, print the report, map errors to exit codes."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.markup import escape

from . import __version__
from .backends import FORMATS
from .errors import ExportError, InputError

app = typer.Typer(
    help="Vietnamese news bulletins to a print PDF and an EPUB 3.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class Impose(StrEnum):
    booklet = "booklet"


class PdfVariant(StrEnum):
    pdfa = "pdf/a-3b"
    pdfua = "pdf/ua-1"


Debug = Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")]
ThemeDirs = Annotated[
    list[Path] | None,
    typer.Option("--theme", help="Folder with templates/ and styles/ overrides; repeatable."),
]


def _fail(exc: ExportError, debug: bool) -> None:
    if debug:
        err.print_exception()
    if isinstance(exc, InputError):
        for problem in exc.problems:
            err.print(f"[red]error[/red] {escape(str(problem))}")
        err.print(f"{len(exc.problems)} problem(s); nothing was written.")
    else:
        err.print(f"[red]error[/red] {escape(str(exc))}")
    raise typer.Exit(exc.exit_code)


def _logging(debug: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
def build(
    bulletin: Annotated[Path, typer.Argument(help="Bulletin folder (holds bulletin.toml).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")],
    format: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Edition to build: {' or '.join(FORMATS)}; repeat for both (default: both).",
        ),
    ] = None,
    theme: ThemeDirs = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write a JSON build report here.")
    ] = None,
    print_ready: Annotated[
        bool,
        typer.Option(
            "--print-ready",
            help="PDF for the printer: 3 mm bleed, crop marks, "
            "and a warning for each picture below the image resolution.",
        ),
    ] = False,
    pdf_variant: Annotated[
        PdfVariant | None,
        typer.Option(
            "--pdf-variant", help="PDF/A-3b for archives or PDF/UA-1 (tagged) for accessibility."
        ),
    ] = None,
    page_size: Annotated[
        str | None, typer.Option("--page-size", help='A4, A5, Letter or "170mm 240mm".')
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes laying the PDF out (default: one per core); the PDF is the same.",
        ),
    ] = None,
    impose: Annotated[
        Impose | None,
        typer.Option(
            "--impose",
            help="Also write the printer's booklet beside the PDF (…-booklet.pdf): the pages "
            "in saddle-stitch order, two on each side of a sheet twice their size, fold marks.",
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    """Build the PDF and/or EPUB of one bulletin into OUTPUT."""
    _logging(debug)
    for name in format or []:
        if name not in FORMATS:
            raise typer.BadParameter(
                f"{name!r} is not one of {', '.join(FORMATS)}", param_hint="--format"
            )
    if impose and format and "pdf" not in format:
        raise typer.BadParameter(
            f"a {impose.value} is made from the PDF: add -f pdf (or leave out -f for both)",
            param_hint="--impose",
        )
    from .pipeline import build as build_bulletin  # loads WeasyPrint: only when building

    try:
        overrides: dict[str, object] = {}
        if print_ready:
            overrides["print_ready"] = True
        if pdf_variant:
            overrides["variant"] = pdf_variant.value
        if page_size:
            overrides["page_size"] = page_size
        result = build_bulletin(
            bulletin,
            output,
            format or FORMATS,
            theme_dirs=theme or [],
            strict=strict,
            pdf=overrides,
            workers=workers,
            impose=impose.value if impose else None,
        )
    except ExportError as exc:
        _fail(exc, debug)
        return
    for warning in result.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(str(warning))}")
    for item in result.outputs:
        out.print(f"wrote {item.path} ({item.size:,} bytes, {item.seconds:.1f} s)")
        if "images_saved_bytes" in item.stats:
            out.print(
                f"  images: {item.stats['images_original_bytes']:,} bytes in the bulletin, "
                f"{item.stats['images_embedded_bytes']:,} embedded "
                f"(saved {item.stats['images_saved_bytes']:,})"
            )
        if "booklet_sheets" in item.stats:
            out.print(_booklet_line(item.stats))
        if "epub_bytes_without_subsetting" in item.stats:
            out.print(
                f"  fonts subset: {item.stats['fonts_original_bytes']:,} -> "
                f"{item.stats['fonts_subset_bytes']:,} bytes; the EPUB would be about "
                f"{item.stats['epub_bytes_without_subsetting']:,} bytes without"
            )
    for line in result.layout_table:
        out.print(escape(line))
    for line in result.fillers_lines:
        out.print(escape(f"  {line}"))
    if report:
        report.write_text(
            json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


def _booklet_line(stats: dict[str, int]) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    blanks = stats["booklet_blank_pages"]
    added = f" + {count(blanks, 'blank page')} added at the end" if blanks else ""
    return (
        f"  booklet: {count(stats['booklet_pages'], 'page')}{added}; "
        f"{count(stats['booklet_sheets'], 'sheet')} of {stats['booklet_sheet_width_mm']} × "
        f"{stats['booklet_sheet_height_mm']} mm, printed on both sides (flip on the short edge), "
        "folded and stapled"
    )


@app.command()
def validate(
    bulletin: Annotated[Path, typer.Argument(help="Bulletin folder (holds bulletin.toml).")],
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    debug: Debug = False,
) -> None:
    """Check a bulletin and report every problem at once; write nothing."""
    _logging(debug)
    from .pipeline import validate as validate_bulletin

    try:
        warnings = validate_bulletin(bulletin)
    except ExportError as exc:
        _fail(exc, debug)
        return
    for warning in warnings:
        err.print(f"[yellow]warning[/yellow] {escape(str(warning))}")
    if strict and warnings:
        err.print(f"{len(warnings)} warning(s) under --strict")
        raise typer.Exit(3)
    out.print(f"{bulletin}: valid")


@app.command("new")
def new_command(
    folder: Annotated[Path, typer.Argument(help="Folder for the new issue (new or empty).")],
    previous: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="The previous issue's folder: same publication, publisher, rights and options; "
            "the next number and week; its sections waiting for articles.",
        ),
    ] = None,
    publication: Annotated[
        str | None,
        typer.Option("--publication", help="Name of the publication (default: the previous's)."),
    ] = None,
    issue: Annotated[
        int | None,
        typer.Option(
            "--issue",
            min=1,
            help="Issue number (default: the previous issue's + 1, else the ISO week's number).",
        ),
    ] = None,
    week_start: Annotated[
        str | None,
        typer.Option(
            "--week-start",
            help="The Monday the week starts, YYYY-MM-DD (default: the week after the previous "
            "issue's, else the coming Monday).",
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    """Start an issue: bulletin.toml with commented examples, empty articles/images/."""
    from .desk.new import new_bulletin

    _logging(debug)
    try:
        made = new_bulletin(
            folder,
            publication=publication,
            issue=issue,
            week_start=_day(week_start, "--week-start"),
            previous=previous,
        )
    except ExportError as exc:
        _fail(exc, debug)
        return
    start, end = made.week
    out.print(
        escape(
            f"wrote {made.file}: {made.publication}, issue {made.issue}/{made.year}, "
            f"week {start:%d/%m}–{end:%d/%m/%Y}"
        )
    )
    if made.previous is not None:
        copied = ", ".join(made.copied) or "no options"
        out.print(escape(f"  from {made.previous}: {copied}"))
    if made.sections:
        out.print(escape(f"  sections waiting for articles: {', '.join(made.sections)}"))
    out.print(escape(f"  next: exporter import FILE... --into {folder}"))
    for warning in made.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(warning)}")


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, form).date()
        except ValueError:
            continue
    raise typer.BadParameter(f'"{value}": write YYYY-MM-DD', param_hint=option)


@app.command("import")
def import_(
    inputs: Annotated[
        list[Path], typer.Argument(help="Text copied from news pages, or saved pages (.html).")
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Articles folder to write.")
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(
            "--into",
            help="Bulletin folder: write into its articles/ and list them in its bulletin.toml.",
        ),
    ] = None,
    section: Annotated[
        str | None,
        typer.Option(
            "--section",
            help="Section of every article (overrides). With --into: matched to the bulletin's "
            "sections by slug, created at the end if new; default: the page's section, else "
            "the last section.",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="With --into: overwrite an article imported before (default: the new one is "
            "written beside it, -2, and not listed).",
        ),
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the JSON import report here.")
    ] = None,
    filler: Annotated[
        bool,
        typer.Option(
            "--filler",
            help="Mark every article as a filler (filler: true): the print edition places it "
            "where a page is left short, not in reading order.",
        ),
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help='Publication date for pages that show none: "YYYY-MM-DD HH:MM", or "file" '
            "for the file's own date.",
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    """Turn news articles into article files; every dropped line is in the report."""
    if (output is None) == (into is None):
        raise typer.BadParameter(
            "give either -o ARTICLES_DIR or --into BULLETIN", param_hint="-o / --into"
        )
    if replace and into is None:
        raise typer.BadParameter("--replace goes with --into", param_hint="--replace")
    _logging(debug)
    if into is not None:
        _import_into(inputs, into, section, replace, report, _fallback_date(date), debug, filler)
        return
    from .importer import import_many, write_report

    result = import_many(inputs, output, section=section, date=_fallback_date(date), filler=filler)
    for item in result.results:
        for warning in item.warnings:
            err.print(f"[yellow]warning[/yellow] {escape(f'{item.input}: {warning}')}")
        if item.ok:
            out.print(f"wrote {item.output}")
        else:
            err.print(f"[red]error[/red] {escape(f'{item.input}: {item.error}')}")
    if report:
        write_report(result, report)
    if result.failed:
        raise typer.Exit(1)


def _import_into(
    inputs: list[Path],
    into: Path,
    section: str | None,
    replace: bool,
    report: Path | None,
    date: dt.datetime | Literal["file"] | None,
    debug: bool,
    filler: bool = False,
) -> None:
    from .desk.into import import_into, write_report

    try:
        result = import_into(
            inputs, into, section=section, replace=replace, date=date, filler=filler
        )
    except ExportError as exc:
        _fail(exc, debug)
        return
    for item in result.items:
        for warning in [*item.imported.warnings, *item.notes]:
            err.print(f"[yellow]warning[/yellow] {escape(f'{item.imported.input}: {warning}')}")
        if not item.ok:
            err.print(f"[red]error[/red] {escape(f'{item.imported.input}: {item.imported.error}')}")
            continue
        _print_placed(item)
    listed = sum(item.listed for item in result.items)
    if result.toml_updated:
        opened = ", ".join(result.sections_added)
        added = f"; sections opened: {opened}" if opened else ""
        out.print(escape(f"updated {into / 'bulletin.toml'}: {listed} article(s) listed{added}"))
    else:
        out.print(escape(f"{into / 'bulletin.toml'}: unchanged"))
    if report:
        write_report(result, report)
    if result.failed:
        raise typer.Exit(1)


_SECTION_CHANGE = {"revived": ", section brought back", "created": ", new section"}


def _print_placed(item) -> None:
    """One imported article: where it went in the bulletin."""
    if item.action == "beside":
        out.print(
            escape(
                f"wrote {item.output} beside {item.existing.name}, which is kept; not listed "
                "in bulletin.toml (compare the two, or import again with --replace)"
            )
        )
        return
    verb = "replaced" if item.action == "replaced" else "wrote"
    where = item.section + _SECTION_CHANGE.get(item.section_change or "", "")
    if not item.listed:
        where += ", already listed"
    out.print(escape(f"{verb} {item.output} ({where})"))


def _fallback_date(value: str | None) -> dt.datetime | Literal["file"] | None:
    if value is None or value == "file":
        return value
    from .source.models import VN_TZ

    for form in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, form).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    raise typer.BadParameter(f'"{value}": write "YYYY-MM-DD HH:MM" or "file"', param_hint="--date")


class Executor(StrEnum):
    process = "process"
    dask = "dask"


@app.command("batch")
def batch_command(
    bulletins: Annotated[list[Path], typer.Argument(help="Bulletin folders.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder for all.")],
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: CPUs).")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write the JSON report (one entry per bulletin)."),
    ] = None,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="Stop starting new bulletins after a failure.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when unchanged.")] = False,
    format: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="pdf or epub; repeat for both.")
    ] = None,
    theme: ThemeDirs = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    executor: Annotated[
        Executor, typer.Option("--executor", help="Local processes, or a Dask cluster.")
    ] = Executor.process,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786).")
    ] = None,
) -> None:
    """Build many bulletins in parallel; unchanged ones are skipped, failures reported."""
    from .batch import batch

    if executor is Executor.dask and not scheduler:
        raise typer.BadParameter(
            "--executor dask needs --scheduler ADDRESS", param_hint="--scheduler"
        )
    for name in format or []:
        if name not in FORMATS:
            raise typer.BadParameter(
                f"{name!r} is not one of {', '.join(FORMATS)}", param_hint="--format"
            )
    total = len(bulletins)
    progress = _progress(total) if err.is_terminal else None

    def on_result(result, done: int, total: int) -> None:
        line = _result_line(result, done, total)
        if progress is not None:
            progress.console.print(line)
            progress.advance(progress.task_ids[0])
        else:
            err.print(line)

    try:
        if progress is not None:
            progress.start()
        result = batch(
            bulletins,
            output,
            formats=tuple(format or FORMATS),
            jobs=jobs,
            theme_dirs=theme or [],
            strict=strict,
            force=force,
            fail_fast=fail_fast,
            executor=executor.value,
            scheduler=scheduler,
            on_result=on_result,
        )
    except KeyboardInterrupt:
        if progress is not None:
            progress.stop()
        err.print("[red]interrupted[/red]: no partial file was left behind")
        sys.stdout.flush()
        sys.stderr.flush()
        # The batch has stopped its workers and removed every partial file. A worker that
        # Ctrl-C reached while it was starting leaves the process pool's thread waiting for
        # it at interpreter exit (the test hung 2 runs in 5): leave without that wait.
        os._exit(130)
    finally:
        if progress is not None:
            progress.stop()
    if report:
        report.write_text(
            json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    summary = result.as_dict()
    out.print(
        f"{summary['built']} built, {summary['unchanged']} unchanged, "
        f"{summary['failed']} failed in {result.seconds:.1f} s"
    )
    if result.failed:
        raise typer.Exit(1)


def _progress(total: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    progress.add_task("bulletins", total=total)
    return progress


def _result_line(result, done: int, total: int) -> str:
    head = f"[{done}/{total}] {result.bulletin}: {result.status}"
    if result.status == "failed":
        return escape(f"{head} - {result.reason or 'unknown error'}")
    files = ", ".join(f"{o['file']} ({o['size']:,} bytes)" for o in result.outputs)
    return escape(f"{head} ({result.seconds:.1f} s) {files}".rstrip())


@app.command("catalog")
def catalog_command(
    out_dir: Annotated[Path, typer.Argument(help="Folder of built issues (PDF and EPUB files).")],
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Public address of OUT_DIR (absolute links in the feed)."),
    ] = None,
    theme: ThemeDirs = None,
    debug: Debug = False,
) -> None:
    """Write index.html and opds.xml (OPDS 1.2): a download site for the issues in OUT_DIR."""
    from .catalog import EmptyCatalogError, write_catalog

    _logging(debug)
    try:
        result = write_catalog(out_dir, base_url=base_url, theme_dirs=theme or [])
    except ExportError as exc:
        for item in exc.skipped if isinstance(exc, EmptyCatalogError) else []:
            err.print(f"[yellow]skipped[/yellow] {escape(str(item))}")
        _fail(exc, debug)
        return
    for item in result.skipped:
        err.print(f"[yellow]skipped[/yellow] {escape(str(item))}")
    for warning in result.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(warning)}")
    for path in result.written:
        out.print(f"wrote {path}")
    out.print(
        f"{len(result.issues)} issue(s) catalogued; {len(result.written)} file(s) written, "
        f"{len(result.unchanged)} unchanged"
    )


@app.command("serve")
def serve_command(
    folder: Annotated[Path, typer.Argument(help="The bulletin folder to preview.")],
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8700,
    host: Annotated[
        str,
        typer.Option("--host", help="Address to listen on; the default is this computer only."),
    ] = "127.0.0.1",
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the preview in the web browser.")
    ] = False,
    theme: ThemeDirs = None,
    debug: Debug = False,
) -> None:
    """Live preview: the print pages as spreads and the e-book, laid out again on every save."""
    from .desk.server import LOCAL, serve

    _logging(debug)
    if not folder.is_dir():
        err.print(
            escape(f"{folder}: no such folder (give the bulletin folder, with bulletin.toml)")
        )
        raise typer.Exit(2)
    if host not in (LOCAL, "localhost", "::1"):
        err.print(
            f"[yellow]warning[/yellow] listening on {escape(host)}: anyone who can reach this "
            "computer on the network can see the preview"
        )
    shown = LOCAL if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/"
    out.print(f"previewing {escape(str(folder))} at {url} (Ctrl+C to stop)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.5, webbrowser.open, args=(url,)).start()
    serve(folder, theme or [], host, port)


def _version(value: bool) -> None:
    if value:
        out.print(f"exporter {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Vietnamese news bulletins to a print PDF and an EPUB 3."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
