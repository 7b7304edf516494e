"""Input bytes -> NFC text with LF newlines, and whether the input is an HTML page.

Text copies are decoded by ``detect_and_decode`` (UTF-8 with or without BOM, UTF-16,
Windows-1258, TCVN3, VNI). A saved page says its encoding in ``<meta charset>``, which is
believed when the bytes agree with it; otherwise the same detection is used.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from exporter.vietnamese.legacy_encodings import UndecodableError, decode_cp1258, detect_and_decode
from exporter.vietnamese.orthography import to_nfc

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_META = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def is_html(path: Path, text: str) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES or bool(_HTML_START.match(text[:2000]))


def _declared(data: bytes) -> str | None:
    m = _META.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def decode(path: Path, data: bytes) -> tuple[str, str, bool]:
    """(text, encoding, is_html). Raises ``UndecodableError`` for empty, binary or unknown
    bytes (the message is the reason, without the file name)."""
    if not data.strip():
        raise UndecodableError("is empty")
    declared = _declared(data)
    if declared and declared != "utf-8" and b"\x00" not in data:
        try:
            raw = decode_cp1258(data) if declared == "cp1258" else to_nfc(data.decode(declared))
        except UnicodeDecodeError:
            raw = None
        if raw is not None and is_html(path, raw):
            return raw.replace("\r\n", "\n").replace("\r", "\n"), declared, True
    text, encoding = detect_and_decode(data)
    if not text.strip():
        raise UndecodableError("is empty")
    return text, encoding, is_html(path, text)
