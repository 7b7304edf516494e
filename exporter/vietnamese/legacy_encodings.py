"""Vietnamese legacy 8-bit encodings, encoding detection and mojibake repair (section 10).

Why table-driven codecs: Python has no TCVN3 or VNI codec, and old newsroom archives and
copy-pasted pages still arrive in them (``.VnTime`` / ``VNI-Times`` fonts). Shelling out to
iconv would make the pipeline depend on the host's glibc; the tables below come from the
published mappings (libiconv ``lib/tcvn.h`` for TCVN 5712, which glibc's ``TCVN5712-1`` also
implements; ``duydev/vietnamese-conversion`` ``charsets.ts`` for VNI, which the design doc
found to agree with ``lamdao/xvnkb``). The VNI table is generated from its rule (base letter +
one mark byte) and tested entry by entry against that table; the TCVN table is tested byte by
byte against glibc iconv where it is installed.

TCVN3 capitals. TCVN 5712:1993 defines VN1 (all 134 letters) and its subset VN3, the "ABC"
encoding of the ``.VnTime`` fonts. VN3 only has distinct capitals for Ă Â Ê Ô Ơ Ư Đ; a toned
capital such as ``Ấ`` is stored as the lowercase byte and shown as a capital by a companion
capital font (``.VnTimeH``). So:

* :func:`decode_tcvn3` decodes the full VN1 table (a superset of VN3, byte-for-byte what glibc
  ``TCVN5712-1`` does), then by default restores capitals lost by VN3 where the word shows they
  were capitals (``ĐấT`` -> ``ĐẤT``; ``Độ`` between all-capital words -> ``ĐỘ``);
  ``capital_font=True`` upper-cases everything (text set in a ``.VnTimeH`` font).
* :func:`encode_tcvn3` writes VN3/ABC by default (toned capitals as their lowercase byte; lossy
  for those letters unless the decoder can restore them), ``capitals="vn1"`` writes VN1 (lossless,
  same bytes as glibc) and ``capitals="strict"`` refuses toned capitals.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from exporter.errors import visible

from .letters import VI_LETTERS, VI_LOWER, VI_UPPER
from .syllables import is_vietnamese_word, to_nfc

__all__ = [
    "MOJIBAKE_PATTERNS",
    "MojibakeRepair",
    "UndecodableError",
    "decode_cp1258",
    "decode_tcvn3",
    "decode_viqr",
    "decode_vni",
    "detect_and_decode",
    "encode_cp1258",
    "encode_tcvn3",
    "encode_viqr",
    "encode_vni",
    "looks_like_mojibake",
    "mojibake_candidates",
    "mojibake_evidence",
    "normalize_newlines",
    "repair_mojibake",
    "repair_mojibake_detailed",
]

Errors = Literal["strict", "replace"]


class UndecodableError(ValueError):
    """The bytes are binary, or no supported encoding yields plausible Vietnamese text."""


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR -> LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _encode_error(encoding: str, text: str, index: int, why: str) -> UnicodeEncodeError:
    return UnicodeEncodeError(encoding, text, index, index + 1, why)


# --------------------------------------------------------------------------------------------
# TCVN 5712:1993 (VN1 table; VN3 = "ABC" = TCVN3 is its subset)
# --------------------------------------------------------------------------------------------

# Bytes 0x80-0xFF, from libiconv lib/tcvn.h (= glibc TCVN5712-1). 0xB0-0xB4 are combining tones.
_TCVN_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0
)
# VN1 also puts twelve capitals on C0 control positions.
_TCVN_C0 = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ",
    0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
}  # fmt: skip
assert len(_TCVN_HIGH) == 128

_TCVN_DECODE_TABLE = {0x80 + i: ch for i, ch in enumerate(_TCVN_HIGH)} | _TCVN_C0
_TCVN_ENCODE_VN1: dict[str, int] = {ch: b for b, ch in _TCVN_DECODE_TABLE.items()}
# VN3/ABC has distinct capitals only for these (0xA1-0xA7); other toned capitals share the
# lowercase byte.
_ABC_CAPITALS = frozenset("ĂÂÊÔƠƯĐ")
_ABC_NO_CAPITAL = frozenset(c for c in VI_LOWER if c.upper() not in _ABC_CAPITALS)
_TCVN_ENCODE_ABC: dict[str, int] = {
    ch: b for ch, b in _TCVN_ENCODE_VN1.items() if not (ch.isupper() and ch not in _ABC_CAPITALS)
}
for _cap in VI_UPPER:
    if _cap not in _ABC_CAPITALS:
        _TCVN_ENCODE_ABC[_cap] = _TCVN_ENCODE_VN1[_cap.lower()]


def encode_tcvn3(
    text: str,
    *,
    capitals: Literal["abc", "vn1", "strict"] = "abc",
    errors: Errors = "strict",
) -> bytes:
    """Encode NFC text as TCVN3 (ABC / VN3) bytes; see the module docstring for capitals.

    Only ASCII (minus the twelve C0 positions VN1 uses for letters), the 134 Vietnamese letters
    and NBSP are encodable; anything else raises ``UnicodeEncodeError`` or becomes ``?``.
    """
    table = _TCVN_ENCODE_VN1 if capitals == "vn1" else _TCVN_ENCODE_ABC
    text = to_nfc(text)
    out = bytearray()
    for i, ch in enumerate(text):
        code = ord(ch)
        if code < 0x80 and code not in _TCVN_C0:
            out.append(code)
        elif ch in table and not (
            capitals == "strict" and ch.isupper() and ch not in _ABC_CAPITALS
        ):
            out.append(table[ch])
        elif errors == "replace":
            out.append(0x3F)
        else:
            raise _encode_error("tcvn3", text, i, "character not in TCVN3")
    return bytes(out)


_LETTER_RUN = re.compile(r"[^\W\d_\u00b2\u00b3\u00b9\u00bc-\u00be]+")  # letters, not ² ³ ½


def _capital_context(word: str) -> bool:
    """An all-capital Vietnamese word (not an initialism like TP) next to an ambiguous one."""
    return len(word) >= 2 and word.isupper() and is_vietnamese_word(word, initialisms=False)


def _restore_abc_capitals(text: str) -> str:
    """Undo VN3's missing capitals where the word itself (or its neighbours) shows them.

    ``ĐấT`` (capital T after the first letter) becomes ``ĐẤT``. A word like ``Độ`` could be
    title case or ``ĐỘ``; it is upper-cased only next to an all-capital Vietnamese word.
    """
    lines = text.split("\n")
    for n, line in enumerate(lines):
        words = [[m.start(), m.group()] for m in _LETTER_RUN.finditer(line)]
        if not words:
            continue
        ambiguous: list[int] = []
        for k, (_, w) in enumerate(words):
            lowers = [c for c in w if c.islower()]
            if not lowers or not all(c in _ABC_NO_CAPITAL for c in lowers):
                continue
            if any(c.isupper() for c in w[1:]):
                words[k][1] = w.upper()
            elif len(w) >= 2 and w[0].isupper():
                ambiguous.append(k)

        changed = True
        while changed and ambiguous:
            changed = False
            for k in list(ambiguous):
                if (k > 0 and _capital_context(words[k - 1][1])) or (
                    k + 1 < len(words) and _capital_context(words[k + 1][1])
                ):
                    words[k][1] = words[k][1].upper()
                    ambiguous.remove(k)
                    changed = True
        parts: list[str] = []
        last = 0
        for start, w in words:
            parts.append(line[last:start])
            parts.append(w)
            last = start + len(w)
        parts.append(line[last:])
        lines[n] = "".join(parts)
    return "\n".join(lines)


def decode_tcvn3(data: bytes, *, capital_font: bool = False, fix_case: bool = True) -> str:
    """Decode TCVN3/ABC (any TCVN 5712 VN1/VN3 bytes) to NFC text; never fails.

    ``capital_font``: the bytes were set in a ``.VnTimeH``-style capital font, so the whole
    text is upper-cased. ``fix_case``: restore VN3's missing capitals from context.
    """
    text = to_nfc(data.decode("latin-1").translate(_TCVN_DECODE_TABLE))
    if capital_font:
        return text.upper()
    return _restore_abc_capitals(text) if fix_case else text


# --------------------------------------------------------------------------------------------
# VNI Windows: base letter byte + a mark byte
# --------------------------------------------------------------------------------------------

_VNI_TONE = {0: "", 1: "ø", 2: "û", 3: "õ", 4: "ù", 5: "ï"}  # grave hook tilde acute dot
_VNI_CIRCUMFLEX = {0: "â", 1: "à", 2: "å", 3: "ã", 4: "á", 5: "ä"}
_VNI_BREVE = {0: "ê", 1: "è", 2: "ú", 3: "ü", 4: "é", 5: "ë"}
_VNI_I = {0: "i", 1: "ì", 2: "æ", 3: "ó", 4: "í", 5: "ò"}  # i with tone: one byte
_TONE_OF_MARK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _vni_lower(letter: str) -> str:
    """VNI spelling (as Latin-1 characters) of one lowercase Vietnamese letter."""
    if letter == "đ":
        return "ñ"
    if letter == "ỵ":
        return "î"
    nfd = unicodedata.normalize("NFD", letter)
    base = nfd[0]
    tone = next((_TONE_OF_MARK[m] for m in nfd if m in _TONE_OF_MARK), 0)
    if "\u031b" in nfd:  # horn: ơ = ô, ư = ö, then a plain tone mark
        return {"o": "ô", "u": "ö"}[base] + _VNI_TONE[tone]
    if "\u0302" in nfd:
        return base + _VNI_CIRCUMFLEX[tone]
    if "\u0306" in nfd:
        return base + _VNI_BREVE[tone]
    if base == "i":
        return _VNI_I[tone]
    return base + _VNI_TONE[tone]


_VNI_ENCODE: dict[str, str] = {}
for _low in VI_LOWER:
    _VNI_ENCODE[_low] = _vni_lower(_low)
    _VNI_ENCODE[_low.upper()] = _vni_lower(_low).upper()
_VNI_DECODE: dict[str, str] = {v: k for k, v in _VNI_ENCODE.items() if not v.isascii()}
_VNI_MARKS = frozenset(
    "".join(_VNI_TONE.values()) + "".join(_VNI_CIRCUMFLEX.values()) + "".join(_VNI_BREVE.values())
) | frozenset(
    (
        "".join(_VNI_TONE.values())
        + "".join(_VNI_CIRCUMFLEX.values())
        + "".join(_VNI_BREVE.values())
    ).upper()
)
# Bytes (as Latin-1 characters) that VNI uses for letters or marks: other cp1252 characters
# are passed through by the codec.
_VNI_USED = frozenset("".join(_VNI_DECODE)) - frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
_VNI_RE = re.compile(
    "|".join(re.escape(k) for k in sorted(_VNI_DECODE, key=len, reverse=True))
    + "|["
    + "".join(sorted(_VNI_MARKS))
    + "]"
)

# Sloppy cp1252: cp1252 where defined, Latin-1 (C1 controls) for its five undefined bytes.
_CP1252_CHARS = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))
_CP1252_ENCODE: dict[str, int] = {ch: b for b, ch in enumerate(_CP1252_CHARS)}
_CP1252_ENCODE.update({chr(b): b for b in range(0x80, 0xA0)})  # Latin-1 readings of 0x80-0x9F
_CP1252_TRANSLATE = {b: ch for b, ch in enumerate(_CP1252_CHARS) if 0x80 <= b < 0xA0}


def _decode_vni_counted(data: bytes) -> tuple[str, int]:
    """VNI decode; also counts mark bytes that follow no base letter (a sign of non-VNI)."""
    unpaired = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal unpaired
        s = m.group()
        letter = _VNI_DECODE.get(s)
        if letter is None:
            unpaired += 1
            return s
        return letter

    text = _VNI_RE.sub(sub, data.decode("latin-1")).translate(_CP1252_TRANSLATE)
    return to_nfc(text), unpaired


def decode_vni(data: bytes) -> str:
    """Decode VNI Windows bytes to NFC text; never fails (non-letter bytes read as cp1252)."""
    return _decode_vni_counted(data)[0]


def encode_vni(text: str, *, errors: Errors = "strict") -> bytes:
    """Encode NFC text as VNI Windows: 134 letters, ASCII, and cp1252 symbols VNI leaves free."""
    text = to_nfc(text)
    out = bytearray()
    for i, ch in enumerate(text):
        spelled = _VNI_ENCODE.get(ch)
        if spelled is not None:
            out += spelled.encode("latin-1")
        elif ord(ch) < 0x80:
            out.append(ord(ch))
        elif ch in _CP1252_ENCODE and ch not in _VNI_USED and not 0x80 <= ord(ch) < 0xA0:
            out.append(_CP1252_ENCODE[ch])
        elif errors == "replace":
            out.append(0x3F)
        else:
            raise _encode_error("vni", text, i, "character not in VNI")
    return bytes(out)


# --------------------------------------------------------------------------------------------
# Windows-1258: Python's codec + NFC with mark-order repair
# --------------------------------------------------------------------------------------------

_CP1258_TONE_BYTES = {
    "\u0300": 0xCC,
    "\u0309": 0xD2,
    "\u0303": 0xDE,
    "\u0301": 0xEC,
    "\u0323": 0xF2,
}


def decode_cp1258(data: bytes) -> str:
    """Windows-1258 stores tones as combining bytes, so the decode needs NFC (rule 1.3)."""
    return to_nfc(data.decode("cp1258", errors="replace"))


def encode_cp1258(text: str, *, errors: Errors = "strict") -> bytes:
    """Encode as Windows-1258 the way Windows does: precomposed where cp1258 has the letter,
    else base letter + combining tone byte (``ệ`` -> ``ê`` + 0xF2)."""
    out = bytearray()
    for i, ch in enumerate(to_nfc(text)):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        tones = [m for m in nfd if m in _CP1258_TONE_BYTES]
        base = unicodedata.normalize("NFC", "".join(m for m in nfd if m not in tones))
        try:
            out += base.encode("cp1258") + bytes(_CP1258_TONE_BYTES[m] for m in tones)
        except UnicodeEncodeError:
            if errors != "replace":
                raise _encode_error("cp1258", text, i, "character not in cp1258") from None
            out.append(0x3F)
    return bytes(out)


# --------------------------------------------------------------------------------------------
# VIQR (RFC 1456): ASCII mnemonics, e.g. "Vie^.t Nam"
# --------------------------------------------------------------------------------------------

_VIQR_MODIFIER = {"\u0306": "(", "\u0302": "^", "\u031b": "+"}
_VIQR_TONE = {"\u0301": "'", "\u0300": "`", "\u0309": "?", "\u0303": "~", "\u0323": "."}
_VIQR_MARK_CHARS = "(^+'`?~."
_VIQR_RE = re.compile(r"\\(.)|(dd|DD|Dd)|([aAeEiIoOuUyY])([(^+]?)(['`?~.]?)", re.DOTALL)
_VIQR_OK_MODIFIER = {"(": "aA", "^": "aAeEoO", "+": "oOuU"}


def encode_viqr(text: str) -> str:
    """Spell NFC text in VIQR; a literal mark character after a vowel is escaped with ``\\``."""
    out: list[str] = []
    for ch in to_nfc(text):
        prev = out[-1][-1:] if out else ""
        if ch in "đĐ":
            out.append("dd" if ch == "đ" else "DD")
        elif ch in VI_LETTERS and not ch.isascii():
            nfd = unicodedata.normalize("NFD", ch)
            out.append(
                nfd[0]
                + "".join(_VIQR_MODIFIER.get(m, "") for m in nfd[1:])
                + "".join(_VIQR_TONE.get(m, "") for m in nfd[1:])
            )
        elif (ch in _VIQR_MARK_CHARS and prev and (prev in "aAeEiIoOuUyY" or prev in "(^+")) or (
            ch in "dD" and prev in ("d", "D")
        ):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def decode_viqr(text: str) -> str:
    """Decode VIQR literally (RFC 1456): every mnemonic after a vowel composes unless escaped
    with ``\\``; so an unescaped sentence-final ``.`` or ``?`` after a vowel becomes a tone."""

    def sub(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1)
        if m.group(2):
            return "Đ" if m.group(2)[0] == "D" else "đ"
        vowel, modifier, tone = m.group(3), m.group(4), m.group(5)
        marks = ""
        if modifier:
            if vowel not in _VIQR_OK_MODIFIER[modifier]:
                return m.group(0)
            marks += {"(": "\u0306", "^": "\u0302", "+": "\u031b"}[modifier]
        if tone:
            marks += {v: k for k, v in _VIQR_TONE.items()}[tone]
        return vowel + marks

    return to_nfc(_VIQR_RE.sub(sub, text))


# --------------------------------------------------------------------------------------------
# Mojibake: legacy bytes shown through a cp1252/Latin-1 font, or UTF-8 read as cp1252
# --------------------------------------------------------------------------------------------

# Design doc 10.2, tested there against clean Vietnamese text (no false positives).
MOJIBAKE_PATTERNS: dict[str, re.Pattern[str]] = {
    "tcvn3": re.compile(r"[a-zA-Z]\u00ad|[¸µ¶¹¨¬®Ö×ØÜÞß]|(?<=[a-z])[ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ](?=[a-z])"),
    "vni": re.compile(r"[öÖøØïÏäÄëËåÅüÜñÑæÆîÎûÛ]|(?i:[aeo]â|aê)"),
    "utf8": re.compile(r"Ã[\x80-\xBF]|á[º»]|Æ[°¡]|Ä[‘ƒ]"),
}
# Evidence strong enough to call a token mojibake even when no re-decoding works: characters
# or sequences that do not occur in clean text of any language we expect (foreign letters like
# ü, ø, ß alone are not enough, nor is a soft hyphen: "Festi\u00adval" is a soft hyphen).
_HARD_EVIDENCE: dict[str, re.Pattern[str]] = {
    "utf8": MOJIBAKE_PATTERNS["utf8"],
    "tcvn3": re.compile(
        r"[A-Za-z][¸¶¹¨¬µ]|[¸¶¹¨¬®][A-Za-z]"
        r"|(?<=[a-z])[ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝÖ×Ø](?=[a-z])"
    ),
    "vni": re.compile(r"(?i:[aeo]â|aê)"),
}
# Junk inside a token: soft hyphen, C1 controls, Latin-1 symbols glued to a letter.
_GLUED_SYMBOL = "[\u00a1-\u00af\u00b4-\u00bf\u00d7\u00f7]"  # not ° ± ² ³ (25°C, m²)
_JUNK_IN_TOKEN = re.compile(rf"[\u00ad\x80-\x9f]|[^\W\d_]{_GLUED_SYMBOL}|{_GLUED_SYMBOL}[^\W\d_]")
_JUNK_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\ufffd\ue000-\uf8ff\u0300-\u036f\u00d0\u00f0]"
)
_ASCII_WS_TOKEN = re.compile(r"[^ \t\n\r\f\v]+")


def _cp1252_bytes(text: str) -> bytes | None:
    """The bytes a cp1252/Latin-1 display would have shown as ``text``; None if impossible."""
    try:
        return bytes(_CP1252_ENCODE[ch] for ch in text)
    except KeyError:
        return None


@lru_cache(maxsize=1 << 16)  # words repeat: parse each once
def _token_is_clean(token: str) -> bool:
    """No mojibake signature, no symbol glued to a letter, every non-ASCII word a syllable."""
    if any(p.search(token) for p in MOJIBAKE_PATTERNS.values()) or _JUNK_IN_TOKEN.search(token):
        return False
    return all(w.isascii() or is_vietnamese_word(w) for w in _LETTER_RUN.findall(token))


def _is_clean_vietnamese(text: str) -> bool:
    """What a re-decoding must give: no junk characters and only clean tokens, so that the
    repaired text is never flagged again (this keeps the repair idempotent)."""
    if _JUNK_CHARS.search(text):
        return False
    return all(_token_is_clean(t) for t in _ASCII_WS_TOKEN.findall(text) if not t.isascii())


# Punctuation around a token ("(â)", "×,"): not part of what is judged.
_EDGES = "\"'()[]{}<>.,;:!?…“”‘’–—-/*"


@lru_cache(maxsize=1 << 16)  # words repeat: parse each once
def looks_like_mojibake(token: str) -> bool:
    """Cheap flag for a whitespace-delimited token that may be mojibake (worth re-decoding).

    Only tokens a cp1252/Latin-1 display could have produced qualify: a token with ``ế`` in it
    is Unicode text, so its soft hyphen is a soft hyphen, not TCVN3's ``ư``. A lone character
    (the letter ``â`` in "chữ â", the close button ``×``, ``©``) is never evidence of anything.
    """
    if token.isascii() or _cp1252_bytes(token) is None:
        return False
    if len(token.strip(_EDGES)) <= 1:
        return False
    return not _token_is_clean(token)


def mojibake_evidence(token: str) -> str | None:
    """Encoding whose unmistakable mojibake signature ``token`` carries, if any."""
    for enc, pattern in _HARD_EVIDENCE.items():
        if pattern.search(token):
            return enc
    return None


def _fix_encoding(text: str) -> str:
    import ftfy  # loaded only when a token looks like UTF-8 mojibake: keeps start-up quick

    return ftfy.fix_encoding(text)


def _redecode(text: str, encoding: str) -> str | None:
    """``text`` re-decoded as ``encoding`` mojibake, if that gives clean Vietnamese."""
    if encoding == "utf8":
        # Exact when every byte survived the cp1252 display; ftfy also copes with lost bytes
        # (an NBSP turned into a space, ...).
        raw = _cp1252_bytes(text)
        try:
            fixed = raw.decode("utf-8") if raw is not None else _fix_encoding(text)
        except UnicodeDecodeError:
            fixed = _fix_encoding(text)
    else:
        raw = _cp1252_bytes(text)
        if raw is None:
            return None
        if encoding == "tcvn3":
            fixed = decode_tcvn3(raw)
        else:
            fixed, unpaired = _decode_vni_counted(raw)
            if unpaired:
                return None
    fixed = to_nfc(fixed)
    if fixed == text or not _is_clean_vietnamese(fixed):
        return None
    return fixed


def mojibake_candidates(text: str) -> dict[str, str]:
    """Each encoding ("tcvn3", "vni", "utf8") under which ``text`` is mojibake of clean
    Vietnamese, with that Vietnamese. More than one entry means the text is ambiguous."""
    result: dict[str, str] = {}
    for encoding in ("tcvn3", "vni", "utf8"):
        fixed = _redecode(text, encoding)
        if fixed is not None:
            result[encoding] = fixed
    return result


_ENCODING_LABEL = {"tcvn3": "TCVN3", "vni": "VNI", "utf8": "UTF-8 (read as cp1252)"}


@dataclass(frozen=True)
class MojibakeRepair:
    """One repaired run: ``text[start:end]`` of the input was ``original``."""

    start: int
    end: int
    encoding: str  # "tcvn3", "vni" or "utf8"
    original: str
    repaired: str
    # Valid-looking neighbours in the same stretch that this encoding would also change, left
    # alone because they may be clean text: (offset in the input, token, reading).
    suspects: tuple[tuple[int, str, str], ...] = ()

    @property
    def message(self) -> str:
        return (
            f'repaired {_ENCODING_LABEL[self.encoding]} mojibake "{visible(self.original)}"'
            f' -> "{visible(self.repaired)}"'
        )


_WS = " \t\n\r\f\v"


def _trimmed(
    start: int, original: str, fixed: str, encoding: str, suspects: tuple = ()
) -> MojibakeRepair:
    """Drop the unchanged whole tokens at both ends, so the repair covers what changed."""
    limit = min(len(original), len(fixed))
    lead = 0
    while lead < limit and original[lead] == fixed[lead]:
        lead += 1
    lead = max((original.rfind(c, 0, lead) for c in _WS), default=-1) + 1
    trail = 0
    while trail < limit - lead and original[-1 - trail] == fixed[-1 - trail]:
        trail += 1
    cut = len(original) - trail
    ends = [i for i in (original.find(c, cut) for c in _WS) if i >= 0]
    trail = len(original) - min(ends) if ends else 0
    return MojibakeRepair(
        start + lead,
        start + len(original) - trail,
        encoding,
        original[lead : len(original) - trail],
        fixed[lead : len(fixed) - trail],
        suspects,
    )


def _repair_stretch(
    text: str, stretch: list[tuple[int, int]], evidence: dict[str, int]
) -> list[MojibakeRepair]:
    """Repair one stretch; see :func:`repair_mojibake_detailed` for the rules. Adds to
    ``evidence`` the number of flagged words each encoding explains."""
    tokens = [text[a:b] for a, b in stretch]
    flagged = [looks_like_mojibake(t) for t in tokens]
    if not any(flagged):
        return []
    # Runs: consecutive flagged tokens; ASCII tokens are neutral, clean-looking words end a run.
    runs: list[list[int]] = []
    current: list[int] = []
    for k, token in enumerate(tokens):
        if flagged[k]:
            current.append(k)
        elif not token.isascii() and current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)

    def span(first: int, last: int) -> str:
        return text[stretch[first][0] : stretch[last][1]]

    found = [mojibake_candidates(span(run[0], run[-1])) for run in runs]
    sure = {next(iter(c)) for c in found if len(c) == 1}
    context = next(iter(sure)) if len(sure) == 1 else None

    def choose(candidates: dict[str, str]) -> tuple[str, str] | None:
        if len(candidates) == 1:
            return next(iter(candidates.items()))
        if context in candidates:  # ambiguous alone, settled by the sure runs around it
            return context, candidates[context]
        return None

    fixes: list[tuple[int, int, str, str]] = []  # first token, last token, encoding, new text
    for run, candidates in zip(runs, found, strict=True):
        pick = choose(candidates)
        if pick is not None:
            fixes.append((run[0], run[-1], *pick))
        elif not candidates and len(run) > 1:  # one bad token must not block the others
            for k in run:
                pick = choose(mojibake_candidates(tokens[k]))
                if pick is not None:
                    fixes.append((k, k, *pick))
    # Evidence: flagged words each encoding explains. Fewer than the text's minimum and the
    # stretch is left as it is (check_repertoire reports it).
    for encoding in {f[2] for f in fixes}:
        spans = [(a, b) for a, b, enc, _ in fixes if enc == encoding]
        words = sum(flagged[k] for a, b in spans for k in range(a, b + 1))
        evidence[encoding] = evidence.get(encoding, 0) + words
    if not fixes:
        return []
    # Clean-looking words the same encoding would also change ("phè" = "phố" in TCVN3): taken
    # along when mojibake dominates the stretch, otherwise only reported.
    suspects: list[tuple[int, str, str]] = []
    encodings = {f[2] for f in fixes}
    if len(encodings) == 1:
        encoding = next(iter(encodings))
        done = {k for f in fixes for k in range(f[0], f[1] + 1)}
        non_ascii = [k for k, t in enumerate(tokens) if not t.isascii()]
        dominant = 2 * sum(flagged) > len(non_ascii)
        for k in non_ascii:
            if k in done or flagged[k]:
                continue
            reading = _redecode(tokens[k], encoding)
            if reading is None:
                continue
            if dominant:
                fixes.append((k, k, encoding, reading))
            else:
                suspects.append((stretch[k][0], tokens[k], reading))
    fixes.sort()
    merged: list[tuple[int, int, str, str]] = []
    for fix in fixes:
        if merged and merged[-1][2] == fix[2]:
            prev = merged[-1]
            if all(tokens[k].isascii() for k in range(prev[1] + 1, fix[0])):
                between = text[stretch[prev[1]][1] : stretch[fix[0]][0]]
                merged[-1] = (prev[0], fix[1], fix[2], prev[3] + between + fix[3])
                continue
        merged.append(fix)
    repairs = [
        _trimmed(stretch[a][0], span(a, b), fixed, encoding) for a, b, encoding, fixed in merged
    ]
    if suspects:
        repairs[0] = dataclasses.replace(repairs[0], suspects=tuple(suspects))
    return repairs


# A repair needs this many mangled words that one encoding explains: a single odd word may
# be a name, a symbol or a letter, and correct text must never change.
MIN_EVIDENCE = 2


def repair_mojibake_detailed(text: str, context: int = 0) -> tuple[str, list[MojibakeRepair]]:
    """One pass of mojibake repair; returns the text and the repairs (offsets in the input).

    Tokens are split on ASCII whitespace (NBSP is part of UTF-8 mojibake such as ``Ã\\xa0``).
    A stretch is a maximal sequence of tokens a cp1252/Latin-1 display could have produced. In
    it, a run is a sequence of tokens the detector flags (ASCII words in between are neutral; a
    clean-looking non-ASCII word ends the run). A run is repaired when exactly one of TCVN3, VNI
    and UTF-8 re-decodes it into clean Vietnamese (every non-ASCII word a valid syllable), or,
    when several do, with the one encoding that the unambiguous runs of the same stretch use.
    Clean-looking words of the stretch that this encoding would also change are repaired when
    flagged tokens are the majority of the stretch's non-ASCII tokens, otherwise only listed as
    ``suspects``. Evidence: an encoding repairs nothing unless it explains at least
    ``MIN_EVIDENCE`` flagged words, counting ``context`` (flagged words the caller saw elsewhere
    in the same input). A repair can regroup the runs next to it, so callers wanting a fixpoint
    repeat the call (:func:`repair_mojibake` and ``normalize_text`` do).
    """
    if text.isascii():
        return text, []
    stretches: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for m in _ASCII_WS_TOKEN.finditer(text):
        if _cp1252_bytes(m.group()) is None:
            if current:
                stretches.append(current)
            current = []
        else:
            current.append((m.start(), m.end()))
    if current:
        stretches.append(current)
    repairs: list[MojibakeRepair] = []
    evidence: dict[str, int] = {}
    for stretch in stretches:
        repairs.extend(_repair_stretch(text, stretch, evidence))
    repairs = [r for r in repairs if evidence[r.encoding] + context >= MIN_EVIDENCE]
    if not repairs:
        return text, []
    parts: list[str] = []
    last = 0
    for r in repairs:
        parts.append(text[last : r.start])
        parts.append(r.repaired)
        last = r.end
    parts.append(text[last:])
    return "".join(parts), repairs


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Repair unambiguous TCVN3/VNI/UTF-8 mojibake; returns text and human messages.

    Example message: ``repaired TCVN3 mojibake "Hµ Néi" -> "Hà Nội"`` (unchanged words at
    the ends of a run, such as ASCII ``Nam``, are not quoted). Runs that no encoding turns into
    clean Vietnamese, or several do and no unambiguous run nearby settles which, are left as
    they are. Repeats :func:`repair_mojibake_detailed` to a fixpoint.
    """
    messages: list[str] = []
    seen = 0  # mangled words repaired by earlier passes: evidence for the next
    for _ in range(8):  # to a fixpoint, as normalize_text does
        text, repairs = repair_mojibake_detailed(text, context=seen)
        if not repairs:
            break
        messages += [r.message for r in repairs]
        seen += sum(len(r.original.split()) for r in repairs)
    return text, messages


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------

