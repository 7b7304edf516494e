"""``import --into``: articles written into a bulletin and listed in its bulletin.toml, which
keeps the editor's comments and layout; nothing the editor touched is ever overwritten."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from PIL import Image

from exporter.desk import into as into_module
from exporter.desk.into import import_into, short_name
from exporter.desk.new import new_bulletin
from exporter.errors import BuildError, InputError
from exporter.source.load import load_bulletin
from exporter.source.placeholder import is_placeholder
from tests.conftest import SAMPLE

DATA = Path(__file__).parents[1] / "importer" / "data" / "import"
BINH_THUAN = DATA / "binh-thuan-onecms.txt"  # "Xã hội", picture kkbb.jpg
CAO_TOC = DATA / "vnexpress-cao-toc.txt"  # "Thời sự"
XE_BUYT = DATA / "da-nang-xe-buyt-dien.html"  # "Xã hội"
QUANG_NAM = DATA / "quang-nam-que.txt"  # "Tin tức - Sự kiện"
NO_SECTION = """\
Người dân vùng lũ dọn dẹp sau mưa lớn

23/11/2023 08:00

Sau ba ngày mưa lớn, nước đã rút khỏi nhiều xã của huyện Bình Sơn.

Người dân tranh thủ dọn dẹp nhà cửa, phơi lại lúa giống bị ướt.
"""


def _fresh(tmp_path: Path) -> Path:
    """Issue 48, made after the sample: its six sections waiting as comments."""
    return new_bulletin(tmp_path / "tuan-48", previous=SAMPLE).folder


def _listed(folder: Path) -> dict[str, list[str]]:
    data = tomllib.loads((folder / "bulletin.toml").read_text(encoding="utf-8"))
    return {s["title"]: s["articles"] for s in data.get("sections", [])}


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_written_numbered_and_listed_in_the_order_given(tmp_path: Path) -> None:
    folder = _fresh(tmp_path)
    report = import_into([BINH_THUAN, CAO_TOC, XE_BUYT], folder, section="kinh te")
    assert [i.output.name for i in report.items] == [
        "01-binh-thuan-tang-cuong.md",
        "02-cao-toc-my-thuan.md",
        "03-da-nang-dua-vao.md",
    ]
    assert [i.section for i in report.items] == ["Kinh tế"] * 3
    assert [i.section_change for i in report.items] == ["revived", None, None]
    assert report.toml_updated and report.sections_added == ["Kinh tế"]
    assert _listed(folder) == {
        "Kinh tế": [
            "articles/01-binh-thuan-tang-cuong.md",
            "articles/02-cao-toc-my-thuan.md",
            "articles/03-da-nang-dua-vao.md",
        ]
    }
    bulletin = load_bulletin(folder)
    assert [a.title for a in bulletin.articles][0].startswith("Bình Thuận")
    assert [a.section for a in bulletin.articles] == ["Kinh tế"] * 3  # front matter agrees
    # The next run goes on numbering.
    again = import_into([QUANG_NAM], folder, section="Kinh tế")
    assert again.items[0].output.name == "04-quang-nam-xuat-khau.md"


def test_the_section_the_page_names_else_the_last(tmp_path: Path) -> None:
    folder = _fresh(tmp_path)
    plain = tmp_path / "khong-chuyen-muc.txt"
    plain.write_text(NO_SECTION, encoding="utf-8")
    failed = import_into([plain], folder)  # no section anywhere yet
    assert "give one with --section NAME" in failed.items[0].imported.error
    assert _files(folder) == ["bulletin.toml"] and not failed.toml_updated
    report = import_into([BINH_THUAN, CAO_TOC, QUANG_NAM, plain], folder)
    assert [(i.section, i.section_change) for i in report.items] == [
        ("Xã hội", "revived"),
        ("Thời sự", "revived"),
        ("Tin tức - Sự kiện", "created"),
        ("Tin tức - Sự kiện", None),  # the last section
    ]
    # Revived sections come back where the previous issue had them; new ones go last.
    assert list(_listed(folder)) == ["Thời sự", "Xã hội", "Tin tức - Sự kiện"]
    text = (folder / "bulletin.toml").read_text(encoding="utf-8")
    assert text.index('# title = "Kinh tế"') < text.index('title = "Xã hội"')
    warnings: list = []
    load_bulletin(folder, warnings)
    assert not [w for w in warnings if "section" in w.field]  # no empty section to warn about


HAND_EDITED_HEAD = """\
# Nhịp Tuần 47 — chị Lan sửa tay; đừng đổi khoảng trắng
publication   = "Nhịp Tuần"
issue = 47
year = 2023
week = { start = 2023-11-20, end = 2023-11-26 }    # tuần 47
"""


def test_a_hand_edited_bulletin_toml_keeps_every_untouched_byte(tmp_path: Path) -> None:
    folder = tmp_path / "tuan-47"
    shutil.copytree(SAMPLE, folder)
    toml = folder / "bulletin.toml"
    original = toml.read_text(encoding="utf-8")
    head_end = original.index("publisher =")
    edited = HAND_EDITED_HEAD + original[head_end:]
    edited = edited.replace(
        '[[sections]]\ntitle = "Kinh tế"\n',
        "# Kinh tế: two pieces, maybe three\n[[sections]]   # moved up on Tuesday\n"
        "title = 'Kinh tế'\n",
    )
    edited = edited.replace(
        '"articles/04-gao-dac-san.md",\n', '"articles/04-gao-dac-san.md",  # late\n'
    )
    toml.write_text(edited, encoding="utf-8")
    report = import_into([CAO_TOC], folder, section="Kinh tế")
    import_into([BINH_THUAN], folder, section="Pháp luật")
    assert report.items[0].output.name == "17-cao-toc-my-thuan.md"
    after = toml.read_text(encoding="utf-8")
    added_line = '    "articles/17-cao-toc-my-thuan.md",\n'
    added_block = (
        '\n[[sections]]\ntitle = "Pháp luật"\narticles = ["articles/18-binh-thuan-tang-cuong.md"]\n'
    )
    assert added_line in after and after.endswith(added_block)
    assert after.replace(added_line, "", 1).removesuffix(added_block) == edited
    assert [a.source for a in load_bulletin(folder).sections[1].articles] == [
        "articles/03-cao-toc-vinh-long-tra-vinh.md",
        "articles/04-gao-dac-san.md",
        "articles/11-dinh-chinh.md",
        "articles/17-cao-toc-my-thuan.md",
    ]


def test_an_article_is_never_overwritten(tmp_path: Path) -> None:
    folder = _fresh(tmp_path)
    first = import_into([BINH_THUAN], folder).items[0].output
    corrected = first.read_text(encoding="utf-8").replace("Xuân Hiếu", "Nguyễn Xuân Hiếu")
    first.write_text(corrected, encoding="utf-8")
    toml = (folder / "bulletin.toml").read_bytes()
    again = import_into([BINH_THUAN], folder)
    item = again.items[0]
    assert (item.action, item.existing, item.listed) == ("beside", first, False)
    assert item.output.name == "01-binh-thuan-tang-cuong-2.md"
    assert item.section == "Xã hội"
    assert first.read_text(encoding="utf-8") == corrected
    assert (folder / "bulletin.toml").read_bytes() == toml and not again.toml_updated
    third = import_into([BINH_THUAN], folder).items[0]
    assert third.output.name == "01-binh-thuan-tang-cuong-3.md"
    # Another article whose first words are the same is another article.
    other = tmp_path / "binh-thuan-2.txt"
    other.write_text(
        BINH_THUAN.read_text(encoding="utf-8").replace("trong tình hình mới", "ở vùng biên giới"),
        encoding="utf-8",
    )
    fourth = import_into([other], folder).items[0]
    assert (fourth.action, fourth.output.name) == ("added", "02-binh-thuan-tang-cuong.md")


def test_replace_overwrites_on_purpose_and_lists_once(tmp_path: Path) -> None:
    folder = _fresh(tmp_path)
    first = import_into([BINH_THUAN], folder).items[0].output
    imported = first.read_bytes()
    first.write_text("sửa tay", encoding="utf-8")
    toml = (folder / "bulletin.toml").read_bytes()
    report = import_into([BINH_THUAN], folder, replace=True, section="Kinh tế")
    item = report.items[0]
    assert (item.action, item.output, item.listed, item.section) == (
        "replaced",
        first,
        False,
        "Xã hội",
    )
    assert item.notes == ['already listed in "Xã hội"; left there (not "Kinh tế")']
    assert first.read_bytes() == imported
    assert (folder / "bulletin.toml").read_bytes() == toml
    assert _listed(folder) == {"Xã hội": ["articles/01-binh-thuan-tang-cuong.md"]}
    # Replacing a file that is not listed lists it.
    toml_path = folder / "bulletin.toml"
    toml_path.write_bytes(toml.replace(b'["articles/01-binh-thuan-tang-cuong.md"]', b"[]"))
    again = import_into([BINH_THUAN], folder, replace=True).items[0]
    assert (again.action, again.listed) == ("replaced", True)
    assert _listed(folder) == {"Xã hội": ["articles/01-binh-thuan-tang-cuong.md"]}


def test_a_bad_file_among_good_ones(tmp_path: Path) -> None:
    folder = _fresh(tmp_path)
    empty = tmp_path / "trong.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "anh.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    report = import_into([empty, CAO_TOC, binary, XE_BUYT, tmp_path / "missing.txt"], folder)
    assert [i.ok for i in report.items] == [False, True, False, True, False]
    assert [i.imported.error for i in report.failed][0] == "is empty"
    assert all(i.imported.error for i in report.failed)
    assert _files(folder) == [
        "articles/01-cao-toc-my-thuan.md",
        "articles/02-da-nang-dua-vao.md",
        "articles/images/cao-toc-my-thuan.jpg",
        "articles/images/xe-buyt-dien.jpg",
        "bulletin.toml",
    ]
    assert _listed(folder) == {
        "Thời sự": ["articles/01-cao-toc-my-thuan.md"],
        "Xã hội": ["articles/02-da-nang-dua-vao.md"],
    }


def _page_with_picture(tmp_path: Path, colour: tuple[int, int, int]) -> Path:
    source = tmp_path / f"in-{colour[0]}"
    source.mkdir()
    shutil.copy(BINH_THUAN, source)
    Image.new("RGB", (800, 500), colour).save(source / "kkbb.jpg")
    return source / BINH_THUAN.name


def test_pictures_are_never_overwritten(tmp_path: Path) -> None:
    folder = _fresh(tmp_path)
    import_into([BINH_THUAN], folder)  # no picture yet: a placeholder
    picture = folder / "articles" / "images" / "kkbb.jpg"
    assert is_placeholder(picture)
    red = _page_with_picture(tmp_path, (200, 30, 30))
    import_into([red], folder, replace=True)
    assert not is_placeholder(picture)  # a placeholder may be replaced
    cropped = picture.read_bytes()  # the editor's crop, say
    # Another article naming kkbb.jpg does not take this one's picture.
    other = tmp_path / "khac.txt"
    other.write_text(
        BINH_THUAN.read_text(encoding="utf-8").replace("Bình Thuận:", "Ninh Thuận:"),
        encoding="utf-8",
    )
    second = import_into([other], folder).items[0]
    assert "images/ninh-thuan-tang-cuong-kkbb.jpg" in second.output.read_text(encoding="utf-8")
    assert picture.read_bytes() == cropped
    # The page's picture, changed, goes beside it.
    blue = _page_with_picture(tmp_path, (30, 30, 200))
    item = import_into([blue], folder, replace=True).items[0]
    assert picture.read_bytes() == cropped
    assert "images/kkbb-2.jpg" in item.output.read_text(encoding="utf-8")
    assert any("images/kkbb.jpg exists and differs" in w for w in item.imported.warnings)


def test_nothing_stays_when_bulletin_toml_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _fresh(tmp_path)
    import_into([BINH_THUAN], folder)
    before = {p: (folder / p).read_bytes() for p in _files(folder)}
    real = into_module.write_atomic

    def disk_full(path: Path, data: bytes) -> None:
        if path.name == "bulletin.toml":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(into_module, "write_atomic", disk_full)
    with pytest.raises(BuildError, match="No space left on device"):
        import_into([CAO_TOC, XE_BUYT], folder)
    assert {p: (folder / p).read_bytes() for p in _files(folder)} == before


def test_a_folder_without_a_readable_bulletin_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="exporter new"):
        import_into([CAO_TOC], tmp_path)
    (tmp_path / "bulletin.toml").write_text('publication = "X\n', encoding="utf-8")
    with pytest.raises(InputError, match="invalid TOML"):
        import_into([CAO_TOC], tmp_path)
    assert _files(tmp_path) == ["bulletin.toml"]


def test_short_names() -> None:
    title = "Bình Thuận: Tăng cường bảo vệ nền tảng tư tưởng của Đảng"
    assert short_name(title, "x") == "binh-thuan-tang-cuong"
    assert short_name("Đà Nẵng", "x") == "da-nang"
    assert short_name("…", "tu-tep") == "tu-tep"
