"""``bulletin.toml`` as the editor wrote it, with articles added and nothing else changed.

tomlkit keeps comments, blank lines, quoting and the layout of arrays when an item is
appended; where its own round trip slips (it drops the space before ``}`` after a date in an
inline table, e.g. ``week = { start = 2023-11-20, end = 2023-11-26 }``) the editor's line is
put back, so every line this module did not mean to touch comes out byte for byte.

A section may wait as a comment (``exporter new`` writes the sections of the previous issue
so): a ``# [[sections]]`` block whose ``# articles = []`` is empty. Adding an article to it
brings the block back in its place, so the sections keep the previous issue's order.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Array, Table

from exporter.source.slugs import slugify

WIDTH = 100  # a one-line array longer than this is laid out one item a line
_HEADER = re.compile(r"^#\s?\[\[\s*sections\s*\]\]\s*$")
_COMMENTED_KEY = re.compile(r"^#\s?([A-Za-z_][A-Za-z0-9_-]*\s*=.*)$")

Place = Literal["listed", "revived", "created"]


class TomlEditError(ValueError):
    """bulletin.toml cannot be read, or cannot take the change without losing something."""


def section_key(name: str) -> str:
    """Sections match by slug: ``thoi su``, ``THỜI SỰ`` and ``Thời sự`` are one section, and
    so are the two tone styles (``Văn hóa``, ``Văn hoá``)."""
    text = unicodedata.normalize("NFC", name).strip()
    return slugify(text, fallback="") or text.casefold()  # a name of symbols only: as written


def toml_string(value: str) -> str:
    return tomlkit.string(value).as_string()


@dataclass
class Waiting:
    """A commented section: its lines in the text, and what they say."""

    start: int
    end: int
    title: str
    slug: str | None


class BulletinToml:
    """Edit one bulletin.toml in memory; ``text()`` gives the result to write."""

    def __init__(self, text: str) -> None:
        self.bom = text.startswith("\ufeff")
        self.original = text.removeprefix("\ufeff")
        self.newline = "\r\n" if "\r\n" in self.original else "\n"
        try:
            self.data = tomllib.loads(self.original)
            self.doc = tomlkit.parse(self.original)
        except (tomllib.TOMLDecodeError, TOMLKitError) as exc:
            raise TomlEditError(f"invalid TOML: {exc}") from None
        self.roundtrip = self.doc.as_string()
        self.added: list[tuple[str, str]] = []  # (section title, article path)
        self.new_sections: list[str] = []

    @property
    def changed(self) -> bool:
        return bool(self.added or self.new_sections)

    # What is there

    def _tables(self) -> list[Table]:
        sections = self.doc.get("sections")
        if sections is None:
            return []
        if not isinstance(sections, list) or not all(isinstance(t, Table) for t in sections):
            raise TomlEditError("sections: is not a list of [[sections]] tables")
        return list(sections)

    def sections(self) -> list[str]:
        """Titles of the sections in force, in order."""
        return [str(t.get("title", "")) for t in self._tables()]

    def listed(self) -> dict[str, str]:
        """Every article path listed (normalised), with the title of its section."""
        found = {}
        for table in self._tables():
            articles = table.get("articles")
            for entry in articles if isinstance(articles, list) else []:
                if isinstance(entry, str):
                    found[posixpath.normpath(entry)] = str(table.get("title", ""))
        return found

    def waiting(self) -> list[Waiting]:
        """The commented sections, in order, that ``add`` would bring back."""
        lines = self.doc.as_string().split(self.newline)
        blocks, at = [], 0
        while at < len(lines):
            if not _HEADER.match(lines[at].strip()):
                at += 1
                continue
            end = at + 1
            while end < len(lines) and _COMMENTED_KEY.match(lines[end].strip()):
                end += 1
            body = "\n".join(_COMMENTED_KEY.match(x.strip()).group(1) for x in lines[at + 1 : end])
            try:
                table = tomllib.loads(body)
            except tomllib.TOMLDecodeError:
                table = {}
            title = table.get("title")
            if isinstance(title, str) and title.strip() and table.get("articles") == []:
                slug = table.get("slug") if isinstance(table.get("slug"), str) else None
                blocks.append(Waiting(at, end, title, slug))
            at = end
        return blocks

    def find(self, name: str) -> tuple[str, Place | Literal["waiting"]] | None:
        """The section ``name`` means: one in force (its title as written), else a waiting
        one; None when there is neither."""
        key = section_key(name)
        if not key:
            return None
        for table in self._tables():
            title = str(table.get("title", ""))
            if key in (section_key(title), table.get("slug")):
                return title, "listed"
        for block in self.waiting():
            if key in (section_key(block.title), block.slug):
                return block.title, "waiting"
        return None

    # Changes

    def add(self, section: str, path: str) -> Place:
        """Append ``path`` to the section ``section`` names, bringing a waiting section back
        or adding a new one at the end of the file when needed."""
        found = self.find(section)
        place: Place = "listed"
        if found is None:
            self._create(section)
            title, place = section, "created"
        else:
            title, where = found
            if where == "waiting":
                self._revive(title)
                place = "revived"
        if place != "listed":
            self.new_sections.append(title)
        table = next(t for t in self._tables() if str(t.get("title", "")) == title)
        articles = table.get("articles")
        if articles is None:
            table["articles"] = tomlkit.array()
            articles = table["articles"]
        if not isinstance(articles, Array):
            raise TomlEditError(f'sections "{title}": articles is not a list')
        one_line = "\n" not in articles.as_string()
        articles.append(path)
        if one_line and len(articles) > 1 and len(f"articles = {articles.as_string()}") > WIDTH:
            articles.multiline(True)
        self.added.append((title, path))
        return place

    def _reparse(self, text: str) -> None:
        try:
            self.doc = tomlkit.parse(text)
        except TOMLKitError as exc:  # a commented block that was not what it looked like
            raise TomlEditError(f"cannot add the section: {exc}") from None

    def _create(self, title: str) -> None:
        text = self.doc.as_string().rstrip("\r\n")
        nl = self.newline
        block = nl.join(["[[sections]]", f"title = {toml_string(title)}", "articles = []", ""])
        self._reparse(f"{text}{nl}{nl}{block}" if text else block)

    def _revive(self, title: str) -> None:
        block = next(b for b in self.waiting() if b.title == title)
        lines = self.doc.as_string().split(self.newline)
        for n in range(block.start, block.end):
            text = lines[n]
            lines[n] = text[: len(text) - len(text.lstrip())] + re.sub(r"^#\s?", "", text.lstrip())
        self._reparse(self.newline.join(lines))

    # The result

    def text(self) -> str:
        """The edited file: the editor's own lines wherever nothing was meant to change,
        checked to hold exactly the original data plus the added articles and sections."""
        edited = self.doc.as_string()
        merged = keep_untouched(self.original, self.roundtrip, edited)
        if tomllib.loads(merged) != tomllib.loads(edited):
            merged = edited
        self._check(tomllib.loads(merged))
        return ("\ufeff" if self.bom else "") + merged

    def _check(self, data: dict[str, Any]) -> None:
        new_titles = set(self.new_sections)
        sections = [s for s in data.get("sections", []) if s.get("title") not in new_titles]
        added = {path for _, path in self.added}
        for s in sections:
            s["articles"] = [a for a in s.get("articles", []) if a not in added]
        if sections or "sections" in self.data:
            data["sections"] = sections
        else:
            data.pop("sections", None)
        if data != self.data or len(self.added) != len(added):
            raise TomlEditError("the change would alter more than the sections' article lists")


def keep_untouched(original: str, roundtrip: str, edited: str) -> str:
    """``edited`` (tomlkit's ``roundtrip`` of ``original``, then edited), with the lines
    tomlkit changed on its own put back as ``original`` had them.

    A three-way merge by lines: the differences original -> roundtrip are tomlkit's slips,
    roundtrip -> edited are ours. A slip inside an edited region stays as tomlkit wrote it.
    """
    if original == roundtrip:
        return edited
    o, r, e = (s.splitlines(keepends=True) for s in (original, roundtrip, edited))
    regions: dict[int, tuple[int, int, int]] = {}  # r line -> (r end, o start, o end)
    dropped: dict[int, list[str]] = {}  # r line -> original lines tomlkit left out before it
    matcher = difflib.SequenceMatcher(None, o, r, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if j1 == j2:
            dropped[j1] = o[i1:i2]
        else:
            for j in range(j1, j2):
                regions[j] = (j2, i1, i2) if j == j1 else (-1, 0, 0)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, r, e, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            out += e[b1:b2]
            continue
        j = a1
        while j < a2:
            out += dropped.get(j, [])
            region = regions.get(j)
            if region is None:
                out.append(r[j])
                j += 1
            elif region[0] != -1 and region[0] <= a2:
                out += o[region[1] : region[2]]
                j = region[0]
            else:
                out.append(r[j])
                j += 1
        if a2 == len(r):
            out += dropped.get(a2, [])
    return "".join(out)
