"""What an import produces: the extracted article, where every input line went, and the report.

Kept free of parsing so that the text and HTML readers, the Markdown writer, the CLI and the
tests all speak about the same few records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

BlockKind = Literal["p", "h", "li", "ol"]


class ImportFailure(Exception):
    """One input cannot become an article; the message is one line, without the file name."""


class NoDate(ImportFailure):
    """Everything was read but the publication date: the article, and the lines that looked
    like dates, so that the caller can name them or take a date the editor gives."""

    def __init__(
        self,
        article: Extracted,
        lines: list[LineRecord],
        warnings: list[str],
        tried: list[tuple[int, str]],
    ) -> None:
        shown = "; ".join(f'line {n}: "{text[:60]}"' for n, text in tried[:4])
        super().__init__(
            "no publication date found"
            + (f" (lines tried: {shown})" if tried else " (no line looks like a date)")
            + '; give one with --date "YYYY-MM-DD HH:MM", or --date file for the file\'s own'
        )
        self.article, self.lines, self.warnings, self.tried = article, lines, warnings, tried


@dataclass
class Block:
    """One body element: paragraph, sub-heading, or (un)ordered list item."""

    kind: BlockKind
    text: str
    number: int | None = None  # for "ol": the item's number as written

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {self.kind: self.text}
        if self.number is not None:
            data["n"] = self.number
        return data


@dataclass
class ImportedFigure:
    """A picture the text names; ``position`` = number of body blocks before it."""

    name: str
    caption: str | None = None
    credit: str | None = None
    position: int = 0
    file: str | None = None  # path written into the article, relative to it
    found: Path | None = None  # where the real picture was found; None: placeholder
    page_alt: str | None = None  # the alt text a saved page gave the picture

    @property
    def alt(self) -> str:
        """Our models require alt text: the page's own, else the caption (without credit),
        which describes the picture, else its file name."""
        return self.page_alt or self.caption or f"Ảnh {self.name}"

    @property
    def alt_source(self) -> str:
        return "page" if self.page_alt else "caption" if self.caption else "file name"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "alt": self.alt,
            "alt_source": self.alt_source,
            "caption": self.caption,
            "credit": self.credit,
            "position": self.position,
            "placeholder": self.found is None,
        }


@dataclass
class Extracted:
    """The fields of one article as read from the input, before it is written."""

    title: str = ""
    section: str | None = None
    kicker: str | None = None
    authors: list[str] = field(default_factory=list)
    attribution: str | None = None
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    lead: str | None = None
    figures: list[ImportedFigure] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    source_url: str | None = None
    source_prefix: str | None = None  # "TTO", "QNO": the site's tag the lead began with
    tags: list[str] = field(default_factory=list)  # the page's keywords
    filler: bool = False  # asked for (import --filler): placed where print leaves a gap

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "section": self.section,
            "kicker": self.kicker,
            "authors": self.authors,
            "attribution": self.attribution,
            "published": self.published.isoformat() if self.published else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "lead": self.lead,
            "figures": [f.as_dict() for f in self.figures],
            "body": [b.as_dict() for b in self.body],
            "source_url": self.source_url,
            "source_prefix": self.source_prefix,
            "tags": self.tags,
        }


@dataclass
class LineRecord:
    """Where one non-blank input line went: a field (``to``) or ``dropped`` with the reason."""

    line: int
    text: str
    to: str | None = None
    dropped: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"line": self.line, "text": self.text}
        if self.to is not None:
            data["to"] = self.to
        else:
            data["dropped"] = self.dropped
        if self.note:
            data["note"] = self.note
        return data


@dataclass
class ImportResult:
    """One input: what was detected, what was written, and the fate of each line."""

    input: Path
    status: Literal["ok", "failed"] = "failed"
    kind: Literal["text", "html"] | None = None
    encoding: str | None = None
    output: Path | None = None
    article: Extracted | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    lines: list[LineRecord] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "input": str(self.input),
            "status": self.status,
            "kind": self.kind,
            "encoding": self.encoding,
            "output": str(self.output) if self.output else None,
            "error": self.error,
            "warnings": self.warnings,
            "article": self.article.as_dict() if self.article else None,
            "lines": [r.as_dict() for r in self.lines],
        }


@dataclass
class ImportReport:
    """Every input of one run, in order, plus totals; serialised as the JSON report."""

    results: list[ImportResult] = field(default_factory=list)

    @property
    def failed(self) -> list[ImportResult]:
        return [r for r in self.results if not r.ok]

    def totals(self) -> dict[str, int]:
        lines = [rec for r in self.results for rec in r.lines]
        return {
            "inputs": len(self.results),
            "ok": sum(r.ok for r in self.results),
            "failed": len(self.failed),
            "lines": len(lines),
            "kept": sum(rec.to is not None for rec in lines),
            "dropped": sum(rec.to is None for rec in lines),
            "warnings": sum(len(r.warnings) for r in self.results),
        }

    def as_dict(self) -> dict[str, Any]:
        return {"inputs": [r.as_dict() for r in self.results], "totals": self.totals()}
