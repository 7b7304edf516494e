"""What WeasyPrint says while it works, and the clock its font subsetter reads.

WeasyPrint logs rather than raises (missing glyphs, bad CSS, a link to no anchor): the
messages are kept for the build report. fontTools stamps subset fonts with "now" unless
SOURCE_DATE_EPOCH is set: it is set to the rendition's date around every PDF write.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

# Not about the document: declarations common.css makes for e-readers (WeasyPrint never
# hyphenates Vietnamese nor fakes styles we bundle). A missing HarfBuzz-Subset is reported:
# the PDF's bytes would then differ from every other machine's.
_NOT_WARNINGS = (
    "Ignored `adobe-hyphenate: none`",
    "Ignored `font-synthesis: none`",
)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_NOT_WARNINGS):
            self.messages.append(message)


@contextmanager
def fixed_font_timestamps(modified: str) -> Iterator[None]:
    """fontTools stamps subset fonts with 'now' unless SOURCE_DATE_EPOCH is set."""
    moment = dt.datetime.strptime(modified, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


@contextmanager
def capture_weasyprint_warnings() -> Iterator[list[str]]:
    """WeasyPrint logs instead of raising (missing glyphs, bad CSS); keep what it says."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)  # whatever the application's logging says,
    logger.propagate = False  # and reported once, in the build report
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
