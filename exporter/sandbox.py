"""Where rendering may read from: the bulletin folder and the theme folders, nothing else.

Article content is untrusted (it is often scraped). Every reference is checked twice: by the
loader, which names the article, and by the fetcher WeasyPrint uses, which refuses anything
that slipped through (a stylesheet ``@import``, a URL in an override template).
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .markup import is_external

mimetypes.add_type("font/ttf", ".ttf")
mimetypes.add_type("font/otf", ".otf")
mimetypes.add_type("font/woff2", ".woff2")
mimetypes.add_type("font/woff", ".woff")
mimetypes.add_type("image/webp", ".webp")


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


class SandboxViolation(FatalURLFetchingError):
    """Raised inside WeasyPrint's fetch to stop the render (not just log a warning)."""


class SandboxedFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves local files under the allowed roots and nothing else."""

    def __init__(self, roots: Iterable[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [Path(os.path.realpath(r)) for r in roots]
        self.fetched: list[Path] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise SandboxViolation(f'reference "{url}" is a network URL, which is not allowed')
        path = Path(unquote(urlsplit(url).path))
        if not inside(path, self.roots):
            raise SandboxViolation(f'reference "{url}" is outside the allowed folders')
        real = Path(os.path.realpath(path))
        if not real.is_file():
            raise SandboxViolation(f'reference "{url}" does not exist')
        self.fetched.append(real)
        media_type = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=real.read_bytes(), headers={"Content-Type": media_type})
