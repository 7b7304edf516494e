"""`exporter serve`: this computer only by default; a warning when it listens on the network."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from exporter import cli
from exporter.desk import server

from ..conftest import write_bulletin


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    seen: list[tuple] = []
    monkeypatch.setattr(server, "serve", lambda *args: seen.append(args))
    return seen


def test_binds_this_computer_by_default(tmp_path: Path, calls: list[tuple]) -> None:
    root = write_bulletin(tmp_path / "b")
    result = CliRunner().invoke(cli.app, ["serve", str(root)])
    assert result.exit_code == 0, result.output
    assert calls == [(root, [], "127.0.0.1", 8700)]
    assert "http://127.0.0.1:8700/" in result.output
    assert "warning" not in result.output


def test_warns_when_the_network_can_see_it(tmp_path: Path, calls: list[tuple]) -> None:
    root = write_bulletin(tmp_path / "b")
    result = CliRunner().invoke(
        cli.app, ["serve", str(root), "--host", "0.0.0.0", "--port", "9001"]
    )
    assert result.exit_code == 0, result.output
    assert calls == [(root, [], "0.0.0.0", 9001)]
    assert "anyone who can reach this computer on the network can see the preview" in " ".join(
        result.output.split()
    )


def test_a_missing_folder_is_a_usage_error(tmp_path: Path, calls: list[tuple]) -> None:
    result = CliRunner().invoke(cli.app, ["serve", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert calls == []
