"""Rendering reads only the bulletin and theme folders: no other file, no network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from weasyprint import HTML

from exporter import BuildError, InputError, build, load_bulletin
from exporter.backends.pdf.backend import VIRTUAL_ROOT, RenditionFetcher, SandboxViolation
from exporter.render.rendition import Asset

from ..conftest import ARTICLE, write_bulletin


def _with_figure(tmp_path: Path, reference: str) -> Path:
    text = ARTICLE.format(title="Tin").replace("images/anh.jpg", reference)
    return write_bulletin(
        tmp_path,
        {
            "articles/a.md": ARTICLE.format(title="Tin tốt"),
            "articles/xau.md": text,
        },
    )


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("../../etc/passwd", "is outside the bulletin folder"),
        ("http://127.0.0.1/", "is a network or external URL, which is not allowed"),
        ("/etc/passwd", "is an absolute path, which is not allowed"),
        ("file:///etc/passwd", "is a network or external URL, which is not allowed"),
    ],
)
def test_figure_references_outside_are_refused(tmp_path: Path, reference: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        load_bulletin(_with_figure(tmp_path, reference))
    assert [str(p) for p in caught.value.problems] == [
        f'articles/xau.md:8: figures[0].file: "{reference}" {reason}'
    ]


@pytest.mark.parametrize("reference", ["../../etc/passwd", "http://127.0.0.1/x.png"])
def test_body_references_outside_are_refused(tmp_path: Path, reference: str) -> None:
    text = (
        ARTICLE.format(title="Tin") + f'\n![Ảnh]({reference})\n\n<img src="{reference}" alt="x">\n'
    )
    root = write_bulletin(
        tmp_path, {"articles/a.md": ARTICLE.format(title="A"), "articles/xau.md": text}
    )
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    lines = [str(p) for p in caught.value.problems]
    assert len(lines) == 2
    assert all(line.startswith(f'articles/xau.md: body: image "{reference}"') for line in lines)


def test_symlink_out_of_the_bulletin_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"not for you")
    root = _with_figure(tmp_path / "b", "images/link.jpg")
    os.symlink(secret, root / "articles" / "images" / "link.jpg")
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    assert "is outside the bulletin folder" in str(caught.value)


def test_article_file_outside_the_bulletin_is_refused(tmp_path: Path) -> None:
    root = write_bulletin(tmp_path / "b")
    (tmp_path / "outside.md").write_text(ARTICLE.format(title="Ngoài"), encoding="utf-8")
    toml = (root / "bulletin.toml").read_text(encoding="utf-8")
    (root / "bulletin.toml").write_text(
        toml.replace('"articles/03-ba.md"', '"../outside.md"'), encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        load_bulletin(root)
    assert (
        'bulletin.toml:14: section "Kinh tế": "../outside.md" is outside the bulletin folder'
        in str(caught.value)
    )


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/", "file:///etc/passwd", VIRTUAL_ROOT + "../../etc/passwd"]
)
def test_pdf_fetcher_refuses_everything_but_rendition_assets(url: str) -> None:
    fetcher = RenditionFetcher({"images/a.png": Asset("images/a.png", "image/png", data=b"x")})
    assert fetcher.fetch(VIRTUAL_ROOT + "images/a.png").read() == b"x"
    with pytest.raises(SandboxViolation):
        fetcher.fetch(url)


def test_pdf_render_stops_on_a_refused_reference() -> None:
    """A stylesheet @import that slipped past the loader stops the render (not a warning)."""
    fetcher = RenditionFetcher({})
    html = '<html><head><style>@import url("http://127.0.0.1/x.css");</style></head></html>'
    with pytest.raises(SandboxViolation):
        HTML(string=html, base_url=VIRTUAL_ROOT, url_fetcher=fetcher).render()


def test_theme_override_reaching_out_fails_the_build(bulletin_dir: Path, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "styles").mkdir(parents=True)
    (theme / "styles" / "print.css").write_text(
        '@import url("http://127.0.0.1/evil.css");\nbody { color: black }', encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(BuildError, match="127.0.0.1"):
        build(bulletin_dir, out, ["pdf"], theme_dirs=[theme])
    assert not out.exists()
