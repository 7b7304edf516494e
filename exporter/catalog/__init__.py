"""A static download site for an archive of issues: ``index.html`` and an OPDS feed.

``write_catalog(OUT_DIR)`` reads the PDFs and EPUBs a build wrote into OUT_DIR and writes,
beside them, ``index.html`` (Vietnamese, for people), ``opds.xml`` (OPDS 1.2, for reader apps),
``covers/<stem>.jpg`` and ``fonts/``. Nothing in it depends on the clock or the folder's path:
the same archive gives the same bytes, so a site can be rebuilt and synced without noise.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from exporter.errors import BuildError, ExportError, UsageError
from exporter.output import write_atomic
from exporter.render.theme import Theme

from .opds import FEED_NAME, INDEX_NAME, build_feed
from .scan import Issue, IssueFile, Skipped, scan
from .site import catalogue_title, file_size, render_index, web_fonts

__all__ = [
    "CatalogReport",
    "EmptyCatalogError",
    "Issue",
    "IssueFile",
    "Skipped",
    "scan",
    "write_catalog",
]

COVER_DIR = "covers"


class EmptyCatalogError(ExportError):
    """OUT_DIR holds no readable issue: writing an empty catalogue would hide the mistake."""

    exit_code = 3

    def __init__(self, out_dir: Path, skipped: list[Skipped]) -> None:
        self.skipped = skipped
        super().__init__(
            f"{out_dir}: no issue to catalogue (no readable <slug>-<year>-so-<NN>.pdf or .epub)"
        )


@dataclass
class CatalogReport:
    """What ``write_catalog`` did: issues listed, files written or already up to date."""

    out_dir: Path
    issues: list[Issue] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "out_dir": str(self.out_dir),
            "issues": [
                {
                    "stem": i.stem,
                    "identifier": i.identifier,
                    "files": [f.path.name for f in i.files.values()],
                    "cover": i.cover_source,
                }
                for i in self.issues
            ],
            "written": [str(p) for p in self.written],
            "unchanged": [str(p) for p in self.unchanged],
            "skipped": [str(s) for s in self.skipped],
            "warnings": self.warnings,
        }


def _epoch(source_date_epoch: str | None) -> dt.datetime | None:
    if source_date_epoch is None:
        source_date_epoch = os.environ.get("SOURCE_DATE_EPOCH") or None
    if source_date_epoch is None:
        return None
    if not source_date_epoch.isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH={source_date_epoch!r} is not a number of seconds")
    return dt.datetime.fromtimestamp(int(source_date_epoch), tz=dt.UTC)


def _check_base_url(base_url: str | None) -> str | None:
    if not base_url:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(f"--base-url {base_url!r} is not an http(s) address of a folder")
    return base_url if base_url.endswith("/") else base_url + "/"


def write_catalog(
    out_dir: Path | str,
    *,
    base_url: str | None = None,
    source_date_epoch: str | None = None,
    theme_dirs: Iterable[Path | str] = (),
) -> CatalogReport:
    """Catalogue every issue in ``out_dir``; write the site beside them.

    ``base_url`` (the folder's public address) makes the feed's links absolute, for apps that
    copy the feed; the page's links stay relative so the folder also works offline.
    ``source_date_epoch`` (or the environment's SOURCE_DATE_EPOCH) dates the feed; otherwise
    the newest issue does. Raises UsageError (bad folder or arguments), EmptyCatalogError (no
    issue) or BuildError (a file could not be written; index.html is written last, so it never
    links to a file that is missing).
    """
    folder = Path(out_dir)
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder")
    base_url = _check_base_url(base_url)
    epoch = _epoch(source_date_epoch)
    theme = Theme([Path(d) for d in theme_dirs])

    report = CatalogReport(out_dir=folder)
    issues = scan(folder, report.skipped, report.warnings, theme=theme)
    if not issues:
        raise EmptyCatalogError(folder, report.skipped)
    report.issues = issues

    updated = epoch or max(issue.updated for issue in issues)
    cover_names = {issue.stem: f"{COVER_DIR}/{issue.stem}.jpg" for issue in issues}
    sizes = {
        issue.stem: {fmt: file_size(item.size) for fmt, item in issue.files.items()}
        for issue in issues
    }
    newest = issues[0]
    try:
        page = render_index(
            issues, theme=theme, cover_names=cover_names, updated=updated, base_url=base_url
        )
        fonts = web_fonts(page, theme)
    except (OSError, ValueError) as exc:
        raise BuildError(f"catalogue page: {exc}") from exc
    feed = build_feed(
        issues,
        title=catalogue_title(issues),
        author=newest.publisher or newest.publication,
        updated=updated,
        cover_names=cover_names,
        sizes=sizes,
        base_url=base_url,
    )

    outputs: list[tuple[str, bytes]] = [(cover_names[i.stem], i.cover) for i in issues]
    outputs += sorted(fonts.items())
    outputs += [(FEED_NAME, feed), (INDEX_NAME, page.encode("utf-8"))]
    for name, data in outputs:
        _write(folder / name, data, report)
    return report


def _write(path: Path, data: bytes, report: CatalogReport) -> None:
    """Atomically, and only when the bytes change (a synced site sees no spurious updates)."""
    try:
        if path.is_file() and path.read_bytes() == data:
            report.unchanged.append(path)
            return
        write_atomic(path, data)
    except OSError as exc:
        raise BuildError(f"could not write {path}: {exc.strerror or exc}") from exc
    report.written.append(path)
