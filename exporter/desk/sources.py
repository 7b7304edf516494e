"""Where each thing on a page comes from: ``path:line`` for the preview's click to source.

The rendered page carries stable ids (``slug-title``, ``slug-lead``, ``slug-3`` for the third
block of the body, ``section-slug``…); here they are tied back to the line of the article file
or of ``bulletin.toml`` that wrote them, and written onto the elements as ``data-src`` before
layout, so the laid-out boxes know their source. The text is read again from disk, never from
the models: positions must be those of the file the editor has open.
"""

from __future__ import annotations

import re

from lxml import etree
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from exporter.source.load import BULLETIN_FILE, split_front_matter
from exporter.source.models import Bulletin

ATTRIBUTE = "data-src"

# Which front-matter key wrote which part of an article's header.
_HEADER_KEYS = {
    "title": ("title",),
    "label": ("kicker", "section", "title"),
    "lead": ("lead",),
    "top": ("figures", "image", "title"),
    "quote": ("pull_quote",),
    "source": ("attribution",),
}

# Configured as the loader's parser (source/markup.py), so blocks are cut the same way.
_parser = MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)


def _key_lines(front: str) -> dict[str, int]:
    """Line (counted from the first front-matter line, 0-based) of each top-level key."""
    lines: dict[str, int] = {}
    for number, line in enumerate(front.split("\n")):
        match = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if match and match.group(1) not in lines:
            lines[match.group(1)] = number
    return lines


def _block_lines(body: str) -> list[int]:
    """0-based line in ``body`` where each top-level block starts, in order."""
    return [
        token.map[0]
        for token in _parser.parse(body)
        if token.level == 0 and token.nesting >= 0 and token.block and token.map
    ]


def article_lines(text: str, slug: str) -> dict[str, int]:
    """Element id -> 1-based line in the article file, for an article's markup."""
    front, body, body_line = split_front_matter(text)
    found: dict[str, int] = {}
    if front is not None:
        keys = _key_lines(front)
        for part, candidates in _HEADER_KEYS.items():
            key = next((k for k in candidates if k in keys), None)
            if key is not None:
                found[f"{slug}-{part}" if part else slug] = keys[key] + 2
        if "authors" in keys:
            found[f"{slug}-byline"] = keys["authors"] + 2
        found[slug] = found.get(f"{slug}-title", 1)
    for number, line in enumerate(_block_lines(body), start=1):
        found[f"{slug}-{number}"] = body_line + line
    return found


def toml_section_lines(text: str) -> list[int]:
    """1-based line of each ``[[sections]]`` title in ``bulletin.toml``, in order."""
    lines: list[int] = []
    in_section = False
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.replace(" ", "") == "[[sections]]"
            if in_section:
                lines.append(number)
        elif in_section and re.match(r"title\s*=", stripped):
            lines[-1] = number
    return lines


def source_map(bulletin: Bulletin) -> dict[str, str]:
    """Element id -> ``path:line`` for every article and section of the bulletin."""
    result: dict[str, str] = {}
    root = bulletin.root
    for article in bulletin.articles:
        try:
            text = (root / article.source).read_text(encoding="utf-8-sig")
        except OSError:
            continue
        for element_id, line in article_lines(text, article.slug).items():
            result[element_id] = f"{article.source}:{line}"
    try:
        toml = (root / BULLETIN_FILE).read_text(encoding="utf-8-sig")
    except OSError:
        return result
    for section, line in zip(bulletin.sections, toml_section_lines(toml), strict=False):
        result[f"section-{section.slug}"] = f"{BULLETIN_FILE}:{line}"
    return result


def annotate(html: str, sources: dict[str, str]) -> str:
    """The page with ``data-src`` on every element whose id has a known source."""
    root = etree.HTML(html)
    for element in root.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if element_id and element_id in sources:
            target = element
            if element.tag == "section":  # the section's title, not all its pages
                target = next(iter(element.iterfind(".//*[@class='section-title']")), element)
            target.set(ATTRIBUTE, sources[element_id])
        elif isinstance(element.tag, str) and "byline" in (element.get("class") or "").split():
            article = next(element.iterancestors("article"), None)
            key = f"{article.get('id')}-byline" if article is not None else ""
            if key in sources:
                element.set(ATTRIBUTE, sources[key])
    return "<!DOCTYPE html>\n" + etree.tostring(root, encoding="unicode", method="html")
