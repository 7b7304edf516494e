"""Shapes of single lines: names, attributions, list items, picture files, credits, sentences.

Each function answers one question about one line and knows nothing of its neighbours; the
layout reader (``text_input``) decides with them, by position, what the line is.
"""

from __future__ import annotations

import re

from exporter.vietnamese.orthography import is_vietnamese_word

_SENTENCE_END = re.compile(r"[.!?…:;](?:[\"'”’»)\]]*)$")
_SOFT_END = re.compile(r"[.…:;,](?:[\"'”’»)\]]*)$")


def words(text: str) -> int:
    return len(text.split())


def ends_sentence(text: str) -> bool:
    """Ends with . ! ? … : ; (closing quotes or brackets may follow)."""
    return bool(_SENTENCE_END.search(text.strip()))


def is_paragraph(text: str) -> bool:
    """Running text: a sentence ending (? and ! only in long lines, since headlines use them)
    or simply long."""
    text = text.strip()
    if _SOFT_END.search(text):
        return words(text) >= 4 or text.endswith((".", "…"))
    return words(text) >= 30 or (ends_sentence(text) and words(text) >= 20)


def is_title_like(text: str) -> bool:
    """A headline: 3 to 40 words, no final period, colon or comma."""
    text = text.strip()
    return 3 <= words(text) <= 40 and not _SOFT_END.search(text) and any(c.isalpha() for c in text)


_SPEAKER = re.compile(r"^(?:PV|P\.V|Phóng viên|Hỏi|Đáp)\s*:", re.IGNORECASE)


def is_heading_like(text: str) -> bool:
    """A sub-heading: at most 14 words and 100 characters, no final . , ; : …, and not an
    interview's question (``PV: …?``)."""
    text = text.strip()
    return (
        not _SPEAKER.match(text)
        and 1 <= words(text) <= 14
        and len(text) <= 100
        and not _SOFT_END.search(text)
        and (text[0].isupper() or text[0].isdigit() or text[0] in "\"“'‘(")
    )


# ------------------------------------------------------------------------------------ names

_GROUP = re.compile(r"^(Nhóm\s+)?(PV|CTV|phóng viên|Phóng viên|PV\s+\w+)$")
_NAME_SPLIT = re.compile(r"\s+[-–—&]\s+|\s*,\s*|\s+và\s+|\s*/\s*")
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:bài|tin)(?:\s*(?:,|và)\s*ảnh)?|tác giả|nhóm tác giả|phóng viên|thực hiện|ghi chép)"
    r"\s*:\s*",
    re.IGNORECASE,
)


def _is_name_word(word: str) -> bool:
    return (
        word[:1].isupper()
        and word.isalpha()
        and (word[1:].islower() or word.isupper() or len(word) == 1)
        and is_vietnamese_word(word, ignore_case=True)
    )


def _one_name(text: str) -> str | None:
    text = text.strip()
    if _GROUP.match(text):
        return text
    parts = text.split()
    if not 2 <= len(parts) <= 5 or not all(_is_name_word(p) for p in parts):
        return None
    if all(p.isupper() for p in parts) != any(p.isupper() and len(p) > 1 for p in parts):
        return None  # mixed capitals: "Hà NỘI"
    return text.title() if text.isupper() else text


def names(line: str) -> list[str] | None:
    """``Lê Hà - Minh Khoa``, ``Nhóm PV``, ``Bài và ảnh: Phan Thanh Tùng``, ``TRẦN HUỲNH``:
    the author names (capitals title-cased), or None if the line is anything else."""
    text = _BYLINE_PREFIX.sub("", line.strip()).strip(" .|")
    if not text or len(text) > 80:
        return None
    parts = [part for part in _NAME_SPLIT.split(text) if part.strip()]
    people = [part for part in parts if not _outlet(part)]  # "Công Bính/VOV-Miền Trung"
    found = [_one_name(part) for part in people]
    if not found or len(found) > 4 or any(n is None for n in found):
        return None
    return [n for n in found if n]


