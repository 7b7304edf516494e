"""[pdf] page_multiple and pad in bulletin.toml: defaults, and every mistake on its line with
what was meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from exporter import InputError, load_bulletin
from exporter.source.models import PdfOptions

from ..conftest import SAMPLE, sample_with_pdf


def problems(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    return [str(problem) for problem in caught.value.problems]


def test_by_default_the_page_count_is_left_as_it_is() -> None:
    options = PdfOptions()
    assert (options.page_multiple, options.pad) == (1, "notes")
    assert load_bulletin(SAMPLE).pdf.page_multiple == 4  # the sample is saddle-stitched


def test_a_multiple_and_a_padding(tmp_path: Path) -> None:
    bulletin = load_bulletin(sample_with_pdf(tmp_path / "b", 'page_multiple = 4\npad = "blank"'))
    assert (bulletin.pdf.page_multiple, bulletin.pdf.pad) == (4, "blank")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            'pad = "note"',
            'pdf.pad: "note" is not "notes", "blank" or "fillers"; did you mean "notes"?',
        ),
        (
            'pad = "Blank"',
            'pdf.pad: "Blank" is not "notes", "blank" or "fillers"; did you mean "blank"?',
        ),
        ("pad = 4", 'pdf.pad: 4 is not "notes", "blank" or "fillers"'),
        ("page_multiple = 3", "pdf.page_multiple: 3 is not 1, 2, 4, 8 or 16"),
        ('page_multiple = "4"', 'pdf.page_multiple: "4" is not 1, 2, 4, 8 or 16'),
        ("page_multiple = true", "pdf.page_multiple: true is not 1, 2, 4, 8 or 16"),
        ("page_multipel = 4", 'did you mean "page_multiple"?'),
    ],
)
def test_a_mistake_is_named_on_its_line(tmp_path: Path, lines: str, expected: str) -> None:
    root = sample_with_pdf(tmp_path / "b", lines)
    line = next(
        n
        for n, text in enumerate((root / "bulletin.toml").read_text().splitlines(), 1)
        if text == lines
    )
    (found,) = problems(root)
    assert found.startswith(f"bulletin.toml:{line}: ") and expected in found, found
