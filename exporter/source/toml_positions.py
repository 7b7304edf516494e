"""Where things are in a TOML file: the line of every key, table header and array element.

``tomllib`` gives values without positions. Messages about ``bulletin.toml`` should say
``bulletin.toml:14: section "Kinh tế": …``, so this module scans the text once more (only
when a message needs a line) and maps each path, as pydantic reports it (``("sections", 2,
"articles", 1)``), to its line. The text has already been parsed by ``tomllib``, so the scan
can assume valid TOML; anything it does not follow just leaves paths without a line.

It also turns a ``TOMLDecodeError`` into a message showing the offending line with a caret.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
import unicodedata

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = " \t"
_SCALAR = re.compile(r"[^,\]}#\n]*")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.arrays: dict[Path, int] = {}  # array-of-tables path -> tables seen so far

    # -- characters ------------------------------------------------------------------------

    def peek(self, length: int = 1) -> str:
        return self.text[self.i : self.i + length]

    def advance_to(self, end: int) -> None:
        self.line += self.text.count("\n", self.i, end)
        self.i = end

    def skip(self, newlines: bool) -> None:
        """Spaces, comments and (if asked) line breaks."""
        text, n = self.text, len(self.text)
        while self.i < n:
            char = text[self.i]
            if char in _SPACE or char == "\r":
                self.i += 1
            elif char == "#":
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end
            elif char == "\n" and newlines:
                self.i += 1
                self.line += 1
            else:
                return

    # -- pieces ----------------------------------------------------------------------------

    def string(self) -> str:
        text = self.text
        quote = text[self.i]
        if text.startswith(quote * 3, self.i):
            end = text.find(quote * 3, self.i + 3)
            while quote == '"' and end > 0 and _escaped(text, end):
                end = text.find(quote * 3, end + 1)
            if end < 0:
                raise ValueError("unterminated string")
            while text.startswith(quote, end + 3):  # up to two quotes may end the content
                end += 1
            value = text[self.i + 3 : end]
            self.advance_to(end + 3)
            return value
        end = text.find(quote, self.i + 1)
        while quote == '"' and end > 0 and _escaped(text, end):
            end = text.find(quote, end + 1)
        if end < 0:
            raise ValueError("unterminated string")
        value = text[self.i + 1 : end]
        self.advance_to(end + 1)
        return value

    def key(self) -> list[str]:
        parts = []
        while True:
            self.skip(newlines=False)
            if self.peek() in ('"', "'"):
                part = self.string()
                if self.text[self.i - 1] == '"' and "\\" in part:
                    part = tomllib.loads(f'k = "{part}"')["k"]
                parts.append(part)
            else:
                match = _BARE_KEY.match(self.text, self.i)
                if not match:
                    raise ValueError("expected a key")
                parts.append(match.group())
                self.i = match.end()
            self.skip(newlines=False)
            if self.peek() != ".":
                return parts
            self.i += 1

    def value(self, path: Path) -> None:
        self.lines.setdefault(path, self.line)
        char = self.peek()
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.i += 1
            index = 0
            while True:
                self.skip(newlines=True)
                if self.peek() == "]":
                    self.i += 1
                    return
                self.value((*path, index))
                index += 1
                self.skip(newlines=True)
                if self.peek() == ",":
                    self.i += 1
        elif char == "{":
            self.i += 1
            while True:
                self.skip(newlines=False)
                if self.peek() == "}":
                    self.i += 1
                    return
                self.pair(path)
                self.skip(newlines=False)
                if self.peek() == ",":
                    self.i += 1
        else:  # number, boolean, date or time (which may hold one space)
            match = _SCALAR.match(self.text, self.i)
            assert match is not None
            self.i = match.end()

    def pair(self, table: Path) -> None:
        line = self.line
        path = (*table, *self.key())
        self.lines[path] = line
        self.skip(newlines=False)
        if self.peek() != "=":
            raise ValueError("expected =")
        self.i += 1
        self.skip(newlines=False)
        self.value(path)

    def header(self) -> Path:
        double = self.peek(2) == "[["
        self.i += 2 if double else 1
        names = self.key()
        self.i += 2 if double else 1
        path: list[str | int] = []
        for position, name in enumerate(names):
            path.append(name)
            last = position == len(names) - 1
            if double and last:
                count = self.arrays.get(tuple(path), 0)
                self.arrays[tuple(path)] = count + 1
                self.lines.setdefault(tuple(path), self.line)
                path.append(count)
            elif tuple(path) in self.arrays:
                path.append(self.arrays[tuple(path)] - 1)
        self.lines[tuple(path)] = self.line
        return tuple(path)

    def document(self) -> None:
        table: Path = ()
        while True:
            self.skip(newlines=True)
            if self.i >= len(self.text):
                return
            if self.peek() == "[":
                table = self.header()
            else:
                self.pair(table)


def _escaped(text: str, index: int) -> bool:
    """Whether the character at ``index`` follows an odd number of backslashes."""
    count = 0
    while index - count - 1 >= 0 and text[index - count - 1] == "\\":
        count += 1
    return count % 2 == 1


class Positions:
    """Lines of a TOML text by path, worked out on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[Path, int] | None = None

    @property
    def lines(self) -> dict[Path, int]:
        if self._lines is None:
            scanner = _Scanner(self.text)
            # Keep what was found: the paths after a surprise get no line.
            with contextlib.suppress(ValueError, IndexError, tomllib.TOMLDecodeError):
                scanner.document()
            self._lines = scanner.lines
        return self._lines

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one (a missing key)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def syntax_error(text: str, error: tomllib.TOMLDecodeError) -> tuple[int | None, int | None, str]:
    """(line, column, message with the offending line and a caret) for a TOML syntax error."""
    message = str(error)
    lines = text.split("\n")
    line = column = None
    match = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()]
    elif message.endswith(" (at end of document)"):
        message = message.removesuffix(" (at end of document)")
        while len(lines) > 1 and not lines[-1].strip():
            lines.pop()
        line, column = len(lines), len(lines[-1]) + 1
    reason = message[:1].lower() + message[1:]
    if line is None or column is None or line > len(lines):
        return line, column, f"invalid TOML: {reason}"
    source = lines[line - 1]
    if column <= len(source) and source[column - 1] in "“”‘’":
        reason += ' (write text between straight quotes: "…")'
    width = len(str(line))
    shown = []
    if line > 1 and lines[line - 2].strip():
        shown.append(f"  {line - 1:>{width}} | {lines[line - 2]}")
    shown.append(f"  {line:>{width}} | {source}")
    # Under the offending character: tabs kept, combining marks take no room.
    pad = "".join(
        "\t" if char == "\t" else "" if unicodedata.combining(char) else " "
        for char in source[: column - 1]
    )
    shown.append(f"  {' ' * width} | {pad}^")
    return line, column, f"invalid TOML: {reason}\n" + "\n".join(shown)
