"""Typography applied once, to every piece of text, before anything is rendered.

Orthography first (NFC, mark order, mojibake, tone style), then punctuation (quotes, dashes,
no-break spaces). Both run on text nodes only, never on tags, attributes or code. What was
repaired or looks wrong becomes a warning naming the file, the line and column and the text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from exporter.errors import Problem, visible
from exporter.source.markup import to_xhtml
from exporter.source.models import Article, Bulletin, Figure, FigureBlock, HtmlBlock

from .orthography import Finding, normalize_text, tone_style_hits, tone_styles_used
from .typography import inner_xml, typeset, typeset_html, typeset_tree

# Text inside these is shown as written: code, and anything a renderer must not touch.
_VERBATIM = frozenset({"code", "kbd", "samp", "pre", "script", "style"})


@dataclass
class _Where:
    file: str
    field: str
    source: str = ""  # the text the positions refer to (article body, or the field value)
    first_line: int = 1  # line of the file where ``source`` starts


@dataclass
class _Normalizer:
    tone_style: str
    allow: list[str]
    warnings: list[Problem] = field(default_factory=list)

    def _report(self, findings: Iterable[Finding], where: _Where, original: str) -> None:
        for finding in findings:
            line, column = finding.line, finding.column
            # Positions are in the node; find the node in the source for a file position.
            at = where.source.find(original) if where.source else -1
            if at >= 0:
                before = where.source[: at + max(0, finding.offset)]
                line = before.count("\n") + 1
                column = len(before) - (before.rfind("\n") + 1) + 1
            position = f"{where.file}:{where.first_line + line - 1}:{column}"
            self.warnings.append(Problem(position, where.field, finding.message))

    def plain(self, value: str, where: _Where, *, punctuation: bool = True) -> str:
        fixed, findings = normalize_text(value, tone_style=self.tone_style, allow=self.allow)
        self._report(findings, _Where(where.file, where.field, value, where.first_line), value)
        return typeset(fixed) if punctuation else fixed

    def optional(self, value: str | None, where: _Where, **kw: bool) -> str | None:
        return None if value is None else self.plain(value, where, **kw)

    def html(self, fragment: str, where: _Where) -> str:
        return typeset_html(self._normalized(fragment, where))

    def block(self, fragment: str, where: _Where, block_id: str) -> str:
        """``_with_id(self.html(fragment, where), block_id)``, without parsing the result again
        when that parse could only give back the element typesetting made (see _read_back)."""
        normalized = self._normalized(fragment, where)
        if not normalized.strip():
            return _with_id(typeset_html(normalized), block_id)
        root = typeset_tree(normalized)
        element = _read_back(root)
        if element is None:
            return _with_id(inner_xml(root), block_id)
        if element.get("id"):
            return inner_xml(root)
        for empty in element.iter():
            if empty.text == "":
                empty.text = None  # what an XML parser makes of <p></p>
        element.set("id", block_id)
        return to_xhtml(element)

    def _normalized(self, fragment: str, where: _Where) -> str:
        """The fragment with its text normalised (not typeset), serialised again."""
        root = etree.fromstring(f"<div>{fragment}</div>")
        # Elements inside code and the like (found once: most fragments have none). The set
        # keeps the element proxies alive, so the loop below meets the same objects.
        verbatim = {inner for outer in root.iter(*_VERBATIM) for inner in outer.iter()}
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            text = element.text
            if text and element not in verbatim:
                fixed = self._node(text, where)
                if fixed != text:  # (most text is left as it is: no need to set it again)
                    element.text = fixed
            tail = element.tail
            if (
                tail
                and element is not root
                and not (element.getparent() is not None and element.getparent().tag in _VERBATIM)
            ):
                fixed = self._node(tail, where)
                if fixed != tail:
                    element.tail = fixed
        inner = "".join(to_xhtml(child) + (child.tail or "") for child in root)
        return (root.text or "") + inner

    def _node(self, text: str, where: _Where) -> str:
        fixed, findings = normalize_text(text, tone_style=self.tone_style, allow=self.allow)
        self._report(findings, where, text)
        return fixed

    def figure(self, figure: Figure, where: _Where) -> Figure:
        def at(name: str) -> _Where:
            return _Where(where.file, f"{where.field}.{name}", where.source, where.first_line)

        return figure.model_copy(
            update={
                "alt": self.plain(figure.alt, at("alt")),
                "caption": self.optional(figure.caption, at("caption")),
                "credit": self.optional(figure.credit, at("credit")),
            }
        )

    def article(self, article: Article) -> Article:
        file = article.source

        def at(name: str) -> _Where:
            return _Where(file, name)

        body = _Where(file, "body", article.body, article.body_line)
        blocks: list[HtmlBlock | FigureBlock] = []
        for number, block in enumerate(article.blocks, start=1):
            block_id = f"{article.slug}-{number}"
            if isinstance(block, FigureBlock):
                figure = self.figure(block.figure, body)
                blocks.append(FigureBlock(figure=figure, id=block.id or block_id))
            else:
                blocks.append(HtmlBlock(html=self.block(block.html, body, block_id)))
        figures = [self.figure(f, at(f"figures[{i}]")) for i, f in enumerate(article.figures)]
        top = None
        if article.top_figure is not None:
            index = article.figures.index(article.top_figure)
            top = figures[index]
        return article.model_copy(
            update={
                "title": self.plain(article.title, at("title")),
                "kicker": self.optional(article.kicker, at("kicker")),
                "lead": self.optional(article.lead, at("lead")),
                "pull_quote": self.optional(article.pull_quote, at("pull_quote")),
                "attribution": self.optional(article.attribution, at("attribution")),
                "authors": [
                    self.plain(a, at("authors"), punctuation=False) for a in article.authors
                ],
                "tags": [self.plain(t, at("tags"), punctuation=False) for t in article.tags],
                "section": self.plain(article.section, at("section")),
                "figures": figures,
                "top_figure": top,
                "blocks": blocks,
            }
        )


# Names an XML parser reads back as they are written (no prefix, nothing HTML-only).
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _read_back(root: etree._Element) -> etree._Element | None:
    """The element ``etree.fromstring(inner_xml(root))`` would give back unchanged (bar empty
    texts, which come back as None), or None when that is not sure: the div holds exactly one
    element, nothing before it and at most XML whitespace after it, and it and everything in
    it are elements with plain names and no xml* attributes (no comments, no namespaces)."""
    if root.text or len(root) != 1:
        return None
    element = root[0]
    if element.tail is not None and element.tail.strip(" \t\n"):
        return None
    for node in element.iter():
        if not isinstance(node.tag, str) or not _PLAIN_NAME.fullmatch(node.tag):
            return None
        for name in node.attrib:
            if not _PLAIN_NAME.fullmatch(name) or name.lower().startswith("xml"):
                return None
    return element


def _with_id(html: str, block_id: str) -> str:
    """Every top-level block gets an id both editions share (print page breaks map by it)."""
    root = etree.fromstring(html)
    if root.get("id"):
        return html
    root.set("id", block_id)
    return to_xhtml(root)


def _source_texts(bulletin: Bulletin) -> Iterable[tuple[str, str]]:
    """(file, text) of everything an editor wrote, for checks over the whole bulletin."""
    for article in bulletin.articles:
        pieces = [article.title, article.lead or "", article.kicker or "", article.body]
        pieces += [f.caption or "" for f in article.figures]
        yield article.source, "\n".join(pieces)


def check_tone_styles(bulletin: Bulletin) -> Problem | None:
    """One warning when the bulletin mixes hòa-style and hoà-style tone placement."""
    examples: dict[str, tuple[str, str]] = {}
    for file, text in _source_texts(bulletin):
        if tone_styles_used(text) <= examples.keys():
            continue  # no style this file could add an example of (the usual case)
        for style, hits in tone_style_hits(text).items():
            if hits and style not in examples:
                examples[style] = (hits[0][1], file)
    if len(examples) < 2:
        return None
    old_word, old_file = examples["old"]
    new_word, new_file = examples["new"]
    chosen = bulletin.typography.tone_style
    action = (
        f"all converted to the {chosen} style"
        if chosen != "keep"
        else 'set [typography] tone_style = "old" or "new" to make them consistent'
    )
    return Problem(
        "bulletin",
        "tone style",
        f'mixes old-style tone marks ("{visible(old_word)}" in {old_file}) and '
        f'new-style ones ("{visible(new_word)}" in {new_file}); {action}',
    )


Memo = dict[str, tuple[Article, list[Problem]]]


def _remembered(worker: _Normalizer, article: Article, memo: Memo, used: set[str]) -> Article:
    """An article normalised once per content: the preview normalises the bulletin again on
    every save, and all but the edited article are as they were."""
    text = f"{worker.tone_style}\0{worker.allow}\0{article.model_dump_json()}"
    key = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    used.add(key)
    if key in memo:
        result, found = memo[key]
        worker.warnings.extend(found)
        return result
    before = len(worker.warnings)
    result = worker.article(article)
    memo[key] = (result, worker.warnings[before:])
    return result


def normalize(
    bulletin: Bulletin, warnings: list[Problem] | None = None, memo: Memo | None = None
) -> Bulletin:
    """The bulletin with every text normalised; warnings appended to ``warnings``. A ``memo``
    kept by the caller between calls skips the articles normalised before (only those of
    the latest call are kept in it)."""
    options = bulletin.typography
    allow = options.allow_letters.split()
    worker = _Normalizer(options.tone_style, allow)
    used: set[str] = set()

    def article(a: Article) -> Article:
        return worker.article(a) if memo is None else _remembered(worker, a, memo, used)

    mixed = check_tone_styles(bulletin)
    sections = []
    for section in bulletin.sections:
        sections.append(
            section.model_copy(
                update={
                    "title": worker.plain(section.title, _Where("bulletin.toml", "sections.title")),
                    "articles": [article(a) for a in section.articles],
                }
            )
        )
    toml = "bulletin.toml"
    result = bulletin.model_copy(
        update={
            "publication": worker.plain(bulletin.publication, _Where(toml, "publication")),
            "publisher": worker.optional(bulletin.publisher, _Where(toml, "publisher")),
            "rights": worker.optional(bulletin.rights, _Where(toml, "rights")),
            "editor_note_html": (
                worker.html(bulletin.editor_note_html, _Where(toml, "editor_note"))
                if bulletin.editor_note_html
                else None
            ),
            "sections": sections,
        }
    )
    if memo is not None:
        for stale in set(memo) - used:
            del memo[stale]
    if warnings is not None:
        if mixed:
            warnings.append(mixed)
        warnings.extend(worker.warnings)
    return result
