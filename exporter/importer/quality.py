"""Score an import against a hand-written expectation (``NAME.expected.yaml`` beside the input).

Used by the tests (which demand a perfect score on the fixtures) and by
``bench/import_quality.py`` (which prints the table). Body blocks match when kind and text are
equal after whitespace normalisation; a "leaked" line is an extracted body block whose text
the expectation lists as dropped boilerplate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from exporter.source.models import VN_TZ

from .model import ImportResult

FIELDS = ("section", "kicker", "title", "authors", "published", "updated", "lead", "attribution")
FIELDS += ("source_url",)


def expectation_of(source: Path) -> Path:
    return source.with_name(f"{source.stem}.expected.yaml")


def load_expected(source: Path) -> dict[str, Any]:
    return yaml.safe_load(expectation_of(source).read_text(encoding="utf-8"))


def _norm(text: str | None) -> str | None:
    return " ".join(text.split()) if isinstance(text, str) else text


def _block_key(block: dict[str, Any]) -> tuple[str, str, int | None]:
    kind = next(k for k in block if k != "n")
    return kind, _norm(block[kind]) or "", block.get("n")


@dataclass
class Score:
    """How one import compares with its expectation."""

    name: str
    expected_blocks: int = 0
    extracted_blocks: int = 0
    matched_blocks: int = 0
    leaked: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return not self.mismatches and not self.leaked


def _actual_fields(result: ImportResult) -> dict[str, Any]:
    art = result.article
    assert art is not None
    data = art.as_dict()
    for name in ("published", "updated"):
        when = getattr(art, name)
        data[name] = f"{when.astimezone(VN_TZ):%Y-%m-%d %H:%M}" if when else None
    return data


def score(result: ImportResult, expected: dict[str, Any]) -> Score:
    """Compare every field, every body block, every figure and the set of dropped lines."""
    out = Score(result.input.name)
    if not result.ok or result.article is None:
        out.mismatches.append(f"import failed: {result.error}")
        out.expected_blocks = len(expected.get("body", []))
        return out
    actual = _actual_fields(result)
    for name in FIELDS:
        want, got = expected.get(name), actual.get(name)
        if (_norm(want) if isinstance(want, str) else want) != (
            _norm(got) if isinstance(got, str) else got
        ):
            out.mismatches.append(f"{name}: expected {want!r}, got {got!r}")
    want_figs = [
        (f["name"], _norm(f.get("caption")), f.get("credit"), f.get("position", 0))
        for f in expected.get("figures", [])
    ]
    got_figs = [
        (f["name"], _norm(f["caption"]), f["credit"], f["position"]) for f in actual["figures"]
    ]
    if want_figs != got_figs:
        out.mismatches.append(f"figures: expected {want_figs!r}, got {got_figs!r}")

    want_body = Counter(_block_key(b) for b in expected.get("body", []))
    got_body = Counter(_block_key(b) for b in actual["body"])
    out.expected_blocks = sum(want_body.values())
    out.extracted_blocks = sum(got_body.values())
    out.matched_blocks = sum((want_body & got_body).values())
    if [_block_key(b) for b in expected.get("body", [])] != [_block_key(b) for b in actual["body"]]:
        missing = list((want_body - got_body).elements())
        extra = list((got_body - want_body).elements())
        out.mismatches.append(f"body: missing {missing!r}, unexpected {extra!r}")

    boilerplate = {_norm(text) for text, _ in expected.get("dropped") or []}
    out.leaked = [text for _, text, _ in got_body.elements() if text in boilerplate]
    want_dropped = Counter((_norm(t), r) for t, r in expected.get("dropped") or [])
    got_dropped = Counter((_norm(r.text), r.dropped) for r in result.lines if r.to is None)
    if want_dropped != got_dropped:
        out.mismatches.append(
            f"dropped: missing {sorted((want_dropped - got_dropped).elements())!r}, "
            f"unexpected {sorted((got_dropped - want_dropped).elements())!r}"
        )
    return out


def totals(scores: list[Score]) -> dict[str, float]:
    """Precision, recall (body blocks) and leaked boilerplate lines over a set of imports."""
    matched = sum(s.matched_blocks for s in scores)
    extracted = sum(s.extracted_blocks for s in scores)
    expected = sum(s.expected_blocks for s in scores)
    return {
        "inputs": len(scores),
        "expected_blocks": expected,
        "extracted_blocks": extracted,
        "precision": matched / extracted if extracted else 1.0,
        "recall": matched / expected if expected else 1.0,
        "leaked": sum(len(s.leaked) for s in scores),
        "perfect": sum(s.perfect for s in scores),
    }


# --- the corpus: per-field accuracy ---------------------------------------------------------

# Every field a corpus fixture's expectation gives, in the order the bench prints them.
CORPUS_FIELDS = (
    "section", "kicker", "title", "authors", "published", "updated", "lead", "source_prefix",
    "attribution", "source_url", "tags", "figures", "body",
)  # fmt: skip


def _figures_match(want: list[dict[str, Any]], got: list[dict[str, Any]]) -> bool:
    """Name, caption, credit and place; a caption-only picture (name null) takes any name."""
    if len(want) != len(got):
        return False
    for w, g in zip(want, got, strict=True):
        if w.get("name") is not None and w["name"] != g["name"]:
            return False
        if (_norm(w.get("caption")), w.get("credit"), w.get("position", 0)) != (
            _norm(g["caption"]),
            g["credit"],
            g["position"],
        ):
            return False
    return True


@dataclass
class FieldScore:
    """One corpus fixture: which fields are right, and how its body compares."""

    name: str
    right: dict[str, bool] = field(default_factory=dict)
    expected_blocks: int = 0
    extracted_blocks: int = 0
    matched_blocks: int = 0
    leaked: list[str] = field(default_factory=list)
    wrong: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def field_score(result: ImportResult, expected: dict[str, Any]) -> FieldScore:
    out = FieldScore(result.input.name)
    want_body = Counter(_block_key(b) for b in expected.get("body", []))
    out.expected_blocks = sum(want_body.values())
    if not result.ok or result.article is None:
        out.right = dict.fromkeys(CORPUS_FIELDS, False)
        out.wrong = {"import": ("ok", result.error)}
        return out
    actual = _actual_fields(result)
    for name in CORPUS_FIELDS:
        want, got = expected.get(name), actual.get(name)
        if name == "figures":
            ok = _figures_match(want or [], got)
        elif name == "body":
            ok = [_block_key(b) for b in want or []] == [_block_key(b) for b in got]
        else:
            ok = (_norm(want) if isinstance(want, str) else want) == (
                _norm(got) if isinstance(got, str) else got
            )
        out.right[name] = ok
        if not ok:
            out.wrong[name] = (want, got)
    got_body = Counter(_block_key(b) for b in actual["body"])
    out.extracted_blocks = sum(got_body.values())
    out.matched_blocks = sum((want_body & got_body).values())
    boilerplate = {_norm(line) for line in expected.get("boilerplate", [])}
    shown = [text for _, text, _ in got_body.elements()]
    shown.append(actual.get("lead") or "")
    shown += [_norm(f["caption"]) or "" for f in actual["figures"]]
    out.leaked = [text for text in shown if _norm(text) in boilerplate]
    return out


def field_totals(scores: list[FieldScore]) -> dict[str, float]:
    """Share of fixtures right, per field; body precision and recall; leaked lines."""
    n = len(scores) or 1
    totals: dict[str, float] = {
        f: sum(s.right.get(f, False) for s in scores) / n for f in CORPUS_FIELDS
    }
    matched = sum(s.matched_blocks for s in scores)
    extracted = sum(s.extracted_blocks for s in scores)
    expected = sum(s.expected_blocks for s in scores)
    totals["precision"] = matched / extracted if extracted else 1.0
    totals["recall"] = matched / expected if expected else 1.0
    totals["leaked"] = sum(len(s.leaked) for s in scores)
    totals["fixtures"] = len(scores)
    totals["all right"] = sum(all(s.right.values()) for s in scores)
    return totals
