"""Expected failures, each mapped to one CLI exit code.

Library code raises these; only the CLI turns them into exit codes, so a Python caller gets
ordinary exceptions with the same one-line messages the CLI prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, which field, what value, and why."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class ExportError(Exception):
    """Base of every expected failure."""

    exit_code = 1


class BuildError(ExportError):
    """Rendering or writing failed; the previous outputs are untouched."""

    exit_code = 1


class UsageError(ExportError):
    exit_code = 2


class InputError(ExportError):
    """The bulletin is invalid. Carries every problem found, not just the first."""

    exit_code = 3

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class SandboxError(BuildError):
    """A reference points outside the allowed folders or to the network."""


_INVISIBLE_ESCAPE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u200b-\u200f\u2028-\u202e"
    r"\u2060-\u2064\ufeff\ufffe\uffff]"
)


def visible(text: str, limit: int = 60) -> str:
    """Text for a message: invisible characters shown as ``\\u00ad`` escapes, length capped."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _INVISIBLE_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
