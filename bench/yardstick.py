"""The benchmark bulletin of issue 12 and the same text for pandoc, the editors' yardstick.

The real CMS page (``tests/importer/data/import/binh-thuan-onecms.txt``) is imported once,
then copied with numbered titles into sections of eight articles. pandoc gets the same
articles as one Markdown file (title, lead, body of each).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from exporter.importer import import_file
from exporter.source.load import split_front_matter

ROOT = Path(__file__).resolve().parent.parent
CMS_PAGE = ROOT / "tests" / "importer" / "data" / "import" / "binh-thuan-onecms.txt"
SECTIONS = ["Thời sự", "Kinh tế", "Xã hội", "Văn hóa", "Thể thao", "Giáo dục", "Sức khỏe"]


SAMPLE_FILLERS = sorted((ROOT / "samples" / "tuan-47" / "articles").glob("1[1-6]-*.md"))


def cms_bulletin(target: Path, count: int = 40, per_section: int = 8, fillers: int = 0) -> Path:
    """A bulletin of ``count`` copies of the imported CMS article, ``per_section`` a section;
    with ``fillers`` copies of the sample's fillers (issue 14), one after each section in
    turn."""
    if target.exists():
        shutil.rmtree(target)
    articles = target / "articles"
    with tempfile.TemporaryDirectory() as tmp:
        result = import_file(CMS_PAGE, Path(tmp))
        assert result.ok and result.output, result.error
        source = result.output.read_text(encoding="utf-8")
        shutil.copytree(Path(tmp) / "images", articles / "images")
    front, body, _ = split_front_matter(source)
    meta = yaml.safe_load(front or "")
    sections: dict[str, list[str]] = {}
    for n in range(count):
        meta["title"] = f"{meta['title'].split(' (số')[0]} (số {n + 1})"
        meta.pop("section", None)
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"
        name = f"articles/{n + 1:03d}.md"
        (target / name).write_text(text + "\n" + body, encoding="utf-8")
        sections.setdefault(SECTIONS[(n // per_section) % len(SECTIONS)], []).append(name)
    titles = list(sections)
    for n in range(fillers):
        text = SAMPLE_FILLERS[n % len(SAMPLE_FILLERS)].read_text(encoding="utf-8")
        front, body, _ = split_front_matter(text)
        meta = yaml.safe_load(front or "")
        meta["title"] = f"{meta['title']} (số {n + 1})"
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"
        name = f"articles/filler-{n + 1:03d}.md"
        (target / name).write_text(text + "\n" + body, encoding="utf-8")
        sections[titles[n % len(titles)]].append(name)
    toml = [
        'publication = "Nhịp Tuần"',
        f"issue = {count}",
        "year = 2023",
        "week = { start = 2023-11-20, end = 2023-11-26 }",
        'publisher = "Tòa soạn Nhịp Tuần"',
    ]
    for title, names in sections.items():
        toml += ["", "[[sections]]", f'title = "{title}"', "articles = ["]
        toml += [f'    "{name}",' for name in names] + ["]"]
    (target / "bulletin.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")
    return target


def pandoc_markdown(bulletin: Path, target: Path) -> Path:
    """The same articles as one Markdown file for pandoc (pictures by their files)."""
    parts = ["---", "title: Nhịp Tuần", "lang: vi", "---", ""]
    for path in sorted((bulletin / "articles").glob("*.md")):
        front, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(front or "")
        parts += [f"# {meta['title']}", "", meta.get("lead") or "", ""]
        for figure in meta.get("figures", []):
            picture = bulletin / "articles" / figure["file"]
            parts += [f"![{figure.get('caption') or ''}]({picture})", ""]
        parts += [body.strip(), ""]
    target.write_text("\n".join(parts), encoding="utf-8")
    return target
