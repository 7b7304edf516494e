"""Loading reports every problem of every file at once, one precise line each."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from exporter import InputError, load_bulletin
from exporter.cli import app
from exporter.source.models import VN_TZ, FigureBlock

from ..conftest import ARTICLE, write_bulletin


def broken_bulletin(root: Path) -> Path:
    good = ARTICLE.format(title="Tin tốt")
    return write_bulletin(
        root,
        {
            "articles/01-mot.md": good.replace('title: "Tin tốt"\n', ""),
            "articles/02-hai.md": good.replace("authors:", 'colour: "đỏ"\nauthors:'),
            "articles/03-bong-da.md": good.replace('"2023-11-23 20:39"', '"32/13/2023"'),
            "articles/04-bon.md": good.replace("images/anh.jpg", "images/khong-co.jpg"),
            "articles/05-nam.md": good.replace('    alt: "Quang cảnh buổi tọa đàm"\n', ""),
        },
    )


EXPECTED = [
    "articles/01-mot.md: title: is required",
    'articles/02-hai.md:3: colour: "đỏ" is not a known field',
    'articles/03-bong-da.md:5: published: "32/13/2023" is not a date',
    'articles/04-bon.md:8: figures[0].file: "images/khong-co.jpg" does not exist',
    "articles/05-nam.md:8: figures[0].alt: is required",
]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_bulletin(broken_bulletin(tmp_path))
    assert [str(p) for p in caught.value.problems] == EXPECTED


def test_cli_prints_one_line_per_problem_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["build", str(broken_bulletin(tmp_path / "b")), "-o", str(out)]
    )
    assert result.exit_code == 3
    for line in EXPECTED:
        assert line in result.output
    assert not out.exists() or not any(out.iterdir())


def test_valid_bulletin_loads_in_order(bulletin_dir: Path) -> None:
    bulletin = load_bulletin(bulletin_dir)
    assert [s.title for s in bulletin.sections] == ["Thời sự", "Kinh tế"]
    assert [a.slug for a in bulletin.articles] == ["01-mot", "02-hai", "03-ba"]
    article = bulletin.articles[0]
    assert article.published == dt.datetime(2023, 11, 23, 20, 39, tzinfo=VN_TZ)
    assert article.section == "Thời sự"
    assert article.top_figure is not None
    assert article.top_figure.file == "articles/images/anh.jpg"
    assert bulletin.identifier.startswith("urn:uuid:")
    assert bulletin.identifier == load_bulletin(bulletin_dir).identifier  # stable


def test_explicit_time_zone_is_kept(tmp_path: Path) -> None:
    text = ARTICLE.format(title="Tin").replace('"2023-11-23 20:39"', "2023-11-23T13:39:00+00:00")
    root = write_bulletin(tmp_path, {"articles/a.md": text, "articles/b.md": text})
    published = load_bulletin(root).articles[0].published
    assert published.utcoffset() == dt.timedelta(0)
    assert published.astimezone(VN_TZ).hour == 20


def test_json_articles_are_accepted(tmp_path: Path) -> None:
    data = {
        "title": "Tin từ JSON",
        "authors": "Lê Thu Hà",
        "published": "23/11/2023 07:15",
        "body": "Đoạn thứ nhất.\n\nĐoạn thứ hai.",
    }
    root = write_bulletin(
        tmp_path,
        {
            "articles/a.json": json.dumps(data, ensure_ascii=False),
            "articles/b.md": ARTICLE.format(title="Tin"),
        },
    )
    article = load_bulletin(root).articles[0]
    assert article.authors == ["Lê Thu Hà"]
    assert article.published.hour == 7
    assert len(article.blocks) == 2


def test_bulletin_toml_problems_are_reported_with_article_problems(tmp_path: Path) -> None:
    root = write_bulletin(tmp_path, toml_extra='colour = "đỏ"')
    (root / "articles" / "03-ba.md").write_text("no front matter", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    lines = [str(p) for p in caught.value.problems]
    assert 'bulletin.toml:7: colour: "đỏ" is not a known field' in lines
    assert "articles/03-ba.md: has no front matter (a YAML block between --- lines)" in lines


def test_broken_front_matter_names_the_file_line(tmp_path: Path) -> None:
    root = write_bulletin(tmp_path)
    text = "---\ntitle: Tin\nlead: Một: hai: ba\n---\n\nThân bài.\n"
    (root / "articles" / "02-hai.md").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        "articles/02-hai.md: front matter: invalid YAML at line 3: "
        "mapping values are not allowed in this context"
    ]


def test_missing_article_file_and_bad_toml(tmp_path: Path) -> None:
    root = write_bulletin(tmp_path)
    (root / "articles" / "02-hai.md").unlink()
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    assert [str(p) for p in caught.value.problems] == [
        'bulletin.toml:10: section "Thời sự": "articles/02-hai.md" does not exist'
    ]
    (root / "bulletin.toml").write_text("publication = [", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    assert str(caught.value.problems[0]) == (
        "bulletin.toml:1:16: invalid TOML: invalid value\n"
        "  1 | publication = [\n"
        "    |                ^"
    )


def test_body_image_without_alt_text_is_an_error(tmp_path: Path) -> None:
    text = ARTICLE.format(title="Tin") + "\n![](images/anh.jpg)\n"
    root = write_bulletin(tmp_path, {"articles/a.md": text, "articles/b.md": text})
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    assert 'articles/a.md: body: image "images/anh.jpg" has no alt text' in [
        str(p) for p in caught.value.problems
    ]


def test_body_figures_and_extra_front_matter_figures(tmp_path: Path) -> None:
    text = ARTICLE.format(title="Tin").replace(
        "figures:\n",
        "figures:\n  - file: images/hai.jpg\n    alt: Ảnh hai\n    credit: 'Ảnh: Lê Hà'\n"
        "  - file: images/ba.jpg\n    alt: Ảnh ba\n",
        1,
    )
    text += '\n![Ảnh trong bài](images/hai.jpg "Chú thích trong bài")\n\nĐoạn cuối.\n'
    root = write_bulletin(tmp_path, {"articles/a.md": text, "articles/b.md": text})
    for name in ("hai.jpg", "ba.jpg"):
        Image.new("RGB", (40, 30)).save(root / "articles" / "images" / name)
    article = load_bulletin(root).articles[0]
    figures = [b.figure for b in article.blocks if isinstance(b, FigureBlock)]
    # The body image takes caption from Markdown and credit from its front-matter entry;
    # of the others, the first is shown under the lead and the rest spread through the body.
    assert figures[0].file == "articles/images/hai.jpg"
    assert (figures[0].caption, figures[0].credit) == ("Chú thích trong bài", "Ảnh: Lê Hà")
    assert article.top_figure is not None and article.top_figure.file == "articles/images/ba.jpg"
    assert [f.file for f in figures[1:]] == ["articles/images/anh.jpg"]


def test_raw_html_is_sanitised(tmp_path: Path) -> None:
    text = ARTICLE.format(title="Tin") + (
        '\n<p onclick="x()">Đoạn <b>đậm</b><script>alert(1)</script></p>\n'
        '\n<iframe src="http://127.0.0.1/"></iframe>\n'
    )
    root = write_bulletin(tmp_path, {"articles/a.md": text, "articles/b.md": text})
    html = "".join(getattr(b, "html", "") for b in load_bulletin(root).articles[0].blocks)
    assert "<b>đậm</b>" in html
    for banned in ("onclick", "<script", "alert(1)", "iframe", "127.0.0.1"):
        assert banned not in html


def test_placeholder_pictures_are_reported(tmp_path: Path) -> None:
    from exporter.importer.placeholder import make_placeholder

    root = write_bulletin(tmp_path)
    (root / "articles" / "images" / "anh.jpg").write_bytes(make_placeholder("anh.jpg"))
    warnings: list = []
    load_bulletin(root, warnings)
    assert 'articles/01-mot.md: figures[0].file: "images/anh.jpg" is a placeholder' in str(
        warnings[0]
    )