_OUTLET = re.compile(r"^[A-ZĐ][A-ZĐ0-9.+]{1,11}(?:\s*[-–]\s*[\w ]{1,20})?$")


def _outlet(part: str) -> bool:
    """A newsroom's code beside a byline (``SGGP``, ``TTXVN``, ``VOV-Miền Trung``)."""
    part = part.strip()
    code = re.split(r"\s*[-–]\s*", part)[0]
    return bool(_OUTLET.match(part)) and not is_vietnamese_word(
        code, ignore_case=True, initialisms=False
    )


# ------------------------------------------------------------------------------ attribution

_ATTRIBUTION = re.compile(
    r"^\(?\s*((?:Theo|Nguồn|Nguồn tin|Theo báo)\s*:?\s+[^,;()]{2,60}?)\s*\)?\s*\.?$"
)
_NOT_SOURCE = re.compile(
    r"^Theo\s+(đó|ông|bà|anh|chị|em|tôi|họ|kế hoạch|quy định|dự kiến|thống kê|lịch|dõi)\b",
    re.IGNORECASE,
)
# "(TTXVN/Vietnam+)", "(VOV)": a news agency's tag alone on the article's last line.
_AGENCY = re.compile(r"^\(\s*[A-ZĐ][A-ZĐ0-9.+]{1,11}(?:\s*/\s*[\w.+ -]{2,30})?\s*\)$")


def attribution(line: str) -> str | None:
    """``Theo TTXVN``, ``(Theo VnExpress)``, ``Nguồn: Báo Quảng Nam``, without brackets;
    an agency's tag alone (``(TTXVN/Vietnam+)``) as written."""
    text = line.strip()
    if _AGENCY.match(text):
        return text
    m = _ATTRIBUTION.match(text)
    if not m or words(m.group(1)) > 10 or _NOT_SOURCE.match(m.group(1)):
        return None
    return m.group(1).strip()


_SOURCED = (
    re.compile(r"^\(?\s*Theo\s+(?P<who>[^()]{3,60}?)\s*\(\s*(?P<paper>[^()]{2,60})\s*\)\s*\)?\.?$"),
    re.compile(r"^(?P<who>[^()]{3,60}?)\s*\(\s*Theo\s+(?P<paper>[^()]{2,60})\s*\)\.?$"),
)


def sourced_byline(line: str) -> tuple[list[str], str] | None:
    """``Theo TRẦN THÁI (Báo Bình Định)``, ``Hoài Nam (Theo Báo Hà Tĩnh)``: a republished
    piece's writer and paper, as (authors, ``Theo <paper>``)."""
    text = line.strip()
    for pattern in _SOURCED:
        m = pattern.match(text)
        if m:
            people = names(m.group("who"))
            if people:
                return people, f"Theo {m.group('paper').strip()}"
    return None


# ------------------------------------------------------------------------------- list items

_BULLET = re.compile(r"^([-–•+*●▪◦·])\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")


def list_item(line: str) -> tuple[int | None, str] | None:
    """(number or None, text) for ``- x``, ``• x``, ``+ x``, ``* x``, ``1. x``, ``2) x``."""
    text = line.strip()
    m = _NUMBERED.match(text)
    if m:
        return int(m.group(1)), m.group(2).strip()
    m = _BULLET.match(text)
    if m:
        return None, m.group(2).strip()
    return None


# ---------------------------------------------------------------------------------- figures

_IMAGE = re.compile(
    r"^(?:!\[[^\]]*\]\()?(?:\S*/)?([\w\-.()]+\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?))\)?$",
    re.IGNORECASE,
)


def image_name(line: str) -> str | None:
    """``kkbb.jpg`` (also a path or URL ending in one): the file name, or None."""
    m = _IMAGE.match(line.strip())
    return m.group(1) if m else None


