"""Pictures named by an imported article: copied in if the editor has them, else a placeholder.

The text only names a file (``kkbb.jpg``). It is looked for beside the input, in an
``images/`` folder beside it and, for a page saved by a browser ("Save page as, complete":
``NAME.html`` plus ``NAME_files/``), in the page's own files folder; a missing one becomes a
marked placeholder under the same name in ``ARTICLES_DIR/images/`` so the bulletin builds now
and the real photo, dropped in later under that name, replaces it. Nothing is written until
the article itself is known to be good.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from exporter.output import write_atomic
from exporter.source.placeholder import is_placeholder

from .model import ImportedFigure
from .placeholder import make_placeholder

IMAGES = "images"
# The folder a browser saves a page's pictures into, after the page's name: "NAME_files" in
# Chrome, Firefox and Edge; some localised browsers use their own word.
_SAVED_FILES = ("_files", "-files", ".files", "_fichiers", "-Dateien", "_archivos", "_arquivos")


def _candidates(source: Path, name: str) -> list[Path]:
    """Where a picture named by ``source`` may be: beside it, in ``images/``, in its saved
    page's files folder."""
    folders = [source.parent, source.parent / IMAGES]
    folders += [source.parent / f"{source.stem}{suffix}" for suffix in _SAVED_FILES]
    return [folder / name for folder in folders]


def _readable(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            image.verify()
    except Exception:
        return False
    return True


@dataclass
class ImagePlan:
    """Where each figure's file comes from and goes to, decided before anything is written."""

    writes: list[tuple[Path, Path | None]] = field(default_factory=list)  # (target, source)
    warnings: list[str] = field(default_factory=list)


def plan_images(
    figures: list[ImportedFigure],
    source: Path,
    out_dir: Path,
    slug: str,
    claimed: dict[str, Path | None],
    *,
    keep_existing: bool = False,
) -> ImagePlan:
    """Resolve every figure; ``claimed`` maps target names used earlier in this run to their
    source (None for a placeholder), so two inputs naming ``anh1.jpg`` do not collide.

    With ``keep_existing`` a real picture already in ``out_dir`` (the editor's, or one an
    earlier import brought) is never overwritten: a different picture under its name goes
    beside it as ``NAME-2.jpg``. A placeholder may still be replaced.
    """
    plan = ImagePlan()
    for n, figure in enumerate(figures):
        found = next((p for p in _candidates(source, figure.name) if p.is_file()), None)
        if found is not None and not _readable(found):
            plan.warnings.append(f"figure[{n}]: {found} is not a readable image; ignored")
            found = None
        target_name = figure.name
        if target_name in claimed and (found is None or claimed[target_name] != found):
            target_name = f"{slug}-{figure.name}"
        target = out_dir / IMAGES / target_name
        if keep_existing and found is not None and _taken(target, found):
            kept, target_name = target_name, _beside(out_dir / IMAGES, target_name, found, claimed)
            target = out_dir / IMAGES / target_name
            plan.warnings.append(
                f"{IMAGES}/{kept} exists and differs from {found.name}: kept, and the new "
                f"picture written beside it ({IMAGES}/{target_name})"
            )
        figure.file = f"{IMAGES}/{target_name}"
        if found is None and target.is_file() and not is_placeholder(target):
            found = target  # the real photo was already dropped into the articles folder
        figure.found = found
        claimed[target_name] = found
        if found is None:
            plan.warnings.append(
                f"image {figure.name} not found; a placeholder was written ({figure.file})"
            )
        if found != target:
            plan.writes.append((target, found))
    return plan


def _taken(target: Path, source: Path) -> bool:
    """``target`` holds a real picture other than ``source``'s."""
    if not target.is_file() or is_placeholder(target) or target.resolve() == source.resolve():
        return False
    return target.read_bytes() != source.read_bytes()


def _beside(folder: Path, name: str, source: Path, claimed: dict[str, Path | None]) -> str:
    """``NAME-2.jpg``, ``NAME-3.jpg`` …: the first free name, or one already holding
    ``source``'s picture."""
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while True:
        candidate = f"{stem}-{n}{suffix}"
        if candidate not in claimed and not _taken(folder / candidate, source):
            return candidate
        n += 1


def write_images(plan: ImagePlan) -> None:
    for target, source in plan.writes:
        data = source.read_bytes() if source else make_placeholder(target.name)
        if not (target.is_file() and target.read_bytes() == data):
            write_atomic(target, data)
