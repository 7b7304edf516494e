"""``exporter import FILES --into BULLETIN``: articles written into a bulletin and listed in it.

Each article file gets a short, stable name: the next free number in the bulletin and the
first words of its title (``articles/03-binh-thuan-tang-cuong.md``); its pictures go to
``articles/images/``. The section: ``--section`` if given, else the one the page names, else
the last section of ``bulletin.toml``; a section matches by slug (``thoi su`` is "Thời sự"), a
commented one waiting in the file is brought back in its place, a new one goes at the end.

An article imported before (same name, same title or source URL) is never overwritten: the
editor may have corrected it. The new one goes beside it (``03-…-2.md``), is not listed, and
the report says so; ``replace`` overwrites it on purpose (listed once). Pictures are never
overwritten either (only placeholders are).

One failed input leaves nothing behind and ``bulletin.toml`` untouched for it; the others go
on. ``bulletin.toml`` is rewritten once, atomically, with the editor's comments and layout;
if that fails, every file this run wrote is taken back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from exporter.errors import BuildError, InputError, Problem
from exporter.importer import ImportReport, ImportResult, extract
from exporter.importer.api import FallbackDate, prepare
from exporter.importer.images import write_images
from exporter.importer.model import ImportFailure
from exporter.output import write_atomic
from exporter.source.load import BULLETIN_FILE, split_front_matter
from exporter.source.slugs import slugify

from .bulletin_toml import BulletinToml, TomlEditError

ARTICLES = "articles"
TITLE_WORDS = 4  # 03-binh-thuan-tang-cuong.md
_NUMBERED = re.compile(r"^(\d+)-")
_IMAGE_REF = re.compile(r"images/([^\s\"')\]>]+)")

Action = Literal["added", "replaced", "beside"]


@dataclass
class Placed:
    """One input: the importer's result, and where it went in the bulletin."""

    imported: ImportResult
    section: str | None = None
    section_change: Literal["revived", "created"] | None = None  # the section came with it
    action: Action | None = None
    existing: Path | None = None  # the file it was written beside, or replaced
    listed: bool = False  # added to bulletin.toml by this run
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.imported.ok

    @property
    def output(self) -> Path | None:
        return self.imported.output

    def as_dict(self) -> dict[str, Any]:
        data = self.imported.as_dict()
        data.update(
            section=self.section,
            section_change=self.section_change,
            action=self.action,
            existing=str(self.existing) if self.existing else None,
            listed=self.listed,
            notes=self.notes,
        )
        return data


@dataclass
class IntoReport:
    """A run of ``import_into``: each input in order, and whether bulletin.toml changed."""

    bulletin: Path
    items: list[Placed] = field(default_factory=list)
    toml_updated: bool = False

    @property
    def failed(self) -> list[Placed]:
        return [item for item in self.items if not item.ok]

    @property
    def sections_added(self) -> list[str]:
        return [i.section for i in self.items if i.section_change and i.section]

    def as_dict(self) -> dict[str, Any]:
        totals = ImportReport([i.imported for i in self.items]).totals()
        totals["listed"] = sum(i.listed for i in self.items)
        return {
            "bulletin": str(self.bulletin),
            "bulletin_toml": "updated" if self.toml_updated else "unchanged",
            "inputs": [i.as_dict() for i in self.items],
            "totals": totals,
        }


def write_report(report: IntoReport, path: Path | str) -> None:
    data = json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(path), data.encode("utf-8"))


def short_name(title: str, fallback: str) -> str:
    """The first words of the title as a slug: short, and the same for the same article."""
    words = slugify(title, fallback="").split("-")
    return "-".join(w for w in words[:TITLE_WORDS] if w) or fallback


class _Journal:
    """Files written, with what was there before, so that a run can be taken back."""

    def __init__(self) -> None:
        self.entries: list[tuple[Path, bytes | None]] = []

    def note(self, path: Path) -> None:
        self.entries.append((path, path.read_bytes() if path.is_file() else None))

    def undo(self, since: int = 0) -> None:
        for path, before in reversed(self.entries[since:]):
            try:
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomic(path, before)
            except OSError:
                pass
        del self.entries[since:]


