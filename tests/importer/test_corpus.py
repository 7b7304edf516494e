"""The import corpus: pages in the styles of 19 Vietnamese sites, every field checked.

``corpus/tuning`` is what the rules were tuned on; ``corpus/held-out`` was written by another
hand from the same brief and run only once the rules were frozen (``bench/import_quality.py``
prints both scores). Fields the importer still gets wrong are listed below by fixture: the
test fails if one of them starts passing (update the list) or anything else breaks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from exporter.importer import extract
from exporter.importer.quality import CORPUS_FIELDS, expectation_of, field_score, load_expected

CORPUS = Path(__file__).parent / "data" / "corpus"
FIXTURES = sorted(
    p
    for part in ("tuning", "held-out")
    for p in (CORPUS / part).iterdir()
    if p.suffix in (".txt", ".html") and expectation_of(p).exists()
)
# fixture (part/name) -> fields known to be wrong today
KNOWN_WRONG: dict[str, set[str]] = {
    # A copy without blank lines: the sub-heading right under a "Tin liên quan" box reads
    # like one more related headline, so it is dropped with the box (and the picture under
    # it counts one body block less).
    "held-out/nld-sau-rieng-cai-lay.txt": {"figures", "body"},
}


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_the_corpus_looks_like_the_real_web() -> None:
    sites = {load_expected(p)["site"] for p in FIXTURES}
    pages = [p for p in FIXTURES if p.suffix == ".html"]
    assert len(FIXTURES) >= 40
    assert len(sites) >= 12
    assert len(pages) >= 8
    for page in pages:  # saved as a browser saves a page: NAME.html and NAME_files/
        assert page.with_name(f"{page.stem}_files").is_dir(), page.name
    for part in ("tuning", "held-out"):
        assert any(p.parent.name == part for p in FIXTURES)


@pytest.mark.parametrize("source", FIXTURES, ids=_id)
def test_every_field_matches_the_hand_written_article(source: Path) -> None:
    expected = yaml.safe_load(expectation_of(source).read_text(encoding="utf-8"))
    assert set(CORPUS_FIELDS) <= set(expected), "the expectation names every field"
    found = field_score(extract(source), expected)
    wrong = {name for name, ok in found.right.items() if not ok}
    assert wrong == KNOWN_WRONG.get(_id(source), set()), found.wrong
    assert found.leaked == []  # no boilerplate in any body, lead or caption


def test_no_article_text_is_lost() -> None:
    """Every paragraph of every article is kept (all but the known miss above: body recall
    0.991 on the held-out part, 1.0 elsewhere)."""
    missing = []
    for source in FIXTURES:
        if "body" in KNOWN_WRONG.get(_id(source), set()):
            continue
        found = field_score(extract(source), load_expected(source))
        if found.matched_blocks < found.expected_blocks:
            missing.append((_id(source), found.expected_blocks - found.matched_blocks))
    assert missing == []
