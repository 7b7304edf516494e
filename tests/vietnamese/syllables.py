"""Every valid Vietnamese syllable, generated from onsets × rhymes × tones.

Written from the spelling rules (design doc 2.3, and any Vietnamese primer), independently of
the parser in ``exporter.vietnamese.syllables``: the test built on it checks that parser and
every repair against the language, not against itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

# Onsets as written. "gi" and "qu" carry their glide; "" is a syllable with no onset.
ONSETS = [
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
]  # fmt: skip


def _listed(table: str) -> list[str]:
    return table.split()


# Rhymes as written after an ordinary onset (the medial o/u is part of the rhyme).
RHYMES = _listed("""
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu
iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot ooc oong
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut
uôc uôi uôm uôn uông uôt
ư ưa ưc ưi ưm ưn ưng ưt ưu
ươc ươi ươm ươn ương ươp ươt ươu
y
oa oac oach oai oam oan oang oanh oap oat oay
oăc oăm oăn oăng oăt
oe oen oeo oet
uân uâng uât uây
uê uêch uênh
uơ
uy uya uych uyên uyêt uynh uyt uyu
""")

# After "qu" the glide is already written: "qua", "quân", "quyết".
QU_RHYMES = _listed("""
a ac ach ai am an ang anh at ay
ăc ăm ăn ăng ăt
ân âng ât ây
e en eo et
ê êch ênh
y ych yên yêt ynh yt
""")

# After "gi" the i is already written: "gia", "giếng", "gìn" (gi + in).
GI_RHYMES = _listed("""
a ac ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e em en eng eo ep et
ê êm ên êt êu
i in inh ip it
ô ôc ôi ôm ôn ông ôt
ơ ơi ơm ơn ơp ơt
o oc oi om on ong op ot
u ua uc ui um un ung up ut
uôc uôn uông uôt
ư ưa ưc ưng ưt ưu
ươc ươm ươn ương ươp ươt
""")

# Rhymes that stand with no onset in spelling of their own: "yêu", "yên", "yết", "yểng".
BARE_ONLY = ["yêm", "yên", "yêng", "yêt", "yêu"]

STOP_FINALS = ("c", "ch", "p", "t")
TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # ngang huyền hỏi ngã sắc nặng
_FRONT = ("e", "ê", "i", "y")


def _spelled(onset: str, rhyme: str) -> bool:
    """c/k/q, g/gh and ng/ngh: which onset letters go before which vowels."""
    first = rhyme[0]
    front = first in _FRONT or rhyme.startswith(("iê", "ia"))
    if onset in ("c", "g", "ng") and front:
        return False
    if onset in ("k", "gh", "ngh") and not front:
        return False
    if onset == "c" and rhyme.startswith(("u", "o")) and rhyme[:2] in ("oa", "oă", "oe", "uy"):
        return False  # "qu" spells /kw/
    if onset in ("", "qu", "gi") and rhyme == "y":
        return onset == ""
    if onset == "" and rhyme.startswith("iê"):
        return False  # "iê" with no onset is spelled "yê"
    if onset != "" and rhyme == "y":
        return onset in ("h", "k", "l", "m", "s", "t", "v", "qu")
    return True


def _place_tone(onset: str, rhyme: str, mark: str, style: str) -> str:
    """Put the tone mark on the right vowel of the rhyme (both house styles where they differ)."""
    if not mark:
        return rhyme
    vowels = [i for i, ch in enumerate(rhyme) if ch in "aăâeêioôơuưy"]
    modified = [i for i in vowels if rhyme[i] in "ăâêôơư"]
    final = rhyme[vowels[-1] + 1 :]
    if modified:
        at = modified[-1]  # "ươ" -> ơ; "uô", "iê", "yê", "uâ" -> the second vowel; "ưu" -> ư
    elif len(vowels) == 1:
        at = vowels[0]
    elif final:
        at = vowels[-1]  # "oan" -> "oán", "uyt" -> "uýt"
    elif rhyme in ("oa", "oe", "uy") and style == "old":
        at = vowels[0]  # "hoà", "khoẻ", "thuỷ"
    elif rhyme in ("oa", "oe", "uy", "uê", "uơ"):
        at = vowels[-1]  # "hòa", "khỏe", "thủy", "thuế", "thuở"
    elif rhyme in ("uya", "uyu", "oeo", "oay", "oai", "oao"):
        at = vowels[1]  # "khuya", "khuỷu", "ngoẹo", "xoáy", "ngoài"
    elif rhyme in ("ia", "ua", "ưa"):
        at = vowels[0]  # "mía", "múa", "mưa"
    else:
        at = vowels[0] if len(vowels) == 2 and rhyme[vowels[1]] in "iouy" else vowels[-1]
    return unicodedata.normalize("NFC", rhyme[: at + 1] + mark + rhyme[at + 1 :])


def syllables(styles: tuple[str, ...] = ("old", "new")) -> Iterator[str]:
    """Every valid syllable, lower case, in the given tone styles (both: each form once)."""
    seen: set[str] = set()
    combos = [(o, r) for o in ONSETS if o not in ("qu", "gi") for r in RHYMES]
    combos += [("qu", r) for r in QU_RHYMES] + [("gi", r) for r in GI_RHYMES]
    combos += [("", r) for r in BARE_ONLY]
    for onset, rhyme in combos:
        if not _spelled(onset, rhyme):
            continue
        stop = rhyme.endswith(STOP_FINALS)
        for mark in TONE_MARKS:
            if stop and mark not in ("\u0301", "\u0323"):
                continue  # stop finals take only sắc and nặng
            for style in styles:
                word = onset + _place_tone(onset, rhyme, mark, style)
                if word not in seen:
                    seen.add(word)
                    yield word
