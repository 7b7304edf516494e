"""``exporter import``: news articles as copied from CMS pages or saved as HTML -> article files.

Nothing is lost silently: every non-blank input line is reported as kept (``title``,
``authors+published``, ``lead``, ``body[3]``, ``figure[0].caption``, ``attribution``, ...) or
dropped with a named reason ("share button", "related-news block", "repeated title", ...).

Modules, one job each: ``decode`` (bytes -> text), ``vocabulary`` (boilerplate rules),
``patterns`` and ``dates`` (what one line is), ``text_input`` (layout of a copied page),
``html_input`` (a saved page's structure -> fields, with ``html_lines``, ``html_page``,
``html_layout``, ``html_blocks``, ``html_figures``, ``html_nav``, ``html_byline`` and
``html_dates``), ``images`` (copy, from ``NAME_files/`` too, or placeholder),
``markdown_out`` (the article file), ``api`` (run, write, report).
"""

from .api import extract, import_file, import_many, write_report
from .model import (
    Block,
    Extracted,
    ImportedFigure,
    ImportFailure,
    ImportReport,
    ImportResult,
    LineRecord,
)

__all__ = [
    "Block",
    "Extracted",
    "ImportFailure",
    "ImportReport",
    "ImportResult",
    "ImportedFigure",
    "LineRecord",
    "extract",
    "import_file",
    "import_many",
    "write_report",
]
