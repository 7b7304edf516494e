"""``exporter new``: a bulletin folder ready to fill, alone or following the previous issue.

What an issue keeps from the one before (``previous``): the publication, publisher, rights and
the ``[typography]``, ``[pdf]`` and ``[epub]`` options; the number is one more, the week the
one after. Its sections wait as comments (an empty section is a warning, and a failure under
``--strict``) until ``import --into`` brings each back in its place. Every optional field the
models know is shown as a commented example.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import ValidationError

from exporter.errors import BuildError, InputError, Problem, UsageError
from exporter.output import write_atomic
from exporter.source.models import BulletinSpec

from .bulletin_toml import BulletinToml, TomlEditError, toml_string

BULLETIN_FILE = "bulletin.toml"  # as exporter.source.load names it (not imported: 0.2 s)
ARTICLES = "articles"
IMAGES = "images"
NOTE_COLUMN = 38
# Enough of a section for BulletinSpec to judge the rest of a file that has none yet.
_ANY_SECTION = {"title": "-", "articles": ["-"]}


@dataclass
class NewBulletin:
    """What ``new_bulletin`` wrote."""

    folder: Path
    file: Path
    publication: str
    issue: int
    year: int
    week: tuple[dt.date, dt.date]
    previous: Path | None = None
    copied: list[str] = field(default_factory=list)  # fields taken from the previous issue
    sections: list[str] = field(default_factory=list)  # sections waiting for articles
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Previous:
    folder: Path
    data: dict[str, Any]
    spec: BulletinSpec
    sections: list[dict[str, str]]


def coming_monday(today: dt.date) -> dt.date:
    """Today when it is a Monday, else the next Monday."""
    return today + dt.timedelta(days=-today.weekday() % 7)


def new_bulletin(
    folder: Path | str,
    *,
    publication: str | None = None,
    issue: int | None = None,
    week_start: dt.date | None = None,
    previous: Path | str | None = None,
    today: dt.date | None = None,
) -> NewBulletin:
    """Write ``folder/bulletin.toml`` and empty ``articles/images/``; refuse an existing
    bulletin or a non-empty folder (``UsageError``), an unreadable ``previous``
    (``InputError``). Defaults: the issue after ``previous`` (else the ISO week's number), the
    week after its week (else the coming Monday's), the year of the week (ISO: its Thursday's)."""
    folder = Path(folder)
    _refuse_existing(folder)
    prev = _read_previous(Path(previous)) if previous is not None else None
    name = (
        publication if publication is not None else prev.spec.publication if prev else ""
    ).strip()
    if not name:
        raise UsageError("give the publication's name with --publication (or --from PREVIOUS)")
    if week_start is not None:
        if week_start.weekday() != 0:
            monday = week_start - dt.timedelta(days=week_start.weekday())
            raise UsageError(
                f"the week runs Monday to Sunday: {week_start:%Y-%m-%d} is not a Monday "
                f"(that week's Monday is {monday:%Y-%m-%d})"
            )
        start = week_start
    elif prev is not None:
        start = coming_monday(prev.spec.week.end + dt.timedelta(days=1))
    else:
        start = coming_monday(today or dt.date.today())
    end = start + dt.timedelta(days=6)
    iso = start.isocalendar()
    number = issue if issue is not None else prev.spec.issue + 1 if prev else iso.week
    if number < 1:
        raise UsageError(f"issue {number}: the issue number starts at 1")
    result = NewBulletin(
        folder=folder,
        file=folder / BULLETIN_FILE,
        publication=name,
        issue=number,
        year=iso.year,
        week=(start, end),
        previous=prev.folder if prev else None,
    )
    text = _compose(result, prev)
    _check(text)
    _write(folder, text)
    return result


def _refuse_existing(folder: Path) -> None:
    if (folder / BULLETIN_FILE).exists():
        raise UsageError(
            f"{folder} already holds a bulletin ({BULLETIN_FILE}); nothing was written"
        )
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder; nothing was written")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{folder} is not empty; give a new folder; nothing was written")


def _read_previous(path: Path) -> _Previous:
    folder = path.parent if path.name == BULLETIN_FILE else path
    toml_path = folder / BULLETIN_FILE
    where = str(toml_path)
    if not toml_path.is_file():
        raise InputError([Problem(where, "", "not found (is this a bulletin folder?)")])
    try:
        text = toml_path.read_bytes().decode("utf-8-sig")
        data = tomllib.loads(text)
    except OSError as exc:
        raise InputError([Problem(where, "", f"cannot be read ({exc.strerror})")]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Problem(where, "", f"is not UTF-8 text (byte {exc.start})")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(where, "", f"invalid TOML: {exc}")]) from None
    # Its sections are not copied, only their titles: judge the rest.
    try:
        spec = BulletinSpec.model_validate({**data, "sections": [_ANY_SECTION]})
    except ValidationError as exc:
        from exporter.source.load import problems_from

        raise InputError(problems_from(exc, where)) from None
    sections = []
    for raw in data.get("sections", []) if isinstance(data.get("sections"), list) else []:
        if isinstance(raw, dict) and isinstance(raw.get("title"), str) and raw["title"].strip():
            sections.append({k: raw[k] for k in ("title", "slug", "accent") if k in raw})
    if not sections:  # a previous issue still waiting for its articles
        with contextlib.suppress(TomlEditError):
            for block in BulletinToml(text).waiting():
                sections.append(
                    {"title": block.title} | ({"slug": block.slug} if block.slug else {})
                )
    return _Previous(folder, data, spec, sections)


def _value(value: Any) -> str:
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update(value)
        return table.as_string()
    return tomlkit.item(value).as_string()


def _line(key: str, value: str, note: str = "", *, live: bool) -> str:
    text = f"{'' if live else '# '}{key} = {value}"
    if note:
        text = (
            f"{text.ljust(NOTE_COLUMN - 1)} # {note}"
            if len(text) < NOTE_COLUMN - 1
            else f"{text}  # {note}"
        )
    return text


# The optional fields: key, example (the default where there is one), note. Only the first
# two are the publication's; the others belong to one issue and are never copied.
_COPIED = ("publisher", "rights")
_TOP = [
    ("publisher", '"Công ty …"', "the imprint and the e-book's metadata"),
    ("rights", '"© YEAR …"', ""),
    ("editor_note", "A word from the editors, in Markdown, on the front page.", ""),
    ("cover", '"cover.jpg"', "otherwise one is drawn from the title"),
    ("identifier", '"urn:uuid:…"', "default: from publication, year, issue"),
    ("lead", '"articles/01-quang-ngai.md"', "front page (default: first with a picture)"),
    ("teasers", '["articles/03-cao-toc.md"]', "beside it (default: other sections' first)"),
]
_TYPOGRAPHY = [
    ("tone_style", '"keep"', "keep | old (hòa, thủy) | new (hoà, thuỷ)"),
    ("justify", "false", "true: justified columns (default: ragged right)"),
    ("allow_letters", '""', 'foreign letters or names to accept, e.g. "ü Müller"'),
]
_PDF = [
    ("page_size", '"A4"', 'A4 | A5 | Letter | "170mm 240mm"'),
    (
        "margins_mm",
        "{ top = 20, bottom = 18, inner = 18, outer = 15 }",
        "default: to suit the page",
    ),
    ("columns", '"auto"', "auto (two from 140 mm of text width) | 1 | 2"),
    ("print_ready", "false", "true: 3 mm bleed and crop marks"),
    ("variant", '"pdf/ua-1"', "pdf/a-3b (archives) | pdf/ua-1 (tagged); default: neither"),
    ("image_dpi", "300", "print resolution pictures are scaled to"),
    ("jpeg_quality", "85", "30 to 100"),
    ("page_multiple", "4", "1 (default) | 2 | 4: pad the issue for a folded, stapled print"),
    ("pad", '"notes"', 'notes ("Ghi chú" pages) | blank | fillers (those no gap took)'),
    (
        "filler_gap_lines",
        "5",
        "a filler (an article with filler: true) goes where a section leaves this many lines",
    ),
    ("section_start", '"flow"', "page (default: each section on a new page) | flow"),
]


def _table(name: str, fields: list[tuple[str, str, str]], given: dict[str, Any]) -> list[str]:
    lines = [f"[{name}]"]
    for key, example, note in fields:
        if key in given:
            lines.append(_line(key, _value(given[key]), note, live=True))
        else:
            lines.append(_line(key, example, note, live=False))
    return lines


def _compose(new: NewBulletin, prev: _Previous | None) -> str:
    start, end = new.week
    given: dict[str, Any] = dict(prev.data) if prev else {}
    if prev:
        new.copied = [k for k in _COPIED if k in given]
        for table in ("typography", "pdf", "epub"):
            new.copied += [f"{table}.{k}" for k in given.get(table, {})]
        rights = given.get("rights", "")
        if new.year != prev.spec.year and re.search(rf"\b{prev.spec.year}\b", rights):
            new.warnings.append(f"rights still says {prev.spec.year} (copied from {prev.folder})")
        if new.year != prev.spec.year:
            new.warnings.append(
                f"issue {new.issue} follows issue {prev.spec.issue} of {prev.spec.year}; if the "
                "numbering starts again each year, give --issue 1"
            )
    head = [
        f"# {new.publication}, số {new.issue}/{new.year}: "
        f"the week of {start:%d/%m}–{end:%d/%m/%Y}.",
        '# Written by `exporter new`; the README\'s "Input format" tells what each field does.',
        '# A line "# key = value" is an optional field: delete the "# " to use it.',
        "",
        f"publication = {toml_string(new.publication)}",
        f"issue = {new.issue}",
        f"year = {new.year}",
        _line(
            "week",
            f"{{ start = {start.isoformat()}, end = {end.isoformat()} }}",
            "Monday to Sunday",
            live=True,
        ),
    ]
    for key, example, note in _TOP:
        if key not in BulletinSpec.model_fields:
            continue  # an example only for the fields this version knows
        if key == "editor_note":
            head += ['# editor_note = """', f"# {example}", '# """']
            continue
        live = key in given and key in _COPIED
        example = example.replace("YEAR", str(new.year))
        head.append(_line(key, _value(given[key]) if live else example, note, live=live))
    head += [
        "",
        *_table("typography", _TYPOGRAPHY, given.get("typography", {})),
        "",
        *_table("pdf", _PDF, given.get("pdf", {})),
        "",
        "[epub]",
        *[_line(k, _value(v), live=True) for k, v in given.get("epub", {}).items()],
        "",
    ]
    into = new.folder.name or "."
    if prev and prev.sections:
        new.sections = [s["title"] for s in prev.sections]
        head += [
            "# Sections, in print order, each listing its article files. An empty section is",
            f"# left out with a warning, so the sections of issue {prev.spec.issue} wait here as",
            f"# comments: importing an article into one (`exporter import FILE --into {into}`",
            "# with --section, or the section the page names) brings it back in its place.",
        ]
        for section in prev.sections:
            head.append("# [[sections]]")
            head += [f"# {k} = {toml_string(v)}" for k, v in section.items()]
            head += ["# articles = []", ""]
    else:
        head += [
            "# Sections, in print order, each listing its article files.",
            f"# `exporter import FILE --into {into}` adds them (and the section, at the end).",
            "# [[sections]]",
            '# title = "Thời sự"',
            _line("slug", '"thoi-su"', "default: from the title", live=False),
            _line("accent", '"#b3261e"', "the section's colour", live=False),
            '# articles = ["articles/01-quang-ngai-di-doi-dan.md"]',
            "",
        ]
    return "\n".join(head).rstrip("\n") + "\n"


def _check(text: str) -> None:
    """What ``new`` writes loads, once a section has an article (a bug otherwise)."""
    data = tomllib.loads(text)
    BulletinSpec.model_validate({**data, "sections": [_ANY_SECTION]})


def _write(folder: Path, text: str) -> None:
    """The folders first, bulletin.toml last and atomically; on failure, nothing stays."""
    made: list[Path] = []
    try:
        for path in (folder, folder / ARTICLES, folder / ARTICLES / IMAGES):
            for missing in reversed([p for p in (path, *path.parents) if not p.exists()]):
                missing.mkdir()
                made.append(missing)
        write_atomic(folder / BULLETIN_FILE, text.encode("utf-8"))
    except OSError as exc:
        for path in reversed(made):
            with contextlib.suppress(OSError):
                path.rmdir()
        raise BuildError(f"{folder}: cannot write the bulletin ({exc.strerror or exc})") from None
