"""Editorial checks: every message names its file and line, and a section by its title."""

from __future__ import annotations

import json
import textwrap
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exporter import InputError, load_bulletin
from exporter.cli import app
from exporter.errors import Problem
from exporter.source.toml_positions import Positions

from ..conftest import ARTICLE, write_bulletin

# Line numbers in the tests below count from here.
HEAD = """\
publication = "Bản tin Thử"
issue = 47
year = 2023
week = { start = 2023-11-20, end = 2023-11-26 }
"""


def bulletin(tmp_path: Path, sections: str, head: str = HEAD, extra: tuple[str, ...] = ()) -> Path:
    """Three articles (01-mot, 02-hai, 03-ba) plus ``extra`` ones, and this bulletin.toml."""
    root = write_bulletin(tmp_path / "b")
    for name in extra:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(ARTICLE.format(title=f"Bài {name}"), encoding="utf-8")
    (root / "bulletin.toml").write_text(head + textwrap.dedent(sections), encoding="utf-8")
    return root


def load(root: Path) -> list[str]:
    """The warnings of a bulletin that loads."""
    warnings: list[Problem] = []
    load_bulletin(root, warnings)
    return [str(w) for w in warnings]


def errors(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    return [str(p) for p in caught.value.problems]


TWO_SECTIONS = """
[[sections]]
title = "Thời sự"
articles = ["articles/01-mot.md", "articles/02-hai.md"]

[[sections]]
title = "Kinh tế"
articles = ["articles/03-ba.md"]
"""


def test_a_clean_bulletin_has_no_warnings(tmp_path: Path) -> None:
    assert load(bulletin(tmp_path, TWO_SECTIONS)) == []


# ---- publication dates ---------------------------------------------------------------------


def _published(root: Path, name: str, value: str) -> None:
    path = root / "articles" / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('published: "2023-11-23 20:39"', f"published: {value}"))


def test_a_date_outside_the_week_or_the_year_is_a_warning_with_its_line(tmp_path: Path) -> None:
    root = bulletin(tmp_path, TWO_SECTIONS)
    _published(root, "02-hai.md", '"2023-11-12 08:00"')
    _published(root, "03-ba.md", '"23/11/2022 20:39"')
    assert load(root) == [
        'articles/02-hai.md:5: published: "2023-11-12 08:00" is outside the issue\'s week '
        "(2023-11-20 to 2023-11-26)",
        'articles/03-ba.md:5: published: "23/11/2022 20:39" is in 2022, not in the issue\'s '
        "year 2023",
    ]


def test_the_date_is_read_in_vietnam_time(tmp_path: Path) -> None:
    root = bulletin(tmp_path, TWO_SECTIONS)
    # 2023-11-26 18:00 UTC is already Monday 27/11 in Hà Nội: outside; 17:00 UTC is not.
    _published(root, "02-hai.md", "2023-11-26T18:00:00+00:00")
    _published(root, "03-ba.md", "2023-11-26T16:59:00+00:00")
    assert load(root) == [
        'articles/02-hai.md:5: published: "2023-11-26 18:00:00+00:00" is outside the issue\'s '
        "week (2023-11-20 to 2023-11-26)"
    ]


def test_a_week_across_the_new_year(tmp_path: Path) -> None:
    head = HEAD.replace("year = 2023", "year = 2025").replace(
        "start = 2023-11-20, end = 2023-11-26", "start = 2024-12-30, end = 2025-01-05"
    )
    root = bulletin(tmp_path, TWO_SECTIONS, head=head)
    _published(root, "01-mot.md", '"2024-12-31 09:00"')  # in the week: fine
    _published(root, "02-hai.md", '"2025-01-04 09:00"')
    _published(root, "03-ba.md", '"2024-12-20 09:00"')  # the year of the week, not its days
    assert load(root) == [
        'articles/03-ba.md:5: published: "2024-12-20 09:00" is outside the issue\'s week '
        "(2024-12-30 to 2025-01-05)"
    ]


def test_a_json_article_names_the_line_of_published(tmp_path: Path) -> None:
    root = bulletin(
        tmp_path,
        TWO_SECTIONS.replace("articles/03-ba.md", "articles/04-json.json"),
    )
    data = {"title": "Tin JSON", "published": "2023-10-01 07:00", "body": "Một đoạn."}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    (root / "articles" / "04-json.json").write_text(text, encoding="utf-8")
    (root / "articles" / "03-ba.md").unlink()
    assert load(root) == [
        'articles/04-json.json:3: published: "2023-10-01 07:00" is outside the issue\'s week '
        "(2023-11-20 to 2023-11-26)"
    ]


