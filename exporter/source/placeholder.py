"""Recognises the stand-in pictures the importer writes for images nobody has sent yet.

The marker travels inside the file (a JPEG comment), so the loader can warn about every
placeholder still in a bulletin and ``--strict`` can refuse to publish one.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

MARKER = b"exporter:placeholder"


def is_placeholder(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            return image.info.get("comment") == MARKER
    except OSError:
        return False
