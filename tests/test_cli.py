"""The command line is thin: exit codes 0/1/2/3 and --help on every command."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from exporter.backends.pdf.backend import PdfBackend
from exporter.cli import app
from exporter.errors import BuildError

runner = CliRunner()


@pytest.mark.parametrize("command", [[], ["build"], ["validate"]])
def test_help_everywhere(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_build_writes_both_editions_named_after_the_bulletin(
    bulletin_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(bulletin_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "ban-tin-thu-2023-so-47.epub",
        "ban-tin-thu-2023-so-47.pdf",
    ]


def test_build_one_format(bulletin_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(bulletin_dir), "-o", str(out), "--format", "epub"])
    assert result.exit_code == 0, result.output
    assert [p.suffix for p in out.iterdir()] == [".epub"]


def test_usage_errors_exit_2(bulletin_dir: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["build", str(bulletin_dir)]).exit_code == 2  # no -o
    bad = runner.invoke(app, ["build", str(bulletin_dir), "-o", str(tmp_path), "-f", "docx"])
    assert bad.exit_code == 2
    assert runner.invoke(app, ["frobnicate"]).exit_code == 2


def test_invalid_input_exits_3(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 3
    assert "bulletin.toml: not found" in result.output


def test_validate_ok(bulletin_dir: Path) -> None:
    result = runner.invoke(app, ["validate", str(bulletin_dir)])
    assert result.exit_code == 0
    assert "valid" in result.output


def test_build_failure_exits_1(
    bulletin_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(self: PdfBackend, rendition: object) -> bytes:
        raise BuildError("simulated layout failure")

    monkeypatch.setattr(PdfBackend, "build", explode)
    result = runner.invoke(app, ["build", str(bulletin_dir), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "simulated layout failure" in result.output
    assert not (tmp_path / "o").exists()


def test_json_report_has_sizes_and_savings(bulletin_dir: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = runner.invoke(
        app, ["build", str(bulletin_dir), "-o", str(tmp_path / "o"), "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    import json

    outputs = {o["format"]: o for o in json.loads(report.read_text(encoding="utf-8"))["outputs"]}
    assert outputs["pdf"]["images_saved_bytes"] >= 0
    assert outputs["epub"]["fonts_subset_bytes"] < outputs["epub"]["fonts_original_bytes"]
    assert outputs["epub"]["epub_bytes_without_subsetting"] > outputs["epub"]["size"]


# The editor's week: exporter new, exporter import --into, exporter build.

IMPORT_DATA = Path(__file__).parent / "importer" / "data" / "import"


def test_new_then_import_into_then_build(tmp_path: Path) -> None:
    from .conftest import SAMPLE

    folder = tmp_path / "tuan-48"
    made = runner.invoke(app, ["new", str(folder), "--from", str(SAMPLE)])
    assert made.exit_code == 0, made.output
    assert f"wrote {folder / 'bulletin.toml'}: Nhịp Tuần, issue 48/2023, week 27/11–03/12/2023" in (
        made.output
    )
    assert "sections waiting for articles: Thời sự, Kinh tế, Xã hội" in made.output
    inputs = [IMPORT_DATA / "vnexpress-cao-toc.txt", IMPORT_DATA / "binh-thuan-onecms.txt"]
    imported = runner.invoke(
        app,
        ["import", *map(str, inputs), "--into", str(folder), "--report", str(tmp_path / "r.json")],
    )
    assert imported.exit_code == 0, imported.output
    lines = imported.stdout.splitlines()
    articles = folder / "articles"
    assert lines == [
        f"wrote {articles / '01-cao-toc-my-thuan.md'} (Thời sự, section brought back)",
        f"wrote {articles / '02-binh-thuan-tang-cuong.md'} (Xã hội, section brought back)",
        f"updated {folder / 'bulletin.toml'}: 2 article(s) listed; "
        "sections opened: Thời sự, Xã hội",
    ]
    assert "image kkbb.jpg not found; a placeholder was written" in imported.stderr
    import json

    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["bulletin_toml"] == "updated"
    assert [i["section"] for i in report["inputs"]] == ["Thời sự", "Xã hội"]
    assert report["inputs"][0]["lines"]  # the importer's line records, as without --into
    again = runner.invoke(app, ["import", str(inputs[1]), "--into", str(folder)])
    assert again.exit_code == 0, again.output
    assert "02-binh-thuan-tang-cuong-2.md beside 02-binh-thuan-tang-cuong.md, which is kept" in (
        again.stdout
    )
    assert "bulletin.toml: unchanged" in again.stdout
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", str(folder), "-o", str(out)])
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in out.iterdir()) == [
        "nhip-tuan-2023-so-48.epub",
        "nhip-tuan-2023-so-48.pdf",
    ]


def test_new_refuses_an_existing_bulletin_with_exit_2(bulletin_dir: Path, tmp_path: Path) -> None:
    before = (bulletin_dir / "bulletin.toml").read_bytes()
    result = runner.invoke(app, ["new", str(bulletin_dir), "--publication", "X"])
    assert result.exit_code == 2
    assert "already holds a bulletin" in result.output
    assert (bulletin_dir / "bulletin.toml").read_bytes() == before
    assert runner.invoke(app, ["new", str(tmp_path / "b")]).exit_code == 2  # no publication
    monday = runner.invoke(
        app, ["new", str(tmp_path / "b"), "--publication", "X", "--week-start", "2023-11-22"]
    )
    assert monday.exit_code == 2 and "not a Monday" in monday.output
    missing = runner.invoke(app, ["new", str(tmp_path / "b"), "--from", str(tmp_path / "no")])
    assert missing.exit_code == 3
    assert not (tmp_path / "b").exists()


def test_import_wants_one_destination(bulletin_dir: Path, tmp_path: Path) -> None:
    page = str(IMPORT_DATA / "vnexpress-cao-toc.txt")
    assert runner.invoke(app, ["import", page]).exit_code == 2
    both = ["import", page, "-o", str(tmp_path / "a"), "--into", str(bulletin_dir)]
    assert runner.invoke(app, both).exit_code == 2
    assert runner.invoke(app, ["import", page, "-o", str(tmp_path), "--replace"]).exit_code == 2
    no_bulletin = runner.invoke(app, ["import", page, "--into", str(tmp_path)])
    assert no_bulletin.exit_code == 3 and "exporter new" in no_bulletin.output


def test_import_into_with_a_bad_file_exits_1(bulletin_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    before = (bulletin_dir / "bulletin.toml").read_text(encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "import",
            str(empty),
            str(IMPORT_DATA / "vnexpress-cao-toc.txt"),
            "--into",
            str(bulletin_dir),
            "--section",
            "kinh te",
        ],
    )
    assert result.exit_code == 1
    assert f"error {empty}: is empty" in result.stderr
    assert "04-cao-toc-my-thuan.md (Kinh tế)" in result.stdout
    after = (bulletin_dir / "bulletin.toml").read_text(encoding="utf-8")
    assert after == before.replace(
        'articles = ["articles/03-ba.md"]',
        'articles = ["articles/03-ba.md", "articles/04-cao-toc-my-thuan.md"]',
    )
