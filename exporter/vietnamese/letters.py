"""Reference data for the Vietnamese script (design doc, section 0).

Plain constants only, so that font-coverage tests, collation, the orthography checks and the
legacy-encoding codecs all agree on one definition of "a Vietnamese letter". Sources: the CLDR
``vi`` exemplar characters and the Google Fonts ``vi_Latn`` language data; the counts and the
one-to-one case mapping are asserted at import time.
"""

from __future__ import annotations

# 67 lowercase letters with diacritics (NFC, one code point each), CLDR order: vowel, then the
# tones none, huyền (grave), hỏi (hook above), ngã (tilde), sắc (acute), nặng (dot below).
VI_LOWER = "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ"
# The same 67 letters in uppercase, position for position.
VI_UPPER = "ÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬĐÈẺẼÉẸÊỀỂỄẾỆÌỈĨÍỊÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢÙỦŨÚỤƯỪỬỮỨỰỲỶỸÝỴ"

# ASCII letters; f j w z are "auxiliary" (loanwords) but still allowed in body text.
VI_BASIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Every letter allowed in Vietnamese body text: 52 + 134 = 186.
VI_LETTERS = VI_BASIC + VI_LOWER + VI_UPPER
VI_LETTER_SET: frozenset[str] = frozenset(VI_LETTERS)

# Combining marks used by Vietnamese; none of them may survive NFC (rule 1.2).
VI_TONE_MARKS = "\u0300\u0309\u0303\u0301\u0323"  # grave, hook above, tilde, acute, dot below
VI_MODIFIER_MARKS = "\u0306\u0302\u031b"  # breve, circumflex, horn
VI_COMBINING_MARKS = VI_TONE_MARKS + VI_MODIFIER_MARKS

# The 29-letter alphabet in collation order (CLDR exemplar; f j w z are auxiliary).
VI_ALPHABET = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
# Index (section header) letters, CLDR "index" set.
VI_INDEX = list("AĂÂBCDĐEÊFGHIJKLMNOÔƠPQRSTUƯVWXYZ")

# Full CLDR exemplar order, usable as a collation fixture (design doc section 8).
VI_EXEMPLAR_ORDER = list(
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)

# Vowel letters without tone (lowercase), used by the syllable parser.
VI_VOWELS = "aăâeêioôơuưy"

assert len(VI_LOWER) == len(VI_UPPER) == 67
assert all(u.upper() == U and U.lower() == u for u, U in zip(VI_LOWER, VI_UPPER, strict=True))
assert len(VI_LETTER_SET) == 186
