"""exporter: Vietnamese news bulletins to a print PDF (WeasyPrint) and an EPUB 3 (ebooklib).

The public API; the command line is a thin layer over these.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import BuildError, ExportError, InputError, Problem, UsageError  # noqa: E402
from .load import load_bulletin  # noqa: E402
from .models import Article, Bulletin, Figure, Section  # noqa: E402
from .pipeline import Report, build, validate  # noqa: E402

__all__ = [
    "Article",
    "BuildError",
    "Bulletin",
    "ExportError",
    "Figure",
    "InputError",
    "Problem",
    "Report",
    "Section",
    "UsageError",
    "__version__",
    "build",
    "load_bulletin",
    "validate",
]
