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