# ---- files listed, files on disk -------------------------------------------------------------


def test_an_article_file_no_section_lists_is_a_warning(tmp_path: Path) -> None:
    root = bulletin(
        tmp_path,
        TWO_SECTIONS,
        extra=(
            "articles/04-bon.md",
            "articles/tinh/05-nam.md",
            "articles/_tuan-sau/06-sau.md",  # drafts for a later issue: not reported
            "articles/.#01-mot.md",  # an editor's lock file
        ),
    )
    (root / "articles" / "ghi-chu.txt").write_text("không phải bài", encoding="utf-8")
    assert load(root) == [
        "articles/04-bon.md: is not listed in any section of bulletin.toml; "
        "it is left out of both editions",
        "articles/tinh/05-nam.md: is not listed in any section of bulletin.toml; "
        "it is left out of both editions",
    ]


def test_a_misspelt_file_name_gets_did_you_mean(tmp_path: Path) -> None:
    root = bulletin(
        tmp_path,
        TWO_SECTIONS.replace("articles/02-hai.md", "articles/02-hia.md").replace(
            "articles/03-ba.md", "article/03-ba.md"
        ),
    )
    # The files meant are not also reported as unlisted.
    assert errors(root) == [
        'bulletin.toml:8: section "Thời sự": "articles/02-hia.md" does not exist; '
        'did you mean "articles/02-hai.md"?',
        'bulletin.toml:12: section "Kinh tế": "article/03-ba.md" does not exist; '
        'did you mean "articles/03-ba.md"?',
    ]


def test_a_missing_file_far_from_any_other_gets_no_guess(tmp_path: Path) -> None:
    root = bulletin(tmp_path, TWO_SECTIONS.replace("articles/03-ba.md", "articles/99-xyz.md"))
    assert errors(root) == [
        'bulletin.toml:12: section "Kinh tế": "articles/99-xyz.md" does not exist'
    ]


@pytest.mark.parametrize("spelling", ["./articles/01-mot.md", "articles//01-mot.md"])
def test_one_file_listed_under_two_spellings_is_an_error(tmp_path: Path, spelling: str) -> None:
    sections = TWO_SECTIONS.replace(
        '["articles/03-ba.md"]', f'[\n    "articles/03-ba.md",\n    "{spelling}",\n]'
    )
    assert errors(bulletin(tmp_path, sections)) == [
        f'bulletin.toml:14: section "Kinh tế": "{spelling}" is the same file as '
        '"articles/01-mot.md" (line 8, section "Thời sự"); list it once'
    ]


def test_one_file_listed_twice_is_an_error(tmp_path: Path) -> None:
    sections = TWO_SECTIONS.replace(
        '"articles/02-hai.md"]', '"articles/02-hai.md",\n  "articles/01-mot.md"]'
    )
    assert errors(bulletin(tmp_path, sections)) == [
        'bulletin.toml:9: section "Thời sự": "articles/01-mot.md" is listed twice '
        '(line 8, section "Thời sự"); list it once'
    ]


# ---- sections ----------------------------------------------------------------------------


def test_two_sections_with_one_title_are_an_error(tmp_path: Path) -> None:
    sections = (
        TWO_SECTIONS + '\n[[sections]]\ntitle = "  kinh  TẾ "\narticles = ["articles/04-bon.md"]\n'
    )
    assert errors(bulletin(tmp_path, sections, extra=("articles/04-bon.md",))) == [
        'bulletin.toml:15: section "kinh  TẾ": has the same title as the section at line 11; '
        "merge the two lists or rename one"
    ]


def test_an_empty_section_is_a_warning_and_left_out(tmp_path: Path) -> None:
    sections = TWO_SECTIONS.replace('["articles/03-ba.md"]', "[]") + (
        '\n[[sections]]\ntitle = "Thể thao"\narticles = ["articles/03-ba.md"]\n'
    )
    root = bulletin(tmp_path, sections)
    warnings: list[Problem] = []
    loaded = load_bulletin(root, warnings)
    assert [str(w) for w in warnings] == [
        'bulletin.toml:12: section "Kinh tế": has no articles; it is left out of both editions'
    ]
    assert [s.title for s in loaded.sections] == ["Thời sự", "Thể thao"]


