"""Correct Vietnamese goes through the whole normalisation unchanged and without a warning.

The whole normalisation is what every text of a bulletin gets: ``normalize_text`` (NFC, mark
order, mojibake, ETH, misplaced tones) then ``typeset`` (quotes, dashes, ellipsis, spaces).
Typesetting may change punctuation and spaces, as documented; it never changes a letter or a
digit. Inputs: every valid syllable (generated in ``syllables.py``) and a corpus of sentences
chosen to tempt a naive repair (``data/correct-sentences.txt``).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.vietnamese.orthography import normalize_text
from exporter.vietnamese.typography import typeset

from .syllables import syllables

SENTENCES = Path(__file__).parent / "data" / "correct-sentences.txt"
# Foreign names in the corpus, allowed as an editor allows them in bulletin.toml; without the
# allow-list each is reported once as a foreign letter, by design (design doc 1.4).
ALLOW = ["François", "Müller", "Łódź", "Gdańsk", "Zürich", "Niño", "brûlée", "Dvořák", "π"]
# What typesetting may change (design doc 4-6): quotes, apostrophes, dashes and hyphens,
# ellipsis dots, and the kind or number of spaces.
_PUNCTUATION = re.compile("[\"'‘’“”«»\\-‐–—….\\s\u00a0\u202f\u2009]")


def whole(text: str) -> tuple[str, list[str]]:
    fixed, findings = normalize_text(text, allow=ALLOW)
    return typeset(fixed), [f.message for f in findings]


def letters(text: str) -> str:
    return _PUNCTUATION.sub("", text)


def sentences() -> list[str]:
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


ALL_SYLLABLES = list(syllables())


def test_the_generated_syllables_cover_the_language() -> None:
    assert len(ALL_SYLLABLES) > 15_000
    for word in ("nghiêng", "khuỷu", "giữa", "quyết", "thuở", "ngoằn", "oẳn", "uỵch", "hoà", "hòa"):
        assert word in ALL_SYLLABLES, word


@pytest.mark.parametrize("case", ["lower", "title", "upper"])
def test_every_syllable_is_left_alone(case: str) -> None:
    changed = []
    for word in ALL_SYLLABLES:
        word = {"lower": word, "title": word.capitalize(), "upper": word.upper()}[case]
        out, warnings = whole(word)
        if out != word or warnings:
            changed.append((word, out, warnings))
    assert changed == []


@pytest.mark.parametrize("style", ["old", "new"])
def test_syllables_in_running_text_are_left_alone(style: str) -> None:
    one_style = list(syllables((style,)))  # a text keeps to one tone style, or is warned
    for start in range(0, len(one_style), 40):
        line = " ".join(one_style[start : start + 40])
        assert whole(line) == (line, []), line


def test_the_sentence_corpus_is_big_and_clean() -> None:
    lines = sentences()
    assert len(lines) >= 300
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


@pytest.mark.parametrize("line", sentences())
def test_correct_sentences_keep_every_letter_and_raise_no_warning(line: str) -> None:
    out, warnings = whole(line)
    assert warnings == []
    assert letters(out) == letters(line)


@pytest.mark.parametrize(
    "text",
    [
        "Bài học hôm nay: chữ â và chữ ă.",
        "Nút đóng ×",
        "Copy link thành công ×",
        "Đơn vị đo bước sóng là Å.",
        "Giá 12 × 8 = 96.",
        "Ơi, ạ, ừ, ồ!",
    ],
)
def test_lone_letters_and_symbols_are_never_repaired(text: str) -> None:
    assert whole(text) == (typeset(text), [])


def test_one_mangled_word_is_reported_not_repaired() -> None:
    out, warnings = whole("Thủ đô của ViÖt Nam")
    assert out == "Thủ đô của ViÖt Nam"
    (warning,) = warnings
    assert 'reads "Việt"' in warning and "not enough evidence" in warning
    # Two mangled words are evidence enough, and the repair is reported.
    out, warnings = whole("tiÕng ViÖt Nam")
    assert out == "tiếng Việt Nam"
    assert warnings == ['repaired TCVN3 mojibake "tiÕng ViÖt" -> "tiếng Việt"']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*ALL_SYLLABLES[::50], *sentences()[::5], "â", "×", "ViÖt"])))
def test_the_whole_normalisation_is_idempotent(words: list[str]) -> None:
    once, _ = whole(" ".join(words))
    assert whole(once)[0] == once
