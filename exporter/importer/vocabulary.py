"""Site boilerplate, by name: the words Vietnamese news CMSs put around an article.

Every rule matches a WHOLE line (after case folding and one tone style), never a word inside
a sentence, so a paragraph that begins "Chia sẻ với phóng viên, ..." is never taken for a share
button. Each rule has the reason that goes into the import report.
"""

from __future__ import annotations

import re
from typing import Literal

from exporter.vietnamese.orthography import apply_tone_style, to_nfc

_EDGE = " \t|•·–—-:>»›*#"


def key(text: str) -> str:
    """Comparable form of a line: NFC, case-folded, old tone style, single spaces, no edges."""
    text = apply_tone_style(to_nfc(text), "old").casefold()
    return " ".join(text.split()).strip(_EDGE)


def squash(text: str) -> str:
    """Whitespace-insensitive form for comparing texts (repeated title, metrics)."""
    return "".join(to_nfc(text).split()).casefold()


SECTIONS = frozenset(
    key(s)
    for s in (
        "Thời sự", "Chính trị", "Xã hội", "Kinh tế", "Kinh doanh", "Tài chính", "Văn hóa",
        "Thể thao", "Giáo dục", "Sức khỏe", "Y tế", "Pháp luật", "An ninh", "Quốc phòng",
        "Thế giới", "Quốc tế", "Trong nước", "Giải trí", "Du lịch", "Khoa học", "Công nghệ",
        "Số hóa", "Đời sống", "Bất động sản", "Xe", "Nông nghiệp", "Môi trường", "Bạn đọc",
        "Ý kiến", "Góc nhìn", "Giao thông", "Địa phương", "Tin tức", "Sự kiện", "Chuyển động",
        "Lao động", "Việc làm", "Văn hóa - Xã hội", "Chính trị - Xã hội", "Kinh tế - Xã hội",
        "An ninh - Trật tự", "Nhịp sống", "Gia đình", "Thư giãn", "Xã hội - Pháp luật",
        "Video", "Podcast", "Multimedia", "Ảnh", "Infographic", "Emagazine", "Tin ảnh",
        "Văn nghệ", "Nghệ thuật", "Ẩm thực", "Biển đảo", "Đô thị", "Nhà đất", "Thị trường",
    )
)  # fmt: skip
HOME = frozenset({"trang chủ", "home", "trang chu"})
_SITE_LINKS = sorted(
    SECTIONS | HOME | {key(s) for s in ("English", "E-paper", "RSS", "Liên hệ")},
    key=len,
    reverse=True,
)


def is_section_name(line: str) -> bool:
    return key(line) in SECTIONS


def _phrases(*items: str) -> list[str]:
    return sorted((key(i) for i in items), key=len, reverse=True)


_SHARE = _phrases(
    "Chia sẻ", "Copy Link", "Copy link bài viết", "Sao chép liên kết", "Sao chép link",
    "Facebook", "Zalo", "Twitter", "Linkedin", "Messenger", "Email", "Gửi email", "Gửi bài viết",
    "In", "In bài", "In bài viết", "In trang", "Lưu", "Lưu bài", "Lưu bài viết", "Like", "Thích",
    "Share", "Tweet", "Gửi cho bạn bè", "Google News", "Theo dõi", "Báo lỗi",
)  # fmt: skip
_PHRASE_SEP = re.compile(r"^[\s|/•·,()\d]*")


