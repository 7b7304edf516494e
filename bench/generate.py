"""Make benchmark bulletins of N articles from the sample's articles (copied, renamed)."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "tuan-47"


def generate(target: Path, count: int, columns: int = 2, issue: int = 47) -> Path:
    """A bulletin folder with ``count`` articles cycling through the sample's, in its sections."""
    spec = tomllib.loads((SAMPLE / "bulletin.toml").read_text(encoding="utf-8"))
    sources = [
        (s["title"], a)
        for s in spec["sections"]
        for a in s["articles"]
        if "\nfiller: true\n" not in (SAMPLE / a).read_text(encoding="utf-8")
    ]  # the sample's ten articles: its fillers are not copied (bench/fill.py measures them)
    if target.exists():
        shutil.rmtree(target)
    (target / "articles").mkdir(parents=True)
    shutil.copytree(SAMPLE / "articles" / "images", target / "articles" / "images")
    sections: dict[str, list[str]] = {}
    for n in range(count):
        section, rel = sources[n % len(sources)]
        name = f"articles/{n:03d}-{Path(rel).name}"
        shutil.copy(SAMPLE / rel, target / name)
        sections.setdefault(section, []).append(name)
    head = (SAMPLE / "bulletin.toml").read_text(encoding="utf-8").split("[[sections]]")[0]
    head = head.replace("issue = 47", f"issue = {issue}")
    # Pages as the content makes them: the sample's [pdf] table and its comment left out.
    head = "".join(line for line in head.splitlines(True) if not line.startswith("# "))
    head = head.replace("[pdf]\npage_multiple = 4\n", "")
    if columns != 2:
        head += f"\n[pdf]\ncolumns = {columns}\n"
    body = "".join(
        f'\n[[sections]]\ntitle = "{title}"\narticles = [\n'
        + "".join(f'    "{a}",\n' for a in articles)
        + "]\n"
        for title, articles in sections.items()
    )
    (target / "bulletin.toml").write_text(head + body, encoding="utf-8")
    return target


if __name__ == "__main__":
    import sys

    print(
        generate(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    )
