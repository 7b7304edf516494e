"""An extracted article as the Markdown + YAML file that ``exporter build`` reads.

Text is escaped so that what the editor copied comes back unchanged from the Markdown parser:
a paragraph "1. Ngày ..." stays a paragraph, ``*``, ``_``, ``<`` and ``&`` stay characters.
YAML values are double-quoted so "Theo TTXVN", "2023-11-23 20:39" or "Có" stay strings.
Typography (curly quotes, dashes) is left to the build, which applies it once to everything.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from exporter.source.models import VN_TZ

from .model import Block, Extracted, ImportedFigure

_INLINE = re.compile(r"([\\`*_\[\]<>&|~!#])")
_LEADING_MARK = re.compile(r"^([-+=])|^(\d{1,9})([.)])(?=\s|$)")


def escape(text: str) -> str:
    """Backslash-escape everything CommonMark could read as markup, inline or at line start."""
    text = " ".join(text.split())
    text = _INLINE.sub(r"\\\1", text)
    return _LEADING_MARK.sub(_escape_mark, text)


def _escape_mark(m: re.Match[str]) -> str:
    if m.group(1):
        return "\\" + m.group(1)
    return f"{m.group(2)}\\{m.group(3)}"


def _title_attr(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


class _Quoted(str):
    """A YAML value written in double quotes."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    _Quoted, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, '"')
)


def _quote(value: Any) -> Any:
    if isinstance(value, str):
        return _Quoted(value)
    if isinstance(value, list):
        return [_quote(v) for v in value]
    if isinstance(value, dict):
        return {k: _quote(v) for k, v in value.items()}
    return value


def front_matter(article: Extracted) -> dict[str, Any]:
    """The ``ArticleMeta`` fields, in reading order, without empty ones."""
    assert article.published is not None
    data: dict[str, Any] = {"title": article.title}
    for name in ("section", "kicker"):
        if getattr(article, name):
            data[name] = getattr(article, name)
    if article.authors:
        data["authors"] = list(article.authors)
    if article.attribution:
        data["attribution"] = article.attribution
    if article.source_prefix:
        data["source_prefix"] = article.source_prefix
    data["published"] = f"{article.published.astimezone(VN_TZ):%Y-%m-%d %H:%M}"
    if article.updated:
        data["updated"] = f"{article.updated.astimezone(VN_TZ):%Y-%m-%d %H:%M}"
    if article.lead:
        data["lead"] = article.lead
    if article.figures:
        data["figures"] = [_figure(f) for f in article.figures]
    if article.tags:
        data["tags"] = list(article.tags)
    if article.source_url:
        data["source_url"] = article.source_url
    if article.filler:
        data["filler"] = True
    return data


def _figure(figure: ImportedFigure) -> dict[str, str]:
    data = {"file": figure.file or figure.name, "alt": figure.alt}
    if figure.caption:
        data["caption"] = figure.caption
    if figure.credit:
        data["credit"] = figure.credit
    return data


def _block(block: Block) -> str:
    text = escape(block.text)
    if block.kind == "h":
        return f"## {text}"
    if block.kind == "li":
        return f"- {text}"
    if block.kind == "ol":
        return f"{block.number or 1}. {text}"
    return text


def _inline_figure(figure: ImportedFigure) -> str:
    title = f' "{_title_attr(figure.caption)}"' if figure.caption else ""
    return f"![{escape(figure.alt)}]({figure.file or figure.name}{title})"


def body_markdown(article: Extracted) -> str:
    """Blocks separated by blank lines; list items of one list on consecutive lines.

    The first figure, when it stands before the body, is the article's top picture (the loader
    puts it under the lead); the others are written inline where the text had them.
    """
    inline = [f for f in article.figures if not is_top(article, f)]
    chunks: list[str] = []
    previous: str | None = None
    for index, block in enumerate([*article.body, None]):
        for figure in inline:
            if figure.position == index:
                chunks.append("\n" + _inline_figure(figure))
                previous = "figure"
        if block is None:
            break
        same_list = block.kind in ("li", "ol") and block.kind == previous
        chunks.append(("" if same_list else "\n") + _block(block))
        previous = block.kind
    return "\n".join(chunks).lstrip("\n") + "\n"


def is_top(article: Extracted, figure: ImportedFigure) -> bool:
    return bool(article.figures) and figure is article.figures[0] and figure.position == 0


def render(article: Extracted) -> str:
    """The whole article file."""
    meta = yaml.dump(
        _quote(front_matter(article)),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
    )
    return f"---\n{meta}---\n\n{body_markdown(article)}"
