"""Vietnamese dates, numbers and collation: exact strings, pinned Babel, the ICU vector."""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from importlib.metadata import version

import pytest

from exporter.pipeline import prepare
from exporter.vietnamese import collation, formats
from exporter.vietnamese.collation import fallback_sort_key, sort_key
from exporter.vietnamese.index import author_index, index_letter, person_key, topic_index
from exporter.vietnamese.letters import VI_EXEMPLAR_ORDER, VI_INDEX

from ..conftest import ROOT, SAMPLE

THURSDAY = dt.date(2023, 11, 23)

# The design document's vector, verified with ICU 72's ``vi`` collator.
VI_SORTED = [
    "ác", "ach", "an", "An", "ang", "anh", "áo", "apatit", "apxe", "ăn", "Ăn", "ăng", "âm", "Ân",
    "ẩn", "Ấn Độ", "ba", "bà", "bả", "bã", "bá", "bạ", "bà a", "ba b", "ba bà", "bà ba", "bác",
    "bạc", "bách", "bạch", "ban", "bàn", "cha", "chan", "da", "dê", "đá", "Đà Nẵng", "Đắk Lắk",
    "đi", "e", "ê", "hà", "Hà", "Hà Giang", "Hà Nội", "hà tĩnh", "Hà Tĩnh", "Hải Phòng", "hoa",
    "hoà", "hòa", "Huế", "Lê Bình", "Lê Văn Bình", "Nguyễn An", "Nguyễn Văn An", "o", "ô", "ơ",
    "Quảng Nam", "Quảng Ngãi", "quy", "quỳ", "quý", "u", "ư",
]  # fmt: skip


def test_dates_times_and_numbers() -> None:
    assert formats.short_date(THURSDAY) == "Thứ Năm, 23/11/2023"
    assert formats.full_date(THURSDAY) == "Thứ Năm, ngày 23 tháng 11 năm 2023"
    assert formats.time_of_day(dt.time(20, 39)) == "20:39"
    assert formats.time_of_day(dt.time(7, 5)) == "07:05"
    assert formats.number(1234567.5) == "1.234.567,5"
    assert formats.money_vnd(1234567) == "1.234.567\u00a0₫"
    moment = dt.datetime(2023, 11, 23, 20, 39)
    assert formats.byline_datetime(moment) == "Thứ Năm, 23/11/2023\u00a020:39"


def test_week_ranges() -> None:
    assert formats.date_range(dt.date(2023, 11, 20), dt.date(2023, 11, 26)) == "20–26/11/2023"
    assert formats.date_range(dt.date(2023, 11, 27), dt.date(2023, 12, 3)) == "27/11–3/12/2023"
    assert formats.date_range(dt.date(2023, 12, 29), dt.date(2024, 1, 4)) == ("29/12/2023–4/1/2024")
    assert formats.date_range(THURSDAY, THURSDAY) == "23/11/2023"


def test_every_weekday_name() -> None:
    names = [
        formats.short_date(dt.date(2023, 11, 20) + dt.timedelta(d)).split(",")[0] for d in range(7)
    ]
    assert names == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def test_babel_is_pinned_to_the_tested_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "babel==2.19.0" in project["project"]["dependencies"]
    assert version("babel") == "2.19.0"


def test_icu_collator_is_used() -> None:
    import icu  # installed by `make` (extra "icu"); the fallback key is tested below too

    assert collation._icu_key() is not None
    assert icu.ICU_VERSION


@pytest.mark.parametrize("key", [sort_key, fallback_sort_key], ids=["default", "fallback"])
def test_collation_matches_the_icu_vector(key) -> None:
    shuffled = VI_SORTED[:]
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=key) == VI_SORTED
    letters = VI_EXEMPLAR_ORDER[:]
    random.Random(1).shuffle(letters)
    assert sorted(letters, key=key) == list(VI_EXEMPLAR_ORDER)


def test_index_letters_keep_vietnamese_letters_apart() -> None:
    assert [index_letter(t) for t in ["Đà Nẵng", "da", "Ấn Độ", "ăn", "ở", "ư", "12 giờ"]] == [
        "Đ",
        "D",
        "Â",
        "Ă",
        "Ơ",
        "Ư",
        "#",
    ]
    assert set("ĂÂĐÊÔƠƯ") <= set(VI_INDEX)


def test_people_sort_by_given_name_and_stay_uninverted() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Bình"]
    assert sorted(names, key=person_key) == ["Nguyễn Thị An", "Lê Bình", "Trần Văn Bình"]


def test_sample_index_is_in_vietnamese_order() -> None:
    bulletin = prepare(SAMPLE, [])
    groups = topic_index(bulletin)
    letters = [g.letter for g in groups]
    assert letters == sorted(letters, key=sort_key)
    assert "Đ" in letters and "D" in letters and letters.index("D") + 1 == letters.index("Đ")
    for group in groups:
        terms = [e.term for e in group.entries]
        assert terms == sorted(terms, key=sort_key)
        assert all(index_letter(t) == group.letter for t in terms)
    authors = [e.term for e in author_index(bulletin)]
    assert authors == sorted(authors, key=person_key)
    assert all(", " not in name for name in authors)
