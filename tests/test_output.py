"""Outputs appear whole or not at all; a failed build never replaces a good file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exporter import BuildError, build
from exporter.backends.epub.backend import EpubBackend
from exporter.output import write_atomic


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "x.pdf"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.pdf"]


def test_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.pdf"
    write_atomic(target, b"good old bytes")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(target, b"half-written new bytes")
    assert target.read_bytes() == b"good old bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_failing_build_keeps_previous_outputs(
    bulletin_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    report = build(bulletin_dir, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(before) == 2 and len(report.outputs) == 2

    def explode(self: EpubBackend, rendition: object) -> bytes:
        raise BuildError("simulated EPUB failure")

    monkeypatch.setattr(EpubBackend, "build", explode)
    (bulletin_dir / "articles" / "01-mot.md").write_text(
        (bulletin_dir / "articles" / "01-mot.md").read_text(encoding="utf-8") + "\nMới.\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError):
        build(bulletin_dir, out)
    # The PDF was built in memory first, but nothing was written: both old files intact.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
