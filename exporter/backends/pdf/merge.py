"""The parts' PDFs joined into the issue's PDF (pikepdf), as WeasyPrint writes a whole one.

Each part's PDF is whole on its own terms; joined, what spans parts is rebuilt:

- named destinations: one name tree, each anchor where it first appears in the issue (the
  parts' links are named links, so they resolve across parts through it);
- the outline: every bookmark of every page, nested by level as WeasyPrint nests them;
- fonts: each part subsets a font for its own glyphs; one subset for all of them (made by
  WeasyPrint, press.Fonts) replaces them, so the file is about the size of a one-document build;
- pictures: one copy of a picture that several parts print;
- the document information, language and PDF version of the first part (all parts share them).

The bytes depend only on the parts' bytes and their order: pages, names and objects are added
in part order, and the file identifier is computed from the content.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterator, Sequence
from types import SimpleNamespace

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.matrix import Matrix

from .press import FONTS_KEY, Printed

SCALE = 0.75  # PDF points per CSS pixel
_CATALOG_OWN = {"/Type", "/Pages", "/Outlines", "/Names"}  # rebuilt here, not copied


def merge(parts: Sequence[Printed], fonts: Sequence[bytes] = ()) -> bytes:
    """One PDF of the parts' pages in order, with ``fonts``' subsets in place of theirs."""
    sources = [pikepdf.open(io.BytesIO(part.pdf)) for part in parts]
    merged = Pdf.new()
    pages: list[list[Dictionary]] = []
    for source in sources:
        first = len(merged.pages)
        with warnings.catch_warnings():  # named destinations are rebuilt below
            warnings.filterwarnings("ignore", message="Copying pages from another Pdf")
            merged.pages.extend(source.pages)
        pages.append([merged.pages[first + i].obj for i in range(len(source.pages))])
    _metadata(merged, sources[0])
    _destinations(merged, parts, sources, pages)
    _outline(merged, parts, [page for part in pages for page in part])
    resources = list(_resources(merged))
    _fonts(merged, resources, fonts)
    _pictures(resources)
    out = io.BytesIO()
    merged.save(
        out,
        min_version=max(str(source.pdf_version) for source in sources),
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        deterministic_id=True,
        fix_metadata_version=False,
    )
    return out.getvalue()


def _metadata(merged: Pdf, first: Pdf) -> None:
    if "/Info" in first.trailer:
        merged.trailer.Info = merged.copy_foreign(first.trailer.Info)
    for key, value in first.Root.items():
        if key not in _CATALOG_OWN:
            merged.Root[key] = merged.copy_foreign(value) if value.is_indirect else value


def _destinations(
    merged: Pdf, parts: Sequence[Printed], sources: Sequence[Pdf], pages: list[list[Dictionary]]
) -> None:
    """The name tree of every anchor, pointing into the part where it first appears."""
    taken: set[str] = set()
    names: list[tuple[str, String, Array]] = []
    for part, source, copied in zip(parts, sources, pages, strict=True):
        if "/Names" not in source.Root or "/Dests" not in source.Root.Names:
            continue
        page_of = {page.objgen: n for n, page in enumerate(source.pages)}
        flat = source.Root.Names.Dests.Names
        for key, value in zip(flat[::2], flat[1::2], strict=True):
            name = str(key)
            if name not in part.anchors or name in taken:
                continue  # a stand-in for another part's anchor, or already placed
            taken.add(name)
            target = copied[page_of[value[0].objgen]]
            names.append((name, String(bytes(key)), Array([target, *list(value)[1:]])))
    if not names:
        return
    flat_names = Array()
    for _, key, value in sorted(names, key=lambda item: item[0]):
        flat_names.append(key)
        flat_names.append(value)
    merged.Root.Names = Dictionary(Dests=Dictionary(Names=flat_names))


def _outline(merged: Pdf, parts: Sequence[Printed], pages: list[Dictionary]) -> None:
    """The bookmarks of all pages nested as WeasyPrint nests them (weasyprint.anchors)."""
    tree: list = []
    skipped: list[int] = []
    last_by_depth: list[list] = [tree]
    previous = 0
    number = 0
    for part in parts:
        for bookmarks, height in zip(part.bookmarks, part.heights, strict=True):
            matrix = Matrix(a=SCALE, d=-SCALE, f=height * SCALE)
            page = SimpleNamespace(bookmarks=bookmarks)
            previous = make_page_bookmark_tree(
                page, skipped, last_by_depth, previous, number, matrix
            )
            number += 1
    if not tree:
        return
    root = merged.make_indirect(Dictionary())
    items, count = _outline_items(merged, tree, root, pages)
    root.Count, root.First, root.Last = count, items[0], items[-1]
    merged.Root.Outlines = root


def _outline_items(
    merged: Pdf, subtrees: list, parent: Dictionary, pages: list[Dictionary]
) -> tuple[list[Dictionary], int]:
    """Outline items as weasyprint.pdf.anchors.add_outlines writes them."""
    count = len(subtrees)
    items: list[Dictionary] = []
    for label, (page, x, y), children, state in subtrees:
        item = merged.make_indirect(
            Dictionary(Title=String(label), Dest=Array([pages[page], Name.XYZ, x, y, 0]))
        )
        child_items, child_count = _outline_items(merged, children, item, pages)
        item.Count = -child_count if state == "closed" else child_count
        if state != "closed":
            count += child_count
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        if child_items:
            item.First, item.Last = child_items[0], child_items[-1]
        item.Parent = parent
        items.append(item)
    return items, count


def _resources(merged: Pdf) -> Iterator[Dictionary]:
    """Every resource dictionary of the pages and of the forms they draw, once each."""
    seen: set[tuple[int, int]] = set()
    pending = [page.obj.get("/Resources") for page in merged.pages]
    while pending:
        resources = pending.pop()
        if not isinstance(resources, Dictionary):
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        yield resources
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == Name.Form:
                pending.append(xobject.get("/Resources"))


def _fonts(merged: Pdf, resources: list[Dictionary], fonts: Sequence[bytes]) -> None:
    """The parts' font subsets replaced by one subset of each font for the whole issue."""
    found: dict[str, Dictionary] = {}
    sources = [pikepdf.open(io.BytesIO(data)) for data in fonts]  # alive while copied
    for source in sources:
        found.update(source.Root["/" + FONTS_KEY].items())
    if not found:
        return
    union = {key: merged.copy_foreign(found[key]) for key in sorted(found)}
    done: set[tuple[int, int]] = set()
    for dictionary in resources:
        fonts_used = dictionary.get("/Font")
        if not isinstance(fonts_used, Dictionary):
            continue
        if fonts_used.is_indirect:
            if fonts_used.objgen in done:
                continue
            done.add(fonts_used.objgen)
        for key in list(fonts_used.keys()):
            if key in union:
                fonts_used[key] = union[key]


