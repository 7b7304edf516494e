"""exporter: Vietnamese news bulletins to a print PDF (WeasyPrint) and an EPUB 3 (ebooklib).

The public API; the command line is a thin layer over these. Names are imported on first use,
so that tools which only look (``exporter batch`` deciding nothing changed, ``--help``) do
not pay for loading WeasyPrint.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Article": "source.models",
    "Bulletin": "source.models",
    "Figure": "source.models",
    "Section": "source.models",
    "BuildError": "errors",
    "ExportError": "errors",
    "InputError": "errors",
    "Problem": "errors",
    "UsageError": "errors",
    "load_bulletin": "source.load",
    "Report": "pipeline",
    "build": "pipeline",
    "validate": "pipeline",
    "batch": "batch",
    "write_catalog": "catalog",
}

__all__ = [
    "Article", "BuildError", "Bulletin", "ExportError", "Figure", "InputError", "Problem",
    "Report", "Section", "UsageError", "__version__", "batch", "build", "load_bulletin",
    "validate", "write_catalog",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'exporter' has no attribute {name!r}")


if TYPE_CHECKING:
    from .batch import batch
    from .catalog import write_catalog
    from .errors import BuildError, ExportError, InputError, Problem, UsageError
    from .pipeline import Report, build, validate
    from .source.load import load_bulletin
    from .source.models import Article, Bulletin, Figure, Section
