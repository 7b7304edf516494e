"""The installed command tunes Python's cycle collector before the command line runs (issue
12: a build allocates millions of objects that live until its end)."""

from __future__ import annotations

import gc
import subprocess
import sys
import tomllib

import pytest

from exporter import cli, launch

from .conftest import ROOT


def test_the_command_tunes_the_collector_first(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, ...]] = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(gc.get_threshold()))
    before = gc.get_threshold()
    try:
        launch.main()
    finally:
        gc.set_threshold(*before)
    assert seen == [launch.THRESHOLDS] and launch.THRESHOLDS[0] >= 100 * 700 // 1


def test_the_console_script_and_python_m_go_through_it() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"exporter": "exporter.launch:main"}
    code = "import gc, runpy, sys; sys.argv = ['exporter', '--version']\n"
    code += "try:\n    runpy.run_module('exporter', run_name='__main__')\n"
    code += "except SystemExit:\n    print(gc.get_threshold())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip().endswith(str(launch.THRESHOLDS)), done.stdout + done.stderr