class _Run:
    def __init__(
        self,
        root: Path,
        toml: BulletinToml,
        section: str | None,
        replace: bool,
        date: FallbackDate,
        filler: bool = False,
    ) -> None:
        self.root, self.toml, self.section, self.replace = root, toml, section, replace
        self.date, self.filler = date, filler
        self.articles = root / ARTICLES
        self.journal = _Journal()
        self.refs = _picture_refs(self.articles)  # article file name -> picture names
        listed = [Path(p).name for p in toml.listed()]
        files = [p.name for p in self.articles.glob("*")] if self.articles.is_dir() else []
        numbers = [int(m.group(1)) for n in [*listed, *files] if (m := _NUMBERED.match(n))]
        self.next_number = max(numbers, default=0) + 1

    def one(self, path: Path) -> Placed:
        result = extract(path, section=self.section, date=self.date, filler=self.filler)
        item = Placed(result)
        article = result.article
        if not result.ok or article is None:
            return item
        result.status = "failed"
        try:
            self._place(item, path)
        except ImportFailure as exc:
            result.error = str(exc)
            return item
        result.status = "ok"
        return item

    def _place(self, item: Placed, path: Path) -> None:
        result, article = item.imported, item.imported.article
        assert article is not None
        listed = self.toml.listed()
        short = short_name(article.title, slugify(path.stem))
        same = _same_article(self.articles, short, article.title, article.source_url)
        rel_same = f"{ARTICLES}/{same.name}" if same else None
        in_toml = listed.get(rel_same) if rel_same else None
        if same is not None and not self.replace:
            name = _beside(same)
            item.action, item.existing = "beside", same
        elif same is not None:
            name = same.name
            item.action, item.existing = "replaced", same
        else:
            name = f"{self.next_number:02d}-{short}.md"
            item.action = "added"
        item.listed = item.action == "added" or (item.action == "replaced" and in_toml is None)
        # The section: where it is listed already, else the one asked for or named.
        if in_toml is not None:
            title = in_toml
            asked = self.section or article.section
            if self.section and self.toml.find(self.section) != (in_toml, "listed"):
                item.notes.append(f'already listed in "{in_toml}"; left there (not "{asked}")')
        else:
            title = self._section_for(article.section)
        article.section = title
        item.section = title
        # Pictures other articles use are theirs: a picture of the same name is renamed.
        # Those of this article's earlier versions (NN-name.md, NN-name-2.md …) are its own.
        versions = re.compile(rf"^{re.escape(same.stem)}(-\d+)?\.md$") if same else None
        claimed: dict[str, Path | None] = {
            picture: self.articles / "images" / picture
            for file, pictures in self.refs.items()
            if not (versions and versions.match(file))
            for picture in pictures
        }
        try:
            markdown, plan = prepare(result, self.articles, short, claimed, keep_existing=True)
        except OSError as exc:
            raise ImportFailure(f"cannot read a picture ({exc.strerror or exc})") from None
        target = self.articles / name
        mark = len(self.journal.entries)
        try:
            for picture, _ in plan.writes:
                self.journal.note(picture)
            self.journal.note(target)
            write_images(plan)
            write_atomic(target, markdown.encode("utf-8"))
        except OSError as exc:
            self.journal.undo(mark)
            raise ImportFailure(f"cannot write the article ({exc.strerror or exc})") from None
        self.refs[name] = {Path(f.file).name for f in article.figures if f.file}
        if item.listed:
            try:
                change = self.toml.add(title, f"{ARTICLES}/{name}")
            except TomlEditError as exc:
                self.journal.undo(mark)
                raise ImportFailure(f"{BULLETIN_FILE}: {exc}") from None
            if change != "listed":
                item.section_change = change
        if item.action == "added":
            self.next_number += 1
        result.warnings += plan.warnings
        result.output = target

    def _section_for(self, named: str | None) -> str:
        wanted = (self.section or named or "").strip()
        if wanted:
            found = self.toml.find(wanted)
            return found[0] if found else wanted
        sections = self.toml.sections()
        if not sections:
            raise ImportFailure(
                f"no section: the page names none and {BULLETIN_FILE} has none yet; "
                "give one with --section NAME"
            )
        return sections[-1]


