"""``exporter new``: a bulletin folder ready to fill, alone or after the previous issue."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest

from exporter.desk.new import coming_monday, new_bulletin
from exporter.errors import InputError, UsageError
from exporter.source.load import load_bulletin
from exporter.source.models import (
    BulletinSpec,
    PdfOptions,
    SectionSpec,
    TypographyOptions,
)
from tests.conftest import ARTICLE, SAMPLE

WEDNESDAY = dt.date(2023, 11, 22)


def _with_an_article(folder: Path, section: str = "Thời sự") -> Path:
    """The editor's first step by hand: one article, one section."""
    from PIL import Image

    Image.new("RGB", (400, 250), (90, 130, 170)).save(folder / "articles" / "images" / "anh.jpg")
    (folder / "articles" / "01-mot.md").write_text(
        ARTICLE.format(title="Bình Thuận tăng cường"), encoding="utf-8"
    )
    with (folder / "bulletin.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'\n[[sections]]\ntitle = "{section}"\narticles = ["articles/01-mot.md"]\n')
    return folder


def test_new_from_options(tmp_path: Path) -> None:
    folder = tmp_path / "tuan-48"
    made = new_bulletin(folder, publication="Nhịp Tuần", issue=48, week_start=dt.date(2023, 11, 27))
    week = (dt.date(2023, 11, 27), dt.date(2023, 12, 3))
    assert (made.issue, made.year, made.week) == (48, 2023, week)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        "articles",
        "articles/images",
        "bulletin.toml",
    ]
    data = tomllib.loads((folder / "bulletin.toml").read_text(encoding="utf-8"))
    assert data == {
        "publication": "Nhịp Tuần",
        "issue": 48,
        "year": 2023,
        "week": {"start": dt.date(2023, 11, 27), "end": dt.date(2023, 12, 3)},
        "typography": {},
        "pdf": {},
        "epub": {},
    }
    bulletin = load_bulletin(_with_an_article(folder))
    assert (bulletin.publication, bulletin.issue, bulletin.year) == ("Nhịp Tuần", 48, 2023)
    assert [s.title for s in bulletin.sections] == ["Thời sự"]


def test_every_optional_field_is_shown_and_its_example_is_valid(tmp_path: Path) -> None:
    new_bulletin(tmp_path / "b", publication="Nhịp Tuần", today=WEDNESDAY)
    text = (tmp_path / "b" / "bulletin.toml").read_text(encoding="utf-8")
    for model, fields in [
        (BulletinSpec, BulletinSpec.model_fields),
        (TypographyOptions, TypographyOptions.model_fields),
        (PdfOptions, PdfOptions.model_fields),
        (SectionSpec, SectionSpec.model_fields),
    ]:
        for name in fields:
            if name not in ("language", "typography", "pdf", "epub", "sections"):
                assert re.search(rf"^(# )?{name} = ", text, re.M), (model.__name__, name)
    # Every example, uncommented, is a valid value.
    lines, in_note = [], False
    for line in text.splitlines():
        if line.startswith('# editor_note = """') or (in_note and line == '# """'):
            in_note = not in_note
            lines.append(line[2:])
        elif in_note or re.match(r"^# ([a-z_]+ = |\[\[sections\]\])", line):
            lines.append(line[2:])
        else:
            lines.append(line)
    spec = BulletinSpec.model_validate(tomllib.loads("\n".join(lines)))
    assert spec.pdf.margins_mm is not None and spec.sections[0].accent == "#b3261e"


@pytest.mark.parametrize(
    ("today", "monday", "issue", "year"),
    [
        (WEDNESDAY, dt.date(2023, 11, 27), 48, 2023),  # the coming Monday
        (dt.date(2023, 11, 27), dt.date(2023, 11, 27), 48, 2023),  # today, a Monday
        (dt.date(2024, 12, 26), dt.date(2024, 12, 30), 1, 2025),  # ISO week 1 of 2025
    ],
)
def test_defaults_the_coming_week(
    tmp_path: Path, today: dt.date, monday: dt.date, issue: int, year: int
) -> None:
    assert coming_monday(today) == monday
    made = new_bulletin(tmp_path / "b", publication="Nhịp Tuần", today=today)
    assert (made.week[0], made.issue, made.year) == (monday, issue, year)


def test_a_week_starts_on_a_monday(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"2023-11-22 is not a Monday.*2023-11-20"):
        new_bulletin(tmp_path / "b", publication="X", week_start=WEDNESDAY)
    assert not (tmp_path / "b").exists()


