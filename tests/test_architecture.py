"""The package's folders are the pipeline's stages: the contracts hold and would catch a breach."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
TOP_LEVEL = {
    "__init__.py", "__main__.py", "launch.py", "cli.py", "pipeline.py", "errors.py", "output.py"
}  # fmt: skip
ROOMS = {"source", "vietnamese", "render", "backends", "importer", "batch", "catalog", "desk"}


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def test_the_contracts_hold() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # A stage reaching up: rendering must never know the pipeline that drives it.
        (
            "render/labels.py",
            "from exporter.pipeline import build",
            "exporter.render is not allowed to import exporter.pipeline",
        ),
        # The loop issue 10 broke: the encodings repair and the orthography checks.
        (
            "vietnamese/syllables.py",
            "from exporter.vietnamese import orthography",
            "No cycles are allowed in exporter.vietnamese",
        ),
        # The two editions stay apart.
        (
            "backends/epub/pagemap.py",
            "from exporter.backends.pdf import backend",
            "exporter.backends.epub is not allowed to import exporter.backends.pdf",
        ),
    ],
)
def test_a_bad_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(
        ROOT / "exporter", tmp_path / "exporter", ignore=shutil.ignore_patterns("*.pyc")
    )
    with (tmp_path / "exporter" / module).open("a", encoding="utf-8") as file:
        file.write(f"\n{line}  # deliberate\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1
    assert broken in result.stdout


def test_the_top_level_holds_only_the_thin_faces() -> None:
    package = ROOT / "exporter"
    modules = {p.name for p in package.glob("*.py")}
    folders = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    assert modules == TOP_LEVEL
    assert folders == ROOMS
