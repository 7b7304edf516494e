"""Where rendering may read from: the bulletin folder and the theme folders, nothing else.

Article content is untrusted (it is often scraped). Every reference is checked twice: here,
by the loader, which names the article; and by the fetcher the PDF backend gives WeasyPrint,
which serves the rendition's own files only and raises ``SandboxViolation`` for anything
that slipped through (a stylesheet ``@import``, a URL in an override template).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .markup import is_external


class Refused(ValueError):
    """A reference the sandbox will not follow; the message says why."""


def inside(path: Path, roots: Iterable[Path]) -> bool:
    real = Path(os.path.realpath(path))
    return any(real.is_relative_to(Path(os.path.realpath(root))) for root in roots)


def resolve_reference(reference: str, base_dir: Path, roots: Iterable[Path]) -> Path:
    """Turn a relative reference into a real path inside one of ``roots``, or refuse."""
    roots = list(roots)
    if not reference.strip():
        raise Refused("is empty")
    if is_external(reference):
        raise Refused("is a network or external URL, which is not allowed")
    path_text = unquote(urlsplit(reference).path)
    if os.path.isabs(path_text):
        raise Refused("is an absolute path, which is not allowed")
    candidate = base_dir / path_text
    if not inside(candidate, roots):
        raise Refused("is outside the bulletin folder")
    if not candidate.is_file():
        raise Refused("does not exist")
    return Path(os.path.realpath(candidate))
