"""Normalising again with a memo: the same bulletin and warnings, only changed articles redone."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter.source.load import load_bulletin
from exporter.vietnamese import normalize as normalize_module
from exporter.vietnamese.normalize import normalize

from ..conftest import ARTICLE, write_bulletin


def test_a_memo_changes_nothing_but_the_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Straight quotes and a misplaced tone: warnings that must come back from the memo too.
    text = ARTICLE.format(title="Tin 'nóng' về hoá đơn")
    root = write_bulletin(
        tmp_path / "b", {"articles/a.md": text, "articles/b.md": text.replace("Tin", "Bài")}
    )
    done: list[str] = []
    original = normalize_module._Normalizer.article

    def counting(self, article):
        done.append(article.source)
        return original(self, article)

    monkeypatch.setattr(normalize_module._Normalizer, "article", counting)
    memo: dict = {}
    plain_warnings: list = []
    plain = normalize(load_bulletin(root), plain_warnings)
    first_warnings: list = []
    first = normalize(load_bulletin(root), first_warnings, memo)
    assert plain_warnings  # the warnings too must come back from the memo
    assert first == plain and first_warnings == plain_warnings and len(memo) == 2
    done.clear()
    again_warnings: list = []
    again = normalize(load_bulletin(root), again_warnings, memo)
    assert done == [] and again == plain and again_warnings == plain_warnings
    changed = (root / "articles" / "b.md").read_text(encoding="utf-8").replace("23/11", "24/11")
    (root / "articles" / "b.md").write_text(changed, encoding="utf-8")
    normalize(load_bulletin(root), [], memo)
    assert done == ["articles/b.md"]
    assert len(memo) == 2  # the old version of b.md is gone