def _picture_refs(articles: Path) -> dict[str, set[str]]:
    refs: dict[str, set[str]] = {}
    if not articles.is_dir():
        return refs
    for path in articles.iterdir():
        if path.suffix in (".md", ".markdown", ".json") and path.is_file():
            try:
                text = path.read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                continue
            refs[path.name] = set(_IMAGE_REF.findall(text))
    return refs


def _same_article(articles: Path, short: str, title: str, url: str | None) -> Path | None:
    """An article file this one was imported into before: ``NN-short.md`` with the same
    title (as a slug) or source URL. One that cannot be read counts as the same: it is kept."""
    pattern = re.compile(rf"^\d+-{re.escape(short)}\.md$")
    if not articles.is_dir():
        return None
    for path in sorted(articles.iterdir()):
        if not pattern.match(path.name):
            continue
        try:
            front, _, _ = split_front_matter(path.read_text(encoding="utf-8-sig"))
            meta = yaml.safe_load(front) if front is not None else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return path
        if not isinstance(meta, dict) or not meta.get("title"):
            return path
        if slugify(str(meta.get("title", ""))) == slugify(title):
            return path
        if url and meta.get("source_url") == url:
            return path
    return None


def _beside(path: Path) -> str:
    n = 2
    while (path.parent / f"{path.stem}-{n}{path.suffix}").exists():
        n += 1
    return f"{path.stem}-{n}{path.suffix}"


def import_into(
    inputs: Iterable[Path | str],
    bulletin: Path | str,
    *,
    section: str | None = None,
    replace: bool = False,
    date: FallbackDate = None,
    filler: bool = False,
) -> IntoReport:
    """Import every input into the bulletin folder and list it in its ``bulletin.toml``
    (``filler``: each marked ``filler: true``, placed where the print edition leaves a gap).

    Raises ``InputError`` (nothing attempted) when the folder has no readable bulletin.toml,
    ``BuildError`` when bulletin.toml cannot be rewritten (every file of the run taken back).
    """
    root = Path(bulletin)
    toml_path = root / BULLETIN_FILE
    where = str(toml_path)
    if not toml_path.is_file():
        raise InputError([Problem(where, "", "not found (start an issue with `exporter new`)")])
    try:
        before = toml_path.read_bytes()
        toml = BulletinToml(before.decode("utf-8"))
    except OSError as exc:
        raise InputError([Problem(where, "", f"cannot be read ({exc.strerror})")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(where, "", f"is not UTF-8 text (byte {exc.start})")]) from None
    except TomlEditError as exc:
        raise InputError([Problem(where, "", str(exc))]) from None
    try:
        toml.listed()
    except TomlEditError as exc:
        raise InputError([Problem(where, "", str(exc))]) from None
    run = _Run(root, toml, section, replace, date, filler)
    report = IntoReport(root)
    try:
        for path in inputs:
            report.items.append(run.one(Path(path)))
    except BaseException:  # a bug or Ctrl-C: no article stays unlisted
        run.journal.undo()
        raise
    if not toml.changed:
        return report
    try:
        text = toml.text()
        if toml_path.read_bytes() != before:
            raise TomlEditError(f"{BULLETIN_FILE} changed while importing; import again")
        write_atomic(toml_path, text.encode("utf-8"))
    except (OSError, TomlEditError) as exc:
        run.journal.undo()
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise BuildError(f"{where}: not updated ({reason}); no article was kept") from None
    report.toml_updated = True
    return report