def _pictures(resources: list[Dictionary]) -> None:
    """One copy of each picture: later copies point at the first (in page order)."""
    first: dict[str, pikepdf.Stream] = {}
    for dictionary in resources:
        xobjects = dictionary.get("/XObject")
        if not isinstance(xobjects, Dictionary):
            continue
        for key in list(xobjects.keys()):
            xobject = xobjects[key]
            if xobject.get("/Subtype") != Name.Image:
                continue
            digest = _digest(xobject)
            if digest in first:
                xobjects[key] = first[digest]
            else:
                first[digest] = xobject


def _digest(stream: pikepdf.Stream) -> str:
    """What makes two image streams the same picture: their data and their dictionary."""
    sha = hashlib.sha256(stream.read_raw_bytes())
    for key in sorted(stream.keys()):
        if key != "/Length":
            sha.update(f"{key}={_value(stream[key])};".encode())
    return sha.hexdigest()


def _value(value: pikepdf.Object, depth: int = 0) -> str:
    """A value as text, an object it refers to by its content (not its number)."""
    if depth > 8:
        raise ValueError("image dictionary nested too deeply")
    if isinstance(value, pikepdf.Stream):
        return _digest(value)
    if isinstance(value, Array):
        return "[" + " ".join(_value(item, depth + 1) for item in value) + "]"
    if isinstance(value, Dictionary):
        items = " ".join(f"{k} {_value(value[k], depth + 1)}" for k in sorted(value.keys()))
        return "<<" + items + ">>"
    if isinstance(value, pikepdf.Object):
        return value.unparse().decode("latin-1")
    return repr(value)  # numbers and booleans come out as Python values
