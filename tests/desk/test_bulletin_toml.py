"""bulletin.toml edited in place: only the article lists and the sections change, byte for byte."""

from __future__ import annotations

import tomllib

import pytest

from exporter.desk.bulletin_toml import BulletinToml, TomlEditError, keep_untouched

HAND_EDITED = """\
# Nhịp Tuần 48 — bản nháp của chị Lan   (do not touch the spacing below)
publication   = 'Nhịp Tuần'
issue = 48
year = 2023
week = { start = 2023-11-27, end = 2023-12-03 }   # aligned by hand
editor_note = \"\"\"
Tuần này [[sections]] chỉ là chữ trong lời tòa soạn.
\"\"\"

[typography]
tone_style = "old"  # hòa, thủy

# Thời sự first, always
[[sections]]
title = "Thời sự"
articles = [
    "articles/01-mot.md",   # lead story
    "articles/02-hai.md",
]

# [[sections]]
# title = "Kinh tế"
# accent = "#1e5b9e"
# articles = []

[[sections]]   # short one this week
title = "Thể thao"
articles = ["articles/03-ba.md"]

# [[sections]]
# title = "Văn hóa"
# articles = []
"""


def test_untouched_lines_stay_byte_for_byte() -> None:
    toml = BulletinToml(HAND_EDITED)
    assert toml.sections() == ["Thời sự", "Thể thao"]
    assert [w.title for w in toml.waiting()] == ["Kinh tế", "Văn hóa"]
    assert toml.add("THỜI SỰ", "articles/04-bon.md") == "listed"
    assert toml.add("kinh te", "articles/05-nam.md") == "revived"
    assert toml.add("Thể thao", "articles/06-sau.md") == "listed"
    assert toml.add("Pháp luật", "articles/07-bay.md") == "created"
    text = toml.text()
    expected = (
        HAND_EDITED.replace(
            '    "articles/02-hai.md",\n', '    "articles/02-hai.md",\n    "articles/04-bon.md",\n'
        )
        .replace(
            '# [[sections]]\n# title = "Kinh tế"\n# accent = "#1e5b9e"\n# articles = []\n',
            '[[sections]]\ntitle = "Kinh tế"\naccent = "#1e5b9e"\n'
            'articles = ["articles/05-nam.md"]\n',
        )
        .replace(
            'articles = ["articles/03-ba.md"]\n',
            'articles = ["articles/03-ba.md", "articles/06-sau.md"]\n',
        )
    )
    expected += '\n[[sections]]\ntitle = "Pháp luật"\narticles = ["articles/07-bay.md"]\n'
    assert text == expected
    data = tomllib.loads(text)
    assert [s["title"] for s in data["sections"]] == ["Thời sự", "Kinh tế", "Thể thao", "Pháp luật"]
    assert toml.new_sections == ["Kinh tế", "Pháp luật"]


def test_tomlkit_slips_are_put_back() -> None:
    """tomlkit drops the space before ``}`` after a date; the editor's line comes back."""
    original = "week = { start = 2023-11-27, end = 2023-12-03 }\n"
    roundtrip = "week = { start = 2023-11-27, end = 2023-12-03}\n"
    edited = roundtrip + "x = 1\n"
    assert keep_untouched(original, roundtrip, edited) == original + "x = 1\n"
    # A slip inside what was edited stays as tomlkit wrote it.
    assert keep_untouched(original, roundtrip, "y = 2\n") == "y = 2\n"


def test_crlf_and_bom_are_kept() -> None:
    text = '\ufeffpublication = "X"\r\n\r\n[[sections]]\r\ntitle = "A"\r\narticles = []\r\n'
    toml = BulletinToml(text)
    toml.add("A", "articles/01-a.md")
    toml.add("B", "articles/02-b.md")
    out = toml.text()
    assert out.startswith("\ufeff")
    assert "\n" not in out.replace("\r\n", "")
    assert out.endswith('[[sections]]\r\ntitle = "B"\r\narticles = ["articles/02-b.md"]\r\n')


def test_a_long_one_line_list_is_laid_out_one_item_a_line() -> None:
    toml = BulletinToml(
        '[[sections]]\ntitle = "A"\narticles = ["articles/01-quang-ngai-di-doi-dan.md", '
        '"articles/02-mien-trung-mua-lon.md"]\n'
    )
    toml.add("A", "articles/03-cao-toc-vinh-long-tra-vinh.md")
    lines = toml.text().splitlines()
    assert lines[2:] == [
        "articles = [",
        '    "articles/01-quang-ngai-di-doi-dan.md",',
        '    "articles/02-mien-trung-mua-lon.md",',
        '    "articles/03-cao-toc-vinh-long-tra-vinh.md",',
        "]",
    ]


def test_a_file_without_sections_gets_its_first() -> None:
    toml = BulletinToml('publication = "X"\n# the end\n')
    assert toml.sections() == [] and toml.waiting() == []
    assert toml.add("Thời sự", "articles/01-a.md") == "created"
    assert toml.text() == (
        'publication = "X"\n# the end\n\n[[sections]]\ntitle = "Thời sự"\n'
        'articles = ["articles/01-a.md"]\n'
    )


def test_a_commented_example_with_articles_is_not_a_waiting_section() -> None:
    toml = BulletinToml('# [[sections]]\n# title = "Thời sự"\n# articles = ["articles/01.md"]\n')
    assert toml.waiting() == []
    assert toml.find("Thời sự") is None


def test_invalid_toml_is_refused() -> None:
    with pytest.raises(TomlEditError, match="invalid TOML"):
        BulletinToml('publication = "X\n')
