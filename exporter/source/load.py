"""Read a bulletin folder into validated models, reporting every problem of every file at once.

An editor fixing a bulletin wants the whole list, not one error per run: each check appends a
``Problem`` (file, field path, offending value, reason) and the loader raises once at the end.
"""

from __future__ import annotations

import json
import logging
import tomllib
from pathlib import Path
from typing import Any

import yaml
from lxml import etree
from PIL import Image
from pydantic import BaseModel, ValidationError

from exporter.errors import InputError, Problem

from .markup import markdown_to_blocks, markdown_to_xhtml
from .models import (
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

log = logging.getLogger(__name__)

BULLETIN_FILE = "bulletin.toml"
ARTICLE_SUFFIXES = (".md", ".markdown", ".json")

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


def problems_from(error: ValidationError, file: str, prefix: str = "") -> list[Problem]:
    """Pydantic's errors as one line each: ``file: field: "value" reason``."""
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
        if ":" in reason and not field:  # a model-level check names its own field
            field, reason = (part.strip() for part in reason.split(":", 1))
        value = item.get("input")
        if kind == "missing" or isinstance(value, dict):
            message = reason
        else:
            message = f"{_show(value)} {reason}"
        problems.append(Problem(file, field, message))
    return problems


def _validate(model: type[BaseModel], data: Any, file: str, problems: list[Problem]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, file))
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

    def article(self, rel: str, section_title: str) -> Article | None:
        file = rel
        path = self.root / rel
        if path.suffix not in ARTICLE_SUFFIXES:
            self.problems.append(Problem(file, "", "is not a .md or .json article file"))
            return None
        try:
            resolve_reference(rel, self.root, [self.root])
        except Refused as exc:
            self.problems.append(Problem(BULLETIN_FILE, "sections", f'"{rel}" {exc}'))
            return None
        data = read_article_data(path, file, self.problems)
        if data is None:
            return None
        before = len(self.problems)
        model = ArticleInput if path.suffix == ".json" else ArticleMeta
        body_line = data.pop("_body_line", 1)
        meta = _validate(
            model, data if model is ArticleInput else _without_body(data), file, self.problems
        )
        body = data.get("body", "") if isinstance(data.get("body", ""), str) else ""
        if meta is None:
            return None
        slug = meta.slug or slugify(path.stem)
        if slug in self.slugs:
            if meta.slug:
                self.problems.append(Problem(file, "slug", f'"{slug}" is used by another article'))
            slug = unique(slug, self.slugs)
        else:
            self.slugs.add(slug)
        if meta.section and meta.section != section_title:
            self.warnings.append(
                Problem(
                    file,
                    "section",
                    f'"{meta.section}" differs from its place in {BULLETIN_FILE} '
                    f'("{section_title}"); using the latter',
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
                    Problem(file, f"figures[{index}].file", f'"{figure.file}" {exc}')
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
                at = text.find(word[:40])
                line = body_line + text.count("\n", 0, at) if at >= 0 else body_line
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

    def bulletin(self) -> Bulletin:
        toml_path = self.root / BULLETIN_FILE
        if not toml_path.is_file():
            raise InputError(
                [Problem(str(toml_path), "", "not found (is this a bulletin folder?)")]
            )
        text = read_text(toml_path, BULLETIN_FILE, self.problems)
        raw: dict[str, Any] = {}
        if text is not None:
            try:
                raw = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                self.problems.append(Problem(BULLETIN_FILE, "", f"invalid TOML: {exc}"))
        spec = _validate(BulletinSpec, raw, BULLETIN_FILE, self.problems) if raw else None

        sections: list[Section] = []
        section_slugs: set[str] = set()
        seen_files: set[str] = set()
        raw_sections = raw.get("sections") if isinstance(raw.get("sections"), list) else []
        for s_index, raw_section in enumerate(raw_sections):
            if not isinstance(raw_section, dict):
                continue
            title = str(raw_section.get("title", "")).strip()
            files = raw_section.get("articles")
            articles = []
            for a_index, rel in enumerate(files if isinstance(files, list) else []):
                if not isinstance(rel, str):
                    continue
                if rel in seen_files:
                    self.problems.append(
                        Problem(
                            BULLETIN_FILE,
                            f"sections[{s_index}].articles[{a_index}]",
                            f'"{rel}" is listed twice',
                        )
                    )
                    continue
                seen_files.add(rel)
                article = self.article(rel, title)
                if article is not None:
                    articles.append(article)
            if spec is not None:
                section_spec = spec.sections[s_index]
                slug = unique(section_spec.slug or slugify(title), section_slugs)
                sections.append(
                    Section(
                        title=section_spec.title,
                        slug=slug,
                        accent=section_spec.accent,
                        articles=articles,
                    )
                )

        cover = None
        if spec is not None and spec.cover:
            try:
                cover = self.image(spec.cover, self.root)
            except ValueError as exc:
                self.problems.append(Problem(BULLETIN_FILE, "cover", f'"{spec.cover}" {exc}'))
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
        )


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
    finally:
        if warnings is not None:
            warnings.extend(loader.warnings)
