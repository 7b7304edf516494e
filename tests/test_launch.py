"""The installed command keeps its imported modules out of the cycle collector's way (issue 12:
a build is one short run), and the PDF's layout workers what they inherit."""

from __future__ import annotations

import gc
import subprocess
import sys
import tomllib

import pytest

from exporter import cli, launch
from exporter.backends.pdf.workers import Crew

from .conftest import ROOT


def test_the_command_freezes_its_modules_before_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(gc.get_freeze_count()))
    try:
        launch.main()
    finally:
        gc.unfreeze()
    assert seen and seen[0] > 10_000  # the modules' objects: typer, rich, pydantic, ours


def test_the_console_script_and_python_m_go_through_it() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"exporter": "exporter.launch:main"}
    code = "import gc, runpy, sys; sys.argv = ['exporter', '--version']\n"
    code += "try:\n    runpy.run_module('exporter', run_name='__main__')\n"
    code += "except SystemExit:\n    print(gc.get_freeze_count())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert int(done.stdout.split()[-1]) > 10_000, done.stdout + done.stderr


def test_workers_inherit_a_frozen_heap_and_this_process_keeps_its_own() -> None:
    class Counting:
        def run(self, task: object) -> int:
            return gc.get_freeze_count()

    before = gc.get_freeze_count()
    with Crew(2, Counting) as crew:  # type: ignore[arg-type]
        for worker in (0, 1):
            crew.send(worker, "count", "a count")
        counts = []
        while len(counts) < 2:
            counts += [result for _, result in crew.receive()]
    assert gc.get_freeze_count() == before
    assert all(count > 10_000 for count in counts)
