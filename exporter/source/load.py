"""Read a bulletin folder into validated models, reporting every problem of every file at once.

An editor fixing a bulletin wants the whole list, not one error per run: each check appends a
``Problem`` (file, field path, offending value, reason) and the loader raises once at the end.
"""

from __future__ import annotations

import json
import logging
import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import yaml
from lxml import etree
from PIL import Image
from pydantic import BaseModel, ValidationError

from exporter.errors import InputError, Problem

from .editorial import (
    ARTICLE_SUFFIXES,
    ARTICLES_DIR,
    article_files,
    closest_path,
    closest_word,
    date_outside_issue,
    did_you_mean,
    same_title,
)
from .markup import markdown_to_blocks, markdown_to_xhtml
from .models import (
    FRONT_PAGE_TEASERS,
    Article,
    ArticleInput,
    ArticleMeta,
    Bulletin,
    BulletinSpec,
    Figure,
    FigureBlock,
    HtmlBlock,
    Section,
    default_identifier,
)
from .placeholder import is_placeholder
from .sandbox import Refused, resolve_reference
from .slugs import slugify, unique
from .toml_positions import Positions, syntax_error

log = logging.getLogger(__name__)

BULLETIN_FILE = "bulletin.toml"

# libyaml's parser (in PyYAML's wheels) reads front matter ten times faster; same results.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _show(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + '…"'


def _field_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


_REASONS = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
    "int_parsing": "is not a whole number",
    "int_type": "is not a whole number",
    "string_type": "is not text",
    "list_type": "is not a list",
    "dict_type": "is not a table",
    "model_type": "is not a table",
    "greater_than_equal": "is too small",
    "less_than_equal": "is too large",
}


# Where a field is in its file: (loc, field) -> ("file:line", field as the message names it).
Locate = Callable[[tuple[Any, ...], str], tuple[str, str]]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def known_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at ``loc`` inside ``model`` (for "did you mean")."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part)
        current = _model_in(field.annotation) if field is not None else None
    return list(current.model_fields) if current is not None else []


def problems_from(
    error: ValidationError,
    file: str,
    prefix: str = "",
    *,
    model: type[BaseModel] | None = None,
    locate: Locate | None = None,
) -> list[Problem]:
    """Pydantic's errors as one line each: ``file[:line]: field: "value" reason``.

    With ``model``, an unknown field gets the closest known one ("did you mean"); with
    ``locate``, each problem names its line (and the field as the editor knows it).
    """
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if not str(part).startswith("function-"))
        field = _field_path(loc)
        if prefix:
            field = f"{prefix}.{field}" if field else prefix
        kind = item["type"]
        if kind == "value_error":
            reason = str(item.get("ctx", {}).get("error", item["msg"]))
        elif kind == "literal_error":
            reason = f"must be one of {item['ctx']['expected']}"
        else:
            reason = _REASONS.get(kind, item["msg"].lower())
        if kind == "extra_forbidden" and model is not None and loc:
            meant = closest_word(str(loc[-1]), known_fields(model, loc[:-1]))
            reason += did_you_mean(meant, str(loc[-1]))
        if ":" in reason and not field:  # a model-level check names its own field
            field, reason = (part.strip() for part in reason.split(":", 1))
            loc = (field,)
        value = item.get("input")
        if kind == "missing" or isinstance(value, dict):
            message = reason
        else:
            message = f"{_show(value)} {reason}"
        where = file
        if locate is not None:
            where, field = locate(loc, field)
        problems.append(Problem(where, field, message))
    return problems


def _validate(
    model: type[BaseModel],
    data: Any,
    file: str,
    problems: list[Problem],
    locate: Locate | None = None,
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, file, model=model, locate=locate))
        return None


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (YAML text, Markdown body, line where the body starts); YAML None if absent."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None, text, 1