def _phrase_count(text: str, phrases: list[str]) -> int:
    """How many phrases ``text`` (a key) is made of, with separators and counts between;
    0 if anything else is in it."""
    rest, count = text, 0
    while True:
        rest = _PHRASE_SEP.sub("", rest)
        if not rest:
            return count
        for phrase in phrases:
            if rest.startswith(phrase) and (
                len(rest) == len(phrase) or not rest[len(phrase)].isalnum()
            ):
                rest = rest[len(phrase) :]
                count += 1
                break
        else:
            return 0


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_LOGIN = "(đăng nhập|đăng ký|đăng xuất|tìm kiếm|search)"
_NAVIGATION = (
    "(quay lại|trở lại|trở về|về trang chủ|lên đầu trang|trang sau|trang trước)"
    "( chuyên mục .{1,30}| trang chủ| đầu trang)?"
)
# (reason, pattern on the key, may it drop a line inside the article body?). Patterns are
# anchored on whole lines or on wording no sentence of an article starts with.
_RULES: list[tuple[str, re.Pattern[str], bool]] = [
    ("comment counter", _rx(r"^\(?\d+\)?\s*(bình luận|ý kiến|comments?)$"), True),
    ("comment counter", _rx(r"^(bình luận|ý kiến|comments?)\s*\(?\d*\)?$"), True),
    ("comment counter", _rx(r"^(gửi|viết) (bình luận|ý kiến)( của bạn)?$|^ý kiến bạn đọc$"), True),
    ("view counter", _rx(r"^(lượt xem|lượt đọc|số lượt xem)\s*:?\s*[\d.,]+$"), True),
    ("view counter", _rx(r"^[\d.,]+\s*lượt (xem|đọc)$"), True),
    ("audio player", _rx(r"^(nghe|nghe đọc|nghe bài|nghe đọc bài|đọc bài)( viết| này)?$"), True),
    ("audio player", _rx(r"^(giọng (nam|nữ)( miền (bắc|trung|nam))?|tốc độ( đọc)?.{0,12})$"), True),
    ("audio player", _rx(r"^(tốc độ\s*)?[0-9.,]+\s*x$"), True),
    ("video player", _rx(r"^(xem|phát|play) video$|^video\s*:\s*\S.{0,150}$"), True),
    ("close button", _rx(r"^[×✕✖]$"), True),
    ("share button", _rx(r"^(đã )?(copy|sao chép) (link|liên kết).{0,10} thành công"), True),
    ("audio player", _rx(r"^\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2}$"), True),
    ("text-size control", _rx(r"^(cỡ chữ|a-?\s*a\+?|a\+|a-|aa)$"), True),
    ("text-size control", _rx(r"^cỡ chữ\s*:|^a-\s*a\s*a\+"), True),  # "A- A A+ | In bài"
    ("tags", _rx(r"^(tags?|từ khóa|keywords?)\s*(:|$)"), True),
    ("tags", _rx(r"^chủ đề\s*(:|$)"), False),
    ("CMS credit", _rx(r"^powered by\b|\ba product of\b"), True),
    ("CMS credit", _rx(r"^(thiết kế|phát triển|designed|developed) (bởi|by)\s*:?\s*\S+$"), True),
    ("copyright notice", _rx(r"^(©|\(c\)|copyright\b)|^bản quyền (thuộc|©|\(c\)|\d{4})"), True),
    ("copyright notice", _rx(r"^bản quyền$|khi phát hành lại thông tin từ"), True),
    ("advertising", _rx(r"^liên hệ quảng cáo\b|^(quảng cáo|advertisement)$"), True),
    ("advertising", _rx(r"^nội dung tài trợ$"), True),
    ("site footer", _rx(r"^(giấy phép|cơ quan chủ quản|tổng biên tập|phó tổng biên tập)\b"), False),
    ("site footer", _rx(r"^(chịu trách nhiệm|tòa soạn|địa chỉ|điện thoại|hotline|fax)\b"), False),
    ("site footer", _rx(r"^(email|e-mail)\s*:"), False),
    ("author e-mail", _rx(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$"), True),
    ("login link", _rx(rf"^{_LOGIN}(\s*[|/]\s*{_LOGIN})*$"), True),
    ("navigation link", _rx(rf"^{_NAVIGATION}$"), True),
]  # fmt: skip
# After article text, these end the article whatever follows (a link listing does too).
HARD_FOOTER = frozenset({"tags", "CMS credit", "copyright notice"})

_IN_ARTICLE = frozenset(
    key(s)
    for s in (
        "Tin liên quan", "Bài liên quan", "Tin bài liên quan", "Bài viết liên quan", "Xem thêm",
        "Đọc thêm", "Có thể bạn quan tâm", "Bạn có thể quan tâm", "Đọc tiếp",
    )
)  # fmt: skip
_LISTINGS = frozenset(
    key(s)
    for s in (
        "Tin cùng chuyên mục", "Tin mới nhất", "Tin mới", "Mới nhất", "Tin khác", "Các tin khác",
        "Các tin đã đưa", "Tin đã đưa", "Đọc nhiều", "Xem nhiều", "Đọc nhiều nhất",
        "Tin đọc nhiều", "Tin xem nhiều", "Tin nổi bật", "Nổi bật", "Tiêu điểm", "Bài đọc nhiều",
        "Tin tiêu điểm", "Cùng chuyên mục", "Tin tức khác", "Bài viết khác", "Quan tâm nhất",
        "Tin liên quan khác", "Có thể bạn chưa đọc",
    )
)  # fmt: skip
_COUNT = re.compile(r"\s*\(?\d+\)?$")
_RELATED_LINK = re.compile(r"^(xem thêm|đọc thêm|tin liên quan|bài liên quan|>>+|»+)\s*[:>»]+\s*\S")


def related_heading(line: str) -> Literal["in-article", "listing"] | None:
    """A heading that starts a box of links: in the article ("Tin liên quan") or after it."""
    k = _COUNT.sub("", key(line))
    if k in _IN_ARTICLE:
        return "in-article"
    if k in _LISTINGS:
        return "listing"
    return None


def related_link(line: str) -> bool:
    """ "Xem thêm: <headline>" on one line."""
    folded = apply_tone_style(to_nfc(line), "old").casefold().strip()
    return bool(_RELATED_LINK.match(folded))


def boilerplate(line: str, *, in_body: bool) -> str | None:
    """The reason this whole line is site boilerplate, or None."""
    k = key(line)
    if not k:
        return "decoration"
    if len(k) <= 120 and _phrase_count(k, _SHARE):
        return "share button"
    for reason, pattern, body_ok in _RULES:
        if (body_ok or not in_body) and pattern.search(k):
            return reason
    if related_link(line):
        return "related-news link"
    if menu_items(line) >= 2 or _link_bar(line):
        return "menu"
    return None


def _link_bar(line: str) -> bool:
    """``Trang chủ | Giới thiệu | Tin tức - Sự kiện | …``: four or more short links."""
    parts = [p.strip() for p in line.split("|")]
    return len(parts) >= 4 and all(p and len(p.split()) <= 6 for p in parts)


_BREAD_SEP = re.compile(r"\s*[>›»→]\s*|\s+/\s+|\s*\t\s*|\s{2,}")


def breadcrumb(line: str) -> list[str] | None:
    """``Trang chủ > Thời sự > Giao thông`` -> the items after the home link, or None. The
    line as copied (a tab or two spaces separate the levels of some CMSs' breadcrumbs). More
    than four levels is a menu bar, not a trail."""
    parts = [p.strip() for p in _BREAD_SEP.split(line.strip())]
    if len(parts) < 2 or any(not p or len(p.split()) > 6 for p in parts):
        return None
    if len([p for p in parts if key(p) not in HOME]) > 4:
        return None
    if key(parts[0]) not in HOME and not any(key(p) in SECTIONS for p in parts):
        return None
    return [p for p in parts if key(p) not in HOME]


def menu_items(line: str) -> int:
    """How many section names a navigation bar line holds (0 unless it is only those);
    two or more make the line a menu."""
    return _phrase_count(key(line), _SITE_LINKS)
