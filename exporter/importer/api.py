"""Import inputs into an articles folder: one Markdown file per good input, a report for all.

One bad input (empty, binary, undecodable, only boilerplate, unreadable) fails alone with a
one-line reason and writes nothing; the others import. The article is checked against the
same model the loader uses before anything is written, so what is written validates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import ValidationError

from exporter.output import write_atomic
from exporter.source.load import split_front_matter
from exporter.source.models import VN_TZ, ArticleMeta
from exporter.source.slugs import slugify, unique
from exporter.vietnamese.legacy_encodings import UndecodableError
from exporter.vietnamese.orthography import normalize_text

from .decode import decode
from .html_input import HtmlReader
from .images import ImagePlan, plan_images, write_images
from .markdown_out import render
from .model import Extracted, ImportFailure, ImportReport, ImportResult, NoDate
from .text_input import TextReader

FallbackDate = dt.datetime | Literal["file"] | None


def file_date(path: Path) -> dt.datetime:
    """The input file's modification time, in Vietnam's time zone, to the minute."""
    moment = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=VN_TZ)
    return moment.replace(second=0, microsecond=0)


def _read(
    path: Path, section: str | None, result: ImportResult, date: FallbackDate = None
) -> Extracted:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"cannot be read ({exc.strerror or exc})") from None
    try:
        text, result.encoding, html = decode(path, data)
    except UndecodableError as exc:
        reason = str(exc)
        raise ImportFailure(reason if reason == "is empty" else f"undecodable: {reason}") from None
    result.kind = "html" if html else "text"
    text, findings = normalize_text(text)
    for f in findings:
        where = f"line {f.line}:{f.column}: " if result.kind == "text" else ""
        result.warnings.append(f"{where}{f.message}")
    reader = HtmlReader(text, section) if html else TextReader(text, section)
    try:
        article, lines, warnings = reader.read()
    except NoDate as missing:
        if date is None:
            result.lines = reader.failed_records()
            raise
        when = file_date(path) if date == "file" else date
        article, lines, warnings = missing.article, missing.lines, missing.warnings
        article.published = when
        source = "the file's own date" if date == "file" else "--date"
        warnings.append(f"no publication date on the page; {when:%Y-%m-%d %H:%M} from {source}")
    except ImportFailure:
        result.lines = reader.failed_records()
        raise
    result.lines, result.article = lines, article
    result.warnings += warnings
    return article


def extract(
    path: Path | str,
    *,
    section: str | None = None,
    date: FallbackDate = None,
    filler: bool = False,
) -> ImportResult:
    """Read one input into fields and line records without writing anything.

    ``status`` is "ok" when an article was found (``import_file`` may still fail later when
    writing); otherwise ``error`` says why in one line. ``filler``: the article is marked
    ``filler: true`` (placed where the print edition leaves a gap).
    """
    result = ImportResult(input=Path(path))
    try:
        _read(Path(path), section, result, date)
    except ImportFailure as exc:
        result.error = str(exc)
        return result
    if result.article is not None:
        result.article.filler = filler
    result.status = "ok"
    return result


def _check(markdown: str) -> None:
    """Read the file back as the loader would: a bug here must not reach a bulletin."""
    front, _, _ = split_front_matter(markdown)
    try:
        ArticleMeta.model_validate(yaml.safe_load(front or ""))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ImportFailure(f"the article would not validate: {where}: {first['msg']}") from None


def prepare(
    result: ImportResult,
    out_dir: Path,
    slug: str,
    claimed: dict[str, Path | None],
    *,
    keep_existing: bool = False,
) -> tuple[str, ImagePlan]:
    """The article file's text and where its pictures go, checked; nothing is written.

    ``slug`` names the pictures a caption came without and those whose name another article
    of the run took; ``keep_existing`` (see ``plan_images``) never plans over a real picture
    already in ``out_dir``. Raises ``ImportFailure``.
    """
    article = result.article
    assert article is not None
    for n, figure in enumerate(f for f in article.figures if not f.name):
        figure.name = f"{slug}-anh-{n + 1}.jpg"  # a caption copied without its picture
    plan = plan_images(
        article.figures, result.input, out_dir, slug, claimed, keep_existing=keep_existing
    )
    markdown = render(article)
    _check(markdown)
    return markdown, plan


def import_file(
    path: Path | str,
    out_dir: Path | str,
    *,
    section: str | None = None,
    slugs: set[str] | None = None,
    claimed: dict[str, Path | None] | None = None,
    date: FallbackDate = None,
    filler: bool = False,
) -> ImportResult:
    """Import one input into ``out_dir`` (created if needed); never raises for a bad input.

    ``slugs`` and ``claimed`` carry the file and picture names already used in this run.
    """
    path, out_dir = Path(path), Path(out_dir)
    slugs = set() if slugs is None else slugs
    claimed = {} if claimed is None else claimed
    result = extract(path, section=section, date=date, filler=filler)
    article = result.article
    if not result.ok or article is None:
        return result
    result.status = "failed"
    try:
        slug = unique(slugify(article.title, fallback=slugify(path.stem)), slugs)
        markdown, plan = prepare(result, out_dir, slug, claimed)
        target = out_dir / f"{slug}.md"
        replaced = target.exists()
        write_images(plan)
        write_atomic(target, markdown.encode("utf-8"))
    except ImportFailure as exc:
        result.error = str(exc)
        return result
    except OSError as exc:
        result.error = f"cannot write the article ({exc.strerror or exc})"
        return result
    result.warnings += plan.warnings
    if replaced:
        result.warnings.append(f"{target} existed and was replaced")
    result.output, result.status = target, "ok"
    return result


def import_many(
    paths: Iterable[Path | str],
    out_dir: Path | str,
    *,
    section: str | None = None,
    date: FallbackDate = None,
    filler: bool = False,
) -> ImportReport:
    """Import every input; file and picture names stay unique across the run."""
    report = ImportReport()
    slugs: set[str] = set()
    claimed: dict[str, Path | None] = {}
    for path in paths:
        report.results.append(
            import_file(
                path,
                out_dir,
                section=section,
                slugs=slugs,
                claimed=claimed,
                date=date,
                filler=filler,
            )
        )
    return report


def write_report(report: ImportReport, path: Path | str) -> None:
    data = json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(path), data.encode("utf-8"))
