"""Typography applied once, to every piece of text, before anything is rendered."""

from __future__ import annotations

import unicodedata

from .errors import Problem
from .models import Bulletin


def normalize(bulletin: Bulletin, warnings: list[Problem] | None = None) -> Bulletin:
    """Placeholder until the typography stage lands: NFC only."""
    data = bulletin.model_dump()

    def walk(value: object) -> object:
        if isinstance(value, str):
            return unicodedata.normalize("NFC", value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return Bulletin.model_validate(walk(data))
