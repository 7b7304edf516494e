"""The only place that writes into the output folder."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, fsync, then rename: readers see the old file or the new one.

    A failure at any point removes the temporary file and leaves the previous output as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def output_name(publication_slug: str, year: int, issue: int, suffix: str) -> str:
    """``ban-tin-tuan-2023-so-47.pdf``: sortable, ASCII, the same for both editions."""
    return f"{publication_slug}-{year}-so-{issue:02d}{suffix}"
