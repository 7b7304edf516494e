"""Import quality over the hand-checked fixtures: body precision/recall and leaked boilerplate.

    python bench/import_quality.py [FIXTURE_DIR]

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
from exporter.importer.quality import expectation_of, load_expected, score, totals

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "importer" / "data" / "import"


def main(folder: Path = DEFAULT) -> int:
    sources = sorted(
        p for p in folder.iterdir() if p.suffix in (".txt", ".html") and expectation_of(p).exists()
    )
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


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
