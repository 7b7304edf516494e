"""Runs last (conftest orders it): EPUBCheck on every EPUB the other tests built."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from .conftest import BUILT_EPUBS, epubcheck


def test_every_epub_built_by_the_tests_passes_epubcheck() -> None:
    assert BUILT_EPUBS, "no EPUB was built in this session"
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(BUILT_EPUBS, pool.map(epubcheck, BUILT_EPUBS.values()), strict=True))
    for name, messages in results.items():
        for severity in ("FATAL", "ERROR", "WARNING", "INFO"):
            assert not messages.get(severity), (name, messages.get(severity))
        assert {m["ID"] for m in messages.get("USAGE", [])} <= {"CSS-028"}, name