def test_a_bulletin_whose_sections_are_all_empty_is_an_error(tmp_path: Path) -> None:
    sections = '\n[[sections]]\ntitle = "Thời sự"\narticles = []\n'
    warnings: list[Problem] = []
    with pytest.raises(InputError) as caught:
        load_bulletin(bulletin(tmp_path, sections), warnings)
    assert [str(p) for p in caught.value.problems] == [
        "bulletin.toml:6: sections: no section lists an article"
    ]
    assert str(warnings[0]) == (
        'bulletin.toml:8: section "Thời sự": has no articles; it is left out of both editions'
    )


def test_section_problems_name_the_section_by_title_and_line(tmp_path: Path) -> None:
    sections = (
        TWO_SECTIONS.replace(
            'title = "Kinh tế"', 'title = "Kinh tế"\naccent = "đỏ"\nslug = "Kinh Tế"'
        )
        + '\n[[sections]]\narticles = ["articles/04-bon.md"]\n'
    )
    assert errors(bulletin(tmp_path, sections, extra=("articles/04-bon.md",))) == [
        'bulletin.toml:12: section "Kinh tế": accent: "đỏ" is not a colour like #b3261e',
        'bulletin.toml:13: section "Kinh tế": slug: "Kinh Tế" is not a slug '
        "(lowercase ASCII letters, digits and hyphens)",
        "bulletin.toml:16: section without a title: title: is required",
    ]


# ---- keys and syntax ---------------------------------------------------------------------


def test_unknown_keys_in_bulletin_toml_get_did_you_mean(tmp_path: Path) -> None:
    head = HEAD + 'publiser = "Tòa soạn"\n\n[typography]\ntone_stye = "old"\n'
    sections = TWO_SECTIONS.replace(
        'articles = ["articles/03-ba.md"]', 'artciles = ["articles/03-ba.md"]'
    )
    assert errors(bulletin(tmp_path, sections, head=head)) == [
        'bulletin.toml:5: publiser: "Tòa soạn" is not a known field; did you mean "publisher"?',
        'bulletin.toml:8: typography.tone_stye: "old" is not a known field; '
        'did you mean "tone_style"?',
        'bulletin.toml:14: section "Kinh tế": articles: is required',
        'bulletin.toml:16: section "Kinh tế": artciles: ["articles/03-ba.md"] is not a known '
        'field; did you mean "articles"?',
    ]


def test_unknown_keys_in_front_matter_get_did_you_mean_and_a_line(tmp_path: Path) -> None:
    root = bulletin(tmp_path, TWO_SECTIONS)
    path = root / "articles" / "02-hai.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("authors:", "autors:").replace("    caption:", "    captoin:")
    text = text.replace("lead:", "sapo:")  # the newsroom's word for it
    path.write_text(text, encoding="utf-8")
    assert errors(root) == [
        'articles/02-hai.md:3: autors: ["Xuân Hiếu"] is not a known field; did you mean "authors"?',
        'articles/02-hai.md:6: sapo: "Tin tóm tắt của bài viết." is not a known field; '
        'did you mean "lead"?',
        'articles/02-hai.md:10: figures[0].captoin: "Quang cảnh buổi tọa đàm." is not a known '
        'field; did you mean "caption"?',
    ]


def test_a_toml_syntax_error_shows_the_line_with_a_caret(tmp_path: Path) -> None:
    head = HEAD.replace("2023-11-20, end", "2023-11-20 end")
    assert errors(bulletin(tmp_path, TWO_SECTIONS, head=head)) == [
        "bulletin.toml:4:29: invalid TOML: unclosed inline table\n"
        "  3 | year = 2023\n"
        "  4 | week = { start = 2023-11-20 end = 2023-11-26 }\n"
        "    |                             ^"
    ]


def test_curly_quotes_in_toml_get_a_hint(tmp_path: Path) -> None:
    sections = TWO_SECTIONS.replace('"Kinh tế"', "“Kinh tế”")
    assert errors(bulletin(tmp_path, sections)) == [
        "bulletin.toml:11:9: invalid TOML: invalid value "
        '(write text between straight quotes: "…")\n'
        "  10 | [[sections]]\n"
        "  11 | title = “Kinh tế”\n"
        "     |         ^"
    ]


def test_an_unfinished_list_is_shown_at_its_end(tmp_path: Path) -> None:
    sections = TWO_SECTIONS.replace(
        'articles = ["articles/03-ba.md"]', 'articles = ["articles/03-ba.md"'
    )
    lines = errors(bulletin(tmp_path, sections))
    assert lines == [
        "bulletin.toml:12:32: invalid TOML: unclosed array\n"
        '  11 | title = "Kinh tế"\n'
        '  12 | articles = ["articles/03-ba.md"\n'
        "     |                                ^"
    ]