def test_a_publication_is_needed(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--publication"):
        new_bulletin(tmp_path / "b", publication="  ")


def _previous(tmp_path: Path) -> Path:
    """Issue 52 of 2023, with options of every kind and sections with slugs and accents."""
    folder = tmp_path / "tuan-52"
    folder.mkdir()
    (folder / "bulletin.toml").write_text(
        """\
publication = "Nhịp Tuần"
issue = 52
year = 2023
week = { start = 2023-12-25, end = 2023-12-31 }
publisher = "Công ty Nhịp Tuần"
rights = "© 2023 Công ty Nhịp Tuần"
editor_note = "Chúc mừng năm mới."
cover = "bia.jpg"
identifier = "urn:uuid:11111111-2222-3333-4444-555555555555"

[typography]
tone_style = "new"
allow_letters = "ü Müller"

[pdf]
page_size = "A5"
margins_mm = { top = 16, bottom = 15, inner = 15, outer = 12 }
columns = 1
variant = "pdf/ua-1"

[[sections]]
title = "Thời sự"
slug = "thoi-su"
accent = "#9e1b1e"
articles = ["articles/01-a.md"]

[[sections]]
title = "Kinh tế"
articles = ["articles/02-b.md"]
""",
        encoding="utf-8",
    )
    return folder


def test_new_from_the_previous_issue(tmp_path: Path) -> None:
    prev = _previous(tmp_path)
    made = new_bulletin(tmp_path / "tuan-01", previous=prev)
    assert (made.issue, made.year) == (53, 2024)
    assert made.week == (dt.date(2024, 1, 1), dt.date(2024, 1, 7))
    assert made.sections == ["Thời sự", "Kinh tế"]
    assert "typography.tone_style" in made.copied and "pdf.margins_mm" in made.copied
    assert any("give --issue 1" in w for w in made.warnings)
    assert any("rights still says 2023" in w for w in made.warnings)
    text = made.file.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    old = tomllib.loads((prev / "bulletin.toml").read_text(encoding="utf-8"))
    for key in ("publication", "publisher", "rights", "typography", "pdf"):
        assert data[key] == old[key], key
    for key in ("editor_note", "cover", "identifier", "sections"):
        assert key not in data, key  # one issue's own: shown as examples only
    assert "# cover = " in text and "# identifier = " in text
    # The sections wait as comments, in order, with their slug and accent.
    assert (
        '# [[sections]]\n# title = "Thời sự"\n# slug = "thoi-su"\n# accent = "#9e1b1e"\n'
        '# articles = []\n\n# [[sections]]\n# title = "Kinh tế"\n# articles = []\n'
    ) in text
    bulletin = load_bulletin(_with_an_article(made.folder, "Kinh tế"))
    assert bulletin.typography.tone_style == "new" and bulletin.pdf.page_size == "A5"


def test_new_from_the_sample_and_from_an_issue_still_waiting(tmp_path: Path) -> None:
    made = new_bulletin(tmp_path / "tuan-48", previous=SAMPLE)
    assert (made.issue, made.week[0], made.warnings) == (48, dt.date(2023, 11, 27), [])
    after = new_bulletin(tmp_path / "tuan-49", previous=made.folder / "bulletin.toml")
    assert after.issue == 49 and after.week[0] == dt.date(2023, 12, 4)
    assert (
        after.sections
        == made.sections
        == [
            "Thời sự",
            "Kinh tế",
            "Xã hội",
            "Văn hóa",
            "Thể thao",
            "Khoa học - Công nghệ",
        ]
    )


def test_refuses_an_existing_bulletin_or_a_non_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "tuan-48"
    new_bulletin(folder, publication="Nhịp Tuần", today=WEDNESDAY)
    before = (folder / "bulletin.toml").read_bytes()
    with pytest.raises(UsageError, match="already holds a bulletin"):
        new_bulletin(folder, publication="Khác", today=WEDNESDAY)
    assert (folder / "bulletin.toml").read_bytes() == before
    other = tmp_path / "ghi-chu"
    other.mkdir()
    (other / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is not empty"):
        new_bulletin(other, publication="X", today=WEDNESDAY)
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
    with pytest.raises(UsageError, match="is a file"):
        new_bulletin(other / "notes.txt", publication="X", today=WEDNESDAY)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert new_bulletin(empty, publication="X", today=WEDNESDAY).file.is_file()


def test_an_unreadable_previous_issue_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        new_bulletin(tmp_path / "b", previous=tmp_path / "nowhere")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "bulletin.toml").write_text('publication = "X"\nissue = "một"\n', encoding="utf-8")
    with pytest.raises(InputError) as error:
        new_bulletin(tmp_path / "b", previous=bad)
    assert {p.field for p in error.value.problems} == {"issue", "year", "week"}
    assert not (tmp_path / "b").exists()
