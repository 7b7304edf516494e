"""The preview server's routes: the editions and the bulletin's own files, nothing else."""

from __future__ import annotations

import json
import os

import pytest

from ..conftest import write_bulletin
from .conftest import Running, running_server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = write_bulletin(tmp_path_factory.mktemp("served") / "b")
    secret = root.parent / "secret.txt"
    secret.write_text("not for the browser", encoding="utf-8")
    os.symlink(secret, root / "articles" / "images" / "lien-ket.jpg")
    yield from running_server(root)


def _json(served: Running, path: str) -> dict:
    status, body = served.get(path)
    assert status == 200, path
    return json.loads(body)


def test_the_page_its_script_and_state(served: Running) -> None:
    status, page = served.get("/")
    assert status == 200 and b'<script src="/static/preview.js"' in page
    assert served.get("/static/preview.js")[0] == 200
    state = _json(served, "/api/state")
    assert state["error"] is None and state["version"] >= 1
    assert [p["number"] for p in state["pages"]] == list(range(1, len(state["pages"]) + 1))
    status, image = served.get(f"/page/{state['pages'][0]['token']}.png")
    assert status == 200 and image.startswith(b"\x89PNG")
    assert any(c["href"].endswith(".xhtml") for c in state["chapters"])


def test_ebook_chapters_and_their_files(served: Running) -> None:
    state = _json(served, "/api/state")
    status, chapter = served.get(f"/epub/{state['chapters'][1]['href']}")
    assert status == 200 and b"<html" in chapter
    assert served.get("/epub/styles/ebook.css")[0] == 200
    assert served.get("/epub/images/anh.jpg")[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/epub/../bulletin.toml",
        "/epub/%2e%2e/bulletin.toml",
        "/epub/..%2f..%2fsecret.txt",
        "/epub//etc/passwd",
        "/epub/%2Fetc%2Fpasswd",
        "/epub/articles/01-mot.md",  # a file of the bulletin, but of no edition
        "/epub/images/lien-ket.jpg",  # a symlink out of the folder
        "/static/../server.py",
        "/static/preview.py",
        "/page/../../bulletin.toml",
        "/page/0000.png",
        "/bulletin.toml",
        "/articles/01-mot.md",
        "/favicon.ico",
    ],
)
def test_anything_else_is_not_found(served: Running, path: str) -> None:
    status, body = served.get(path)
    assert status == 404, path
    assert b"not for the browser" not in body and b"publication" not in body


def test_only_get(served: Running) -> None:
    assert served.get("/api/state", "POST")[0] == 404
    assert served.get("/", "DELETE")[0] == 404