# Any case: TCVN3 (ABC) has no capital "Ả", so a legacy copy reads "ảnh: TTXVN".
_CREDIT_WORD = r"(?i:ảnh(?:\s+(?:minh\s+họa|minh\s+hoạ|tư\s+liệu|chụp\s+màn\s+hình))?|nguồn\s+ảnh)"
# A credit's name: initials keep their dots ("T.CƯỜNG", "M.P"), a sentence's full stop ends it.
_WHO = r"(?:[^.()\n]|\.(?=\S))"
_CREDIT_TAIL = re.compile(
    rf"(?:\s*\((?P<a>{_CREDIT_WORD}(?:\s*:\s*[^()]{{1,60}})?)\)"
    rf"|(?:(?<=[.!?…])|\s+[-–—])\s*(?P<b>{_CREDIT_WORD}(?:\s*:\s*{_WHO}{{1,60}})?)"
    rf"|\s+(?P<c>{_CREDIT_WORD}\s*:\s*{_WHO}{{1,60}}))\s*\.?$"
)
_CREDIT_ONLY = re.compile(rf"^\(?\s*({_CREDIT_WORD}(?:\s*:\s*{_WHO}{{1,60}})?)\s*\)?\.?$")


def _credit(text: str) -> str:
    """``ẢNH: X`` / ``ảnh: X`` -> ``Ảnh: X``; the name after the colon is kept as written."""
    word, _, who = text.partition(":")
    word = " ".join(word.split()).lower()
    word = word[:1].upper() + word[1:]
    return f"{word}: {who.strip()}" if who.strip() else word


def split_credit(caption: str) -> tuple[str | None, str | None]:
    """``Quang cảnh. (Ảnh: PV)`` / ``… - Ảnh: NHƯ HÙNG`` -> (caption, ``Ảnh: …``)."""
    text = caption.strip()
    only = credit_only(text)
    if only:
        return None, only
    m = _CREDIT_TAIL.search(text)
    if not m:
        return text, None
    rest = text[: m.start()].rstrip(" -–—")
    return (rest or None), _credit(m.group("a") or m.group("b") or m.group("c"))


def credit_only(line: str) -> str | None:
    """A line that is just a photo credit (``Ảnh: TTXVN``, ``(Ảnh minh họa)``)."""
    m = _CREDIT_ONLY.match(line.strip())
    return _credit(m.group(1)) if m else None


# ------------------------------------------------------------------------------------ tags

_TAG_LABEL = re.compile(r"^(?:tags?|từ khóa|từ khoá|keywords?)\s*(?::\s*|$)", re.IGNORECASE)


def tag_list(line: str) -> list[str] | None:
    """``Từ khóa: a, b``, ``Tags: a; b``, ``#a #b c``: the page's keywords; ``[]`` for a label
    alone (``Tag:``), whose keywords follow one per line; None for any other line."""
    text = line.strip()
    if text.startswith("#") and len(text) > 1 and not text[1].isspace():
        return [t.strip() for t in text.split("#") if t.strip()]
    m = _TAG_LABEL.match(text)
    if not m:
        return None
    rest = text[m.end() :]
    return [t.strip() for t in re.split(r"\s*[,;|]\s*", rest) if t.strip()]


# ------------------------------------------------------------------------------ lead prefix

_LEAD_PREFIX = re.compile(
    r"^(\([^()\s][^()]{0,20}\)|[A-ZĐ][A-ZĐ0-9.+]{1,15}(?:\.vn|\.VN)?)\s*[-–—]+\s+"
)


def split_lead_prefix(lead: str) -> tuple[str | None, str]:
    """``TTO - ``, ``(Dân trí) - ``, ``VOV.VN - ``: the site's tag before a lead, as a code
    (``TTO``, ``Dân trí``, ``VOV.VN``), and the lead without it."""
    m = _LEAD_PREFIX.match(lead)
    if not m or not lead[m.end() :].strip():
        return None, lead
    return m.group(1).strip("() "), lead[m.end() :]
