"""Compiled templates are kept between renders, and an edited template is compiled again."""

from __future__ import annotations

from pathlib import Path

from exporter.render.theme import Theme


def test_an_edited_template_is_used_at_the_next_render(tmp_path: Path) -> None:
    theme = Theme([tmp_path])
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "note.html"
    page.write_text("Số {{ n }}: bản một", encoding="utf-8")
    assert theme.environment().get_template("note.html").render(n=1) == "Số 1: bản một"
    page.write_text("Số {{ n }}: bản hai, dài hơn", encoding="utf-8")
    assert theme.environment().get_template("note.html").render(n=2) == "Số 2: bản hai, dài hơn"


def test_two_renders_compile_once(tmp_path: Path, monkeypatch) -> None:
    from jinja2 import Environment

    compiled: list[str] = []
    original = Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counting)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "once.html").write_text("{{ 1 + 1 }}", encoding="utf-8")
    for _ in range(3):
        assert Theme([tmp_path]).environment().get_template("once.html").render() == "2"
    assert compiled.count("once.html") == 1
