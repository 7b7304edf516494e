"""Import quality over the hand-checked fixtures: body precision/recall and leaked boilerplate.

    python bench/import_quality.py [FIXTURE_DIR]

Without an argument: the original fixtures (every field and every dropped line), then the
corpus of pages in the styles of 19 sites, per field, for its two parts: ``tuning`` (what the
rules were tuned on) and ``held-out`` (kept aside until the end).

Each input in the folder (``*.txt``, ``*.html``) with a ``NAME.expected.yaml`` beside it is
read with ``exporter.importer.extract`` (nothing is written) and scored by
``exporter.importer.quality``: a body block counts as correct when its kind and text equal the
expectation after whitespace normalisation; a leaked line is a body block that the expectation
lists as dropped boilerplate.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from exporter.importer import extract
from exporter.importer.quality import (
    CORPUS_FIELDS,
    expectation_of,
    field_score,
    field_totals,
    load_expected,
    score,
    totals,
)

DATA = Path(__file__).resolve().parent.parent / "tests" / "importer" / "data"
DEFAULT = DATA / "import"
CORPUS = DATA / "corpus"
PARTS = ("tuning", "held-out")
TARGET = 0.95  # every field right on at least 95% of the fixtures


def main(folder: Path = DEFAULT) -> int:
    sources = inputs(folder)
    scores = []
    print(f"{'input':34} {'kind':5} {'exp':>4} {'got':>4} {'ok':>4} {'leak':>4} {'ms':>6}  fields")
    for source in sources:
        started = time.perf_counter()
        result = extract(source)
        ms = (time.perf_counter() - started) * 1000
        found = score(result, load_expected(source))
        scores.append(found)
        fields = "ok" if found.perfect else "; ".join(found.mismatches)[:60]
        print(
            f"{source.name:34} {result.kind or '-':5} {found.expected_blocks:4} "
            f"{found.extracted_blocks:4} {found.matched_blocks:4} {len(found.leaked):4} "
            f"{ms:6.0f}  {fields}"
        )
    t = totals(scores)
    print(
        f"\n{t['inputs']} inputs, {t['expected_blocks']} expected body blocks, "
        f"{t['extracted_blocks']} extracted: precision {t['precision']:.3f}, "
        f"recall {t['recall']:.3f}, leaked boilerplate lines {t['leaked']}, "
        f"{t['perfect']}/{t['inputs']} inputs exactly as expected"
    )
    return 0 if t["perfect"] == t["inputs"] else 1


def inputs(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.suffix in (".txt", ".html") and expectation_of(p).exists()
    )


def corpus(parts: tuple[str, ...] = PARTS, verbose: bool = False) -> int:
    """Per-field accuracy of each corpus part, side by side."""
    results = {}
    for part in parts:
        scores = []
        for source in inputs(CORPUS / part):
            found = field_score(extract(source), load_expected(source))
            scores.append(found)
            if verbose and (found.wrong or found.leaked):
                print(f"{part}/{source.name}:")
                for name, (want, got) in found.wrong.items():
                    print(f"  {name}: expected {want!r}\n  {' ' * len(name)}  got      {got!r}")
                for text in found.leaked:
                    print(f"  leaked: {text!r}")
        results[part] = field_totals(scores)
    print(f"\n{'field':14}" + "".join(f"{p:>10}" for p in parts))
    for name in (*CORPUS_FIELDS, "precision", "recall"):
        print(f"{name:14}" + "".join(f"{results[p][name]:10.3f}" for p in parts))
    for name in ("leaked", "all right", "fixtures"):
        print(f"{name:14}" + "".join(f"{results[p][name]:10.0f}" for p in parts))
    short = [
        f"{p}: {f} {results[p][f]:.2f}"
        for p in parts
        for f in CORPUS_FIELDS
        if results[p][f] < TARGET
    ]
    print("every field >= 95%: " + ("yes" if not short else "no (" + "; ".join(short) + ")"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--corpus":  # --corpus [PART] [-v]
        chosen = tuple(a for a in sys.argv[2:] if a in PARTS) or PARTS
        sys.exit(corpus(chosen, verbose="-v" in sys.argv))
    if len(sys.argv) > 1:
        sys.exit(main(Path(sys.argv[1])))
    status = main(DEFAULT)
    sys.exit(corpus() or status)
