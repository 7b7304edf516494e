"""The words exporter itself prints in both editions (Vietnamese)."""

from __future__ import annotations

# Kept in one place so a wording or tone-style change is one edit.
LABELS = {
    "editor_note": "Thư tòa soạn",
    "in_this_issue": "Trong số này",
    "read_on": "Đọc tiếp",
    "contents": "Mục lục",
    "index": "Chỉ mục",
    "topics": "Chủ đề",
    "authors": "Tác giả",
    "cover": "Bìa",
    "notes": "Ghi chú",  # print: the title of the pages that pad an issue ([pdf] pad)
}