def read_text(path: Path, file: str, problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(file, "", f"cannot be read ({exc.strerror})"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(file, "", f"is not UTF-8 text (byte {exc.start})"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_article_data(path: Path, file: str, problems: list[Problem]) -> dict[str, Any] | None:
    """The raw fields of an article file, Markdown or JSON, before validation."""
    text = read_text(path, file, problems)
    if text is None:
        return None
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(Problem(file, "", f"invalid JSON at line {exc.lineno}: {exc.msg}"))
            return None
        if not isinstance(data, dict):
            problems.append(Problem(file, "", "is not a JSON object"))
            return None
        return data
    front, body, body_line = split_front_matter(text)
    # The models strip whitespace; count the lines that go so positions stay right.
    body_line += body[: len(body) - len(body.lstrip())].count("\n")
    if front is None:
        problems.append(Problem(file, "", "has no front matter (a YAML block between --- lines)"))
        return None
    try:
        meta = yaml.load(front, Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        reason = getattr(exc, "problem", None) or "invalid YAML"
        problems.append(Problem(file, "front matter", f"invalid YAML{where}: {reason}"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(file, "front matter", "is not a mapping of fields"))
        return None
    if "body" in meta:
        problems.append(Problem(file, "body", "belongs after the front matter, not in it"))
        return None
    return {**meta, "body": body, "_body_line": body_line}


def field_lines(path: Path) -> Callable[[tuple[Any, ...]], int | None]:
    """``where(loc)``: the line of a field in an article file, for messages.

    The file is read again only when a message asks, so a clean load never pays for it.
    """
    text: list[str | None] = []

    def where(loc: tuple[Any, ...]) -> int | None:
        if not text:
            try:
                raw = path.read_text(encoding="utf-8-sig")
                text.append(raw.replace("\r\n", "\n").replace("\r", "\n"))
            except (OSError, UnicodeDecodeError):
                text.append(None)
        if text[0] is None:
            return None
        if path.suffix == ".json":
            return _json_line(text[0], loc)
        front = split_front_matter(text[0])[0]
        return _yaml_line(front, loc) if front is not None else None

    return where


def _yaml_line(front: str, loc: tuple[Any, ...]) -> int | None:
    """Line in the article file of a front matter field (or of its parent, when missing).

    Composes the YAML again, which only happens for a message, never on a clean load.
    """
    try:
        node = yaml.compose(front, Loader=_YAML_LOADER)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    line, node = key.start_mark.line, value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line
        else:
            break
    return None if line is None else line + 2  # the front matter starts on line 2


def _json_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """Line of a top-level key in a JSON article (its first occurrence as a key)."""
    if not loc or not isinstance(loc[0], str):
        return None
    at = text.find(f"{json.dumps(loc[0])}:")
    if at < 0:
        at = text.find(json.dumps(loc[0]))
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _at_line(file: str, line: int | None) -> str:
    return f"{file}:{line}" if line else file


def check_image(path: Path) -> None:
    """Refuse files that are not images Pillow can decode (caught here, not mid-render)."""
    try:
        with Image.open(path) as image:
            image.verify()
    except Exception as exc:
        raise Refused("is not a readable image") from exc


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.slugs: set[str] = set()
        self.placeholders: set[tuple[str, Path]] = set()
        self.positions: Positions | None = None
        self.raw_sections: list[Any] = []
        self.spec: BulletinSpec | None = None
        self._on_disk: list[str] | None = None
        self.suggested: set[str] = set()  # files named in a "did you mean"

    # -- where things are -----------------------------------------------------------------

    def toml_at(self, path: tuple[Any, ...]) -> str:
        """``bulletin.toml:LINE`` for a path in it (the nearest line known)."""
        return _at_line(BULLETIN_FILE, self.positions.line(path) if self.positions else None)

    def toml_line(self, path: tuple[Any, ...]) -> int | None:
        return self.positions.line(path) if self.positions else None

    def section_name(self, index: int) -> str:
        """A section as the editor knows it: by its title, never ``sections[5]``."""
        raw = self.raw_sections[index] if index < len(self.raw_sections) else None
        title = raw.get("title") if isinstance(raw, dict) else None
        if isinstance(title, str) and title.strip():
            return f'section "{title.strip()}"'
        return "section without a title"

    def locate_toml(self, loc: tuple[Any, ...], field: str) -> tuple[str, str]:
        if len(loc) >= 2 and loc[0] == "sections" and isinstance(loc[1], int):
            rest = _field_path(loc[2:])
            name = self.section_name(loc[1])
            return self.toml_at(loc), f"{name}: {rest}" if rest else name
        return self.toml_at(loc), field

    def on_disk(self) -> list[str]:
        """The article files under ``articles/`` (listed once, when a check needs them)."""
        if self._on_disk is None:
            self._on_disk = article_files(self.root)
        return self._on_disk

    # -- files ------------------------------------------------------------------------------

    def image(self, reference: str, base_dir: Path, file: str = "", field: str = "") -> str:
        """Bulletin-relative POSIX path of an image, or ValueError with the reason."""
        path = resolve_reference(reference, base_dir, [self.root])
        check_image(path)
        placeholder = (file, path)
        if is_placeholder(path) and placeholder not in self.placeholders:
            self.placeholders.add(placeholder)  # a picture may be named twice in an article
            self.warnings.append(
                Problem(
                    file or BULLETIN_FILE,
                    field,
                    (
                        f'"{reference}" is a placeholder for a missing picture; '
                        "replace it with the real image before publishing"
                    ),
                )
            )
        return path.relative_to(self.root).as_posix()

    def listing_problem(self, at: tuple[Any, ...], rel: str, reason: str) -> Problem:
        """A problem with an article file as listed in a section of bulletin.toml."""
        return Problem(self.toml_at(at), self.section_name(at[1]), f'"{rel}" {reason}')

    def missing_file(self, rel: str) -> str:
        """``does not exist``, with the file the editor probably meant."""
        candidates = list(self.on_disk())
        folder = Path(os.path.realpath((self.root / rel).parent))
        if folder.is_dir() and folder.is_relative_to(self.root):
            base = folder.relative_to(self.root).as_posix()
            if base != ARTICLES_DIR:
                candidates += [
                    name if base == "." else f"{base}/{name}"
                    for name in sorted(os.listdir(folder))
                    if name.endswith(ARTICLE_SUFFIXES) and (folder / name).is_file()
                ]
        meant = closest_path(rel, candidates)
        if meant is not None:
            self.suggested.add(meant)
        return "does not exist" + did_you_mean(meant, rel)

    def article(self, rel: str, section_title: str, at: tuple[Any, ...]) -> Article | None:
        file = rel
        path = self.root / rel
        if path.suffix not in ARTICLE_SUFFIXES:
            self.problems.append(
                self.listing_problem(at, rel, "is not a .md or .json article file")
            )
            return None
        try:
            resolve_reference(rel, self.root, [self.root])
        except Refused as exc:
            reason = self.missing_file(rel) if str(exc) == "does not exist" else str(exc)
            self.problems.append(self.listing_problem(at, rel, reason))
            return None
        data = read_article_data(path, file, self.problems)
        if data is None:
            return None
        before = len(self.problems)
        model = ArticleInput if path.suffix == ".json" else ArticleMeta
        body_line = data.pop("_body_line", 1)
        where = field_lines(path)

        def locate(loc: tuple[Any, ...], field: str) -> tuple[str, str]:
            return _at_line(file, where(loc)), field

        meta = _validate(
            model,
            data if model is ArticleInput else _without_body(data),
            file,
            self.problems,
            locate,
        )
        body = data.get("body", "") if isinstance(data.get("body", ""), str) else ""
        if meta is None:
            return None
        slug = meta.slug or slugify(path.stem)
        if slug in self.slugs:
            if meta.slug:
                self.problems.append(
                    Problem(
                        _at_line(file, where(("slug",))),
                        "slug",
                        f'"{slug}" is used by another article',
                    )
                )
            slug = unique(slug, self.slugs)
        else:
            self.slugs.add(slug)
        if meta.section and meta.section != section_title:
            self.warnings.append(
                Problem(
                    _at_line(file, where(("section",))),
                    "section",
                    f'"{meta.section}" differs from its place in {BULLETIN_FILE} '
                    f'(section "{section_title}", line {self.toml_line(at[:2])}); '
                    "using the latter",
                )
            )
        if self.spec is not None:
            outside = date_outside_issue(meta.published, self.spec.week, self.spec.year)
            if outside:
                self.warnings.append(
                    Problem(
                        _at_line(file, where(("published",))),
                        "published",
                        f"{_show(data.get('published'))} {outside}",
                    )
                )
        base_dir = path.parent
        figures = []
        for index, figure in enumerate(meta.figures):
            try:
                src = self.image(figure.file, base_dir, file, f"figures[{index}].file")
                figures.append(figure.model_copy(update={"file": src}))
            except ValueError as exc:
                self.problems.append(
                    Problem(
                        _at_line(file, where(("figures", index, "file"))),
                        f"figures[{index}].file",
                        f'"{figure.file}" {exc}',
                    )
                )
        converted = markdown_to_blocks(
            body, slug, lambda src: self.image(src, base_dir, file, "body")
        )
        for what, reason in converted.problems:
            self.problems.append(Problem(file, "body", f"{what} {reason}"))
        for kind, content in converted.blocks:
            word = _runaway_word(content) if kind == "html" else None
            if word:  # kept whole: the editions break it inside the column (overflow-wrap)
                text = body.lstrip()  # body_line is where the stripped body starts
                at_word = text.find(word[:40])
                line = body_line + text.count("\n", 0, at_word) if at_word >= 0 else body_line
                self.warnings.append(
                    Problem(
                        f"{file}:{line}",
                        "body",
                        f'a {len(word):,}-character word ("{word[:30]}…") is broken across '
                        "lines to fit its column; is the text missing its spaces?",
                    )
                )
        if len(self.problems) > before:
            return None
        by_file = {figure.file: figure for figure in figures}
        blocks: list[HtmlBlock | FigureBlock] = []
        for kind, content in converted.blocks:
            if kind == "figure":
                assert isinstance(content, dict)
                known = by_file.pop(content["file"], None)
                figure = Figure(
                    file=content["file"],
                    alt=content["alt"],
                    caption=content["caption"] or (known.caption if known else None),
                    credit=known.credit if known else None,
                    wide=known.wide if known else False,
                )
                blocks.append(FigureBlock(figure=figure))
            else:
                assert isinstance(content, str)
                blocks.append(HtmlBlock(html=content))
        remaining = [f for f in figures if f.file in by_file]
        top = remaining.pop(0) if remaining else None
        blocks = spread_figures(blocks, remaining)
        fields = meta.model_dump(exclude={"slug", "section", "figures", "body"})
        return Article(
            **fields,
            slug=slug,
            section=section_title,
            figures=figures,
            body=body,
            blocks=blocks,
            top_figure=top,
            body_line=body_line,
            source=rel,
        )

    # -- the bulletin -----------------------------------------------------------------------

    def read_toml(self) -> dict[str, Any]:
        toml_path = self.root / BULLETIN_FILE
        if not toml_path.is_file():
            raise InputError(
                [Problem(str(toml_path), "", "not found (is this a bulletin folder?)")]
            )
        text = read_text(toml_path, BULLETIN_FILE, self.problems)
        if text is None:
            return {}
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line, column, message = syntax_error(text, exc)
            where = f"{BULLETIN_FILE}:{line}:{column}" if line else BULLETIN_FILE
            self.problems.append(Problem(where, "", message))
            return {}
        self.positions = Positions(text)
        sections = raw.get("sections")
        self.raw_sections = sections if isinstance(sections, list) else []
        return raw

    def bulletin(self) -> Bulletin:
        raw = self.read_toml()
        spec = (
            _validate(BulletinSpec, raw, BULLETIN_FILE, self.problems, self.locate_toml)
            if raw
            else None
        )
        self.spec = spec

        sections: list[Section] = []
        section_slugs: set[str] = set()
        # Each listed file by its real path: "articles/a.md", "./articles/a.md" and
        # "articles//a.md" are one file.
        listed: dict[str, tuple[str, tuple[Any, ...]]] = {}
        titles: dict[str, int] = {}
        for s_index, raw_section in enumerate(self.raw_sections):
            if not isinstance(raw_section, dict):
                continue
            place = ("sections", s_index)
            title = raw_section.get("title")
            title = title.strip() if isinstance(title, str) else ""
            if title:
                first = titles.setdefault(same_title(title), s_index)
                if first != s_index:
                    self.problems.append(
                        Problem(
                            self.toml_at((*place, "title")),
                            self.section_name(s_index),
                            "has the same title as the section at line "
                            f"{self.toml_line(('sections', first, 'title'))}; "
                            "merge the two lists or rename one",
                        )
                    )
            files = raw_section.get("articles")
            if files == []:
                self.warnings.append(
                    Problem(
                        self.toml_at((*place, "articles")),
                        self.section_name(s_index),
                        "has no articles; it is left out of both editions",
                    )
                )
            articles = []
            for a_index, rel in enumerate(files if isinstance(files, list) else []):
                if not isinstance(rel, str) or not rel.strip():
                    continue  # the model's check reports it
                at = (*place, "articles", a_index)
                real = os.path.realpath(self.root / rel)
                if real in listed:
                    first_rel, first_at = listed[real]
                    same = (
                        "is listed twice"
                        if first_rel == rel
                        else f'is the same file as "{first_rel}"'
                    )
                    self.problems.append(
                        self.listing_problem(
                            at,
                            rel,
                            f"{same} (line {self.toml_line(first_at)}, "
                            f"{self.section_name(first_at[1])}); list it once",
                        )
                    )
                    continue
                listed[real] = (rel, at)
                article = self.article(rel, title, at)
                if article is not None:
                    articles.append(article)
            if spec is not None:
                section_spec = spec.sections[s_index]
                if not section_spec.articles:
                    continue
                slug = unique(section_spec.slug or slugify(title), section_slugs)
                sections.append(
                    Section(
                        title=section_spec.title,
                        slug=slug,
                        accent=section_spec.accent,
                        articles=articles,
                    )
                )
        if spec is not None and not any(s.articles for s in spec.sections):
            self.problems.append(
                Problem(self.toml_at(("sections",)), "sections", "no section lists an article")
            )
        if self.positions is not None:
            self.unlisted_files(listed)

        lead_file, teaser_files = self.front_page(spec, listed) if spec else (None, None)
        self.fillers_checked(sections, lead_file, teaser_files)
        cover = None
        if spec is not None and spec.cover:
            try:
                cover = self.image(spec.cover, self.root)
            except ValueError as exc:
                self.problems.append(
                    Problem(self.toml_at(("cover",)), "cover", f'"{spec.cover}" {exc}')
                )
        if self.problems or spec is None:
            raise InputError(self.problems)
        return Bulletin(
            root=self.root,
            publication=spec.publication,
            issue=spec.issue,
            year=spec.year,
            week=spec.week,
            editor_note_html=markdown_to_xhtml(spec.editor_note) if spec.editor_note else None,
            cover=cover,
            identifier=spec.identifier
            or default_identifier(spec.publication, spec.year, spec.issue),
            publisher=spec.publisher,
            rights=spec.rights,
            typography=spec.typography,
            pdf=spec.pdf,
            epub=spec.epub,
            sections=sections,
            lead_file=lead_file,
            teaser_files=teaser_files,
        )

    def fillers_checked(
        self, sections: list[Section], lead: str | None, teasers: list[str] | None
    ) -> None:
        """Fillers fill the gaps an issue's pages leave: an issue of fillers only has no pages
        to leave gaps, and a filler is never on the front page."""
        articles = [a for s in sections for a in s.articles]
        if articles and all(a.filler for a in articles):
            self.problems.append(
                Problem(
                    self.toml_at(("sections",)),
                    "sections",
                    "every article listed is a filler (filler: true); list at least one article "
                    "to be read in order (fillers only fill the gaps its pages leave)",
                )
            )
        fillers = {a.source for a in articles if a.filler}
        for key, chosen in (("lead", [lead] if lead else []), ("teasers", teasers or [])):
            for rel in chosen:
                if rel in fillers:
                    self.problems.append(
                        Problem(
                            self.toml_at((key,)),
                            key,
                            f'"{rel}" is a filler (filler: true): fillers go where a page is '
                            "left short, never on the front page; choose another article",
                        )
                    )

    def unlisted_files(self, listed: dict[str, tuple[str, tuple[Any, ...]]]) -> None:
        """Warn about article files in ``articles/`` that no section lists."""
        for rel in self.on_disk():
            if rel in self.suggested or os.path.realpath(self.root / rel) in listed:
                continue  # a misspelt listing of it is already reported, with its name
            self.warnings.append(
                Problem(
                    rel,
                    "",
                    f"is not listed in any section of {BULLETIN_FILE}; "
                    "it is left out of both editions",
                )
            )

    def front_page(
        self, spec: BulletinSpec, listed: dict[str, tuple[str, tuple[Any, ...]]]
    ) -> tuple[str | None, list[str] | None]:
        """The editor's lead and teasers, as the files are listed in the sections."""
        spellings = [rel for rel, _ in listed.values()]

        def find(rel: str, at: tuple[Any, ...], field: str) -> str | None:
            entry = listed.get(os.path.realpath(self.root / rel))
            if entry is None:
                meant = closest_path(rel, spellings)
                self.problems.append(
                    Problem(
                        self.toml_at(at),
                        field,
                        f'"{rel}" is not listed in any section' + did_you_mean(meant, rel),
                    )
                )
                return None
            return entry[0]

        lead = find(spec.lead, ("lead",), "lead") if spec.lead else None
        if spec.teasers is None:
            return lead, None
        if len(spec.teasers) > FRONT_PAGE_TEASERS:
            self.problems.append(
                Problem(
                    self.toml_at(("teasers",)),
                    "teasers",
                    f"lists {len(spec.teasers)} articles; the front page has room for "
                    f"{FRONT_PAGE_TEASERS} beside the lead",
                )
            )
        teasers: list[str] = []
        for index, rel in enumerate(spec.teasers):
            found = find(rel, ("teasers", index), "teasers")
            if found is None:
                continue
            if found == lead or found in teasers:
                what = "the lead" if found == lead else "already a teaser"
                self.warnings.append(
                    Problem(
                        self.toml_at(("teasers", index)),
                        "teasers",
                        f'"{rel}" is {what}; it is shown once',
                    )
                )
                continue
            teasers.append(found)
        return lead, teasers


# Longer than any real word, even a long URL: text that lost its spaces, or pasted data. Kept,
# broken to fit the column, and reported (a failure only under --strict).
RUNAWAY_WORD = 500


def _runaway_word(html: str) -> str | None:
    text = "".join(etree.fromstring(html).itertext())
    return next((w for w in text.split() if len(w) > RUNAWAY_WORD), None)


def _without_body(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "body"}


def spread_figures(
    blocks: list[HtmlBlock | FigureBlock], figures: list[Figure]
) -> list[HtmlBlock | FigureBlock]:
    """Place extra front-matter figures evenly between body paragraphs, in order."""
    if not figures:
        return blocks
    paragraphs = [i for i, b in enumerate(blocks) if isinstance(b, HtmlBlock)]
    result = list(blocks)
    for n, figure in reversed(list(enumerate(figures, start=1))):
        if paragraphs:
            after = paragraphs[
                min(len(paragraphs) - 1, round(n * len(paragraphs) / (len(figures) + 1)))
            ]
        else:
            after = len(result) - 1
        result.insert(after + 1, FigureBlock(figure=figure))
    return result


def load_bulletin(folder: Path | str, warnings: list[Problem] | None = None) -> Bulletin:
    """Load and validate a bulletin folder; raise InputError listing every problem."""
    loader = _Loader(Path(folder))
    try:
        return loader.bulletin()
    except InputError as exc:
        raise InputError(_in_reading_order(exc.problems)) from None
    finally:
        if warnings is not None:
            warnings.extend(_in_reading_order(loader.warnings))


def _in_reading_order(problems: list[Problem]) -> list[Problem]:
    """bulletin.toml's problems first, then each file's in the order the files were met; by
    line within a file (a problem without a line first)."""
    files: dict[str, int] = {BULLETIN_FILE: -1}

    def key(problem: Problem) -> tuple[int, int]:
        name, _, rest = problem.file.partition(":")
        line = rest.split(":")[0]
        return files.setdefault(name, len(files)), int(line) if line.isdigit() else 0

    return sorted(problems, key=key)