_MIN_SCORE = 0.6
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_SCORE_JUNK = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\ufffd]|[\u0300-\u036f]"
    rf"|[^\W\d_]{_GLUED_SYMBOL}|{_GLUED_SYMBOL}[^\W\d_]"
)


def _sniff_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: many NULs in one byte position of each pair and almost none in the
    other (ASCII and Latin-1 letters have a zero high byte; U+1Exx letters do not)."""
    if len(data) < 4 or len(data) % 2:
        return None
    pairs = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= 0.3 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.3 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _finish(text: str, encoding: str) -> tuple[str, str]:
    """Newlines to LF, refuse binary, NFC."""
    text = normalize_newlines(text)
    controls = len(_CONTROL_RE.findall(text))
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise UndecodableError(
            f"binary data: decoded as {encoding} it contains {controls} control characters"
        )
    return to_nfc(text), encoding


def _vietnamese_score(text: str, unpaired: int = 0) -> tuple[float, int]:
    """Share of non-ASCII words that are valid Vietnamese syllables, junk counted against."""
    good = bad = 0
    for w in _LETTER_RUN.findall(text):
        if w.isascii():
            continue
        if is_vietnamese_word(w, ignore_case=True):
            good += 1
        else:
            bad += 1
    junk = len(_SCORE_JUNK.findall(text)) + unpaired
    total = good + bad + junk
    return (good / total if total else 0.0), good


def detect_and_decode(data: bytes) -> tuple[str, str]:
    """Decode a text file of unknown encoding to NFC text with LF newlines.

    Returns (text, encoding) with encoding one of: ``ascii``, ``utf-8``, ``utf-8-sig``,
    ``utf-16-le``, ``utf-16-be`` (BOM or BOM-less), ``utf-32-le``, ``utf-32-be`` (BOM only),
    ``windows-1258``, ``tcvn3``, ``vni``, or ``utf-8-lossy`` (UTF-8 with a few invalid bytes,
    replaced by U+FFFD, when that reads better than any legacy encoding). Order: BOMs, BOM-less
    UTF-16, NUL check, ASCII, strict UTF-8, then the candidates are scored by how Vietnamese the
    decoded words look. Raises :class:`UndecodableError` for binary data or when no candidate
    reaches a 60 % score.
    """
    if not data:
        return "", "ascii"
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise UndecodableError(
                    f"starts with a {name} byte-order mark but is not valid {codec}: "
                    f"{exc.reason} at byte {exc.start + len(bom)}"
                ) from None
            return _finish(text, name)
    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        try:
            return _finish(data.decode(utf16), utf16)
        except UnicodeDecodeError as exc:
            raise UndecodableError(
                f"looks like BOM-less {utf16} (NUL byte pattern) but does not decode: "
                f"{exc.reason} at byte {exc.start}"
            ) from None
    if b"\x00" in data:
        raise UndecodableError(
            f"binary data: {data.count(0)} NUL bytes and no UTF-16/UTF-32 byte pattern"
        )
    if data.isascii():
        return _finish(data.decode("ascii"), "ascii")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    scored: list[tuple[float, int, int, str, str]] = []
    for rank, name in enumerate(("tcvn3", "vni", "windows-1258", "utf-8-lossy")):
        unpaired = 0
        if name == "tcvn3":
            text = decode_tcvn3(data)
        elif name == "vni":
            text, unpaired = _decode_vni_counted(data)
        elif name == "windows-1258":
            text = decode_cp1258(data)
        else:
            text = to_nfc(data.decode("utf-8", errors="replace"))
        text = normalize_newlines(text)
        score, good = _vietnamese_score(text, unpaired)
        scored.append((score, good, -rank, name, text))
    score, good, _, name, text = max(scored)
    if score < _MIN_SCORE or good == 0:
        summary = ", ".join(f"{n} {s:.0%}" for s, _, _, n, _ in scored)
        raise UndecodableError(
            "cannot identify the encoding: not UTF-8, and no Vietnamese legacy encoding gives "
            f"plausible Vietnamese (share of valid Vietnamese words: {summary})"
        )
    return _finish(text, name)


# Sanity: the VNI table covers exactly the 134 letters plus nothing else non-ASCII.
assert set(_VNI_ENCODE) == set(VI_LOWER + VI_UPPER) and len(VI_LETTERS) == 186