# ---- the front page, chosen --------------------------------------------------------------


def test_a_lead_not_listed_is_an_error_with_the_closest_listed_file(tmp_path: Path) -> None:
    head = (
        HEAD
        + 'lead = "articles/03-bb.md"\nteasers = ["articles/01-mot.md", "articles/04-bon.md"]\n'
    )
    assert errors(bulletin(tmp_path, TWO_SECTIONS, head=head, extra=("articles/04-bon.md",))) == [
        'bulletin.toml:5: lead: "articles/03-bb.md" is not listed in any section; '
        'did you mean "articles/03-ba.md"?',
        'bulletin.toml:6: teasers: "articles/04-bon.md" is not listed in any section',
    ]


def test_the_chosen_front_page_is_kept_as_listed(tmp_path: Path) -> None:
    head = (
        HEAD
        + 'lead = "./articles/03-ba.md"\n'
        + 'teasers = [\n  "articles/02-hai.md",\n  "articles/03-ba.md",\n]\n'
    )
    root = bulletin(tmp_path, TWO_SECTIONS, head=head)
    warnings: list[Problem] = []
    loaded = load_bulletin(root, warnings)
    assert (loaded.lead_file, loaded.teaser_files) == ("articles/03-ba.md", ["articles/02-hai.md"])
    assert [str(w) for w in warnings] == [
        'bulletin.toml:8: teasers: "articles/03-ba.md" is the lead; it is shown once'
    ]


def test_more_teasers_than_the_front_page_holds_is_an_error(tmp_path: Path) -> None:
    names = [f"articles/0{n}-x.md" for n in range(4, 8)]
    head = HEAD + f"teasers = {json.dumps(names)}\n"
    sections = TWO_SECTIONS.replace(
        '["articles/03-ba.md"]', json.dumps(["articles/03-ba.md", *names])
    )
    assert errors(bulletin(tmp_path, sections, head=head, extra=tuple(names))) == [
        "bulletin.toml:5: teasers: lists 4 articles; the front page has room for 3 beside the lead"
    ]


# ---- positions and the command line --------------------------------------------------------


def test_positions_follow_every_toml_construct() -> None:
    text = textwrap.dedent('''\
        # a comment with [[sections]] in it
        editor_note = """
        [[sections]]
        title = "not a section" \\\\"""
        a.b = 'x'  # dotted key
        week = { start = 2023-11-20, end = 2023-11-26 }
        when = 1979-05-27 07:32:00Z
        [pdf.margins_mm]
        top = 20
        [[sections]]
        "title" = 'Thời sự'
        articles = [
          "a.md",  # first
          [1, 2], { x = "]" },
          """b.md""",
        ]
        [[sections]]
        title = "Hai"
        ''')
    tomllib.loads(text)  # valid TOML
    lines = Positions(text).lines
    assert lines[("editor_note",)] == 2
    assert lines[("a", "b")] == 5
    assert lines[("week", "end")] == 6
    assert lines[("when",)] == 7
    assert lines[("pdf", "margins_mm", "top")] == 9
    assert lines[("sections", 0)] == 10
    assert lines[("sections", 0, "title")] == 11
    assert [lines[("sections", 0, "articles", i)] for i in range(4)] == [13, 14, 14, 15]
    assert lines[("sections", 0, "articles", 2, "x")] == 14
    assert lines[("sections", 1, "title")] == 18
    assert Positions(text).line(("sections", 1, "articles", 3)) == 17  # nearest known


def test_validate_prints_warnings_with_file_and_line(tmp_path: Path) -> None:
    root = bulletin(tmp_path, TWO_SECTIONS, extra=("articles/04-bon.md",))
    _published(root, "01-mot.md", '"2023-11-27 06:00"')
    result = CliRunner().invoke(app, ["validate", str(root)])
    assert result.exit_code == 0, result.output
    assert (
        'warning articles/01-mot.md:5: published: "2023-11-27 06:00" is outside the issue\'s '
        "week (2023-11-20 to 2023-11-26)"
    ) in " ".join(result.output.split())
    assert "articles/04-bon.md: is not listed in any section" in result.output
    strict = CliRunner().invoke(app, ["validate", "--strict", str(root)])
    assert strict.exit_code == 3
