"""Vietnamese text typed in the pre-Unicode fonts TCVN3 (ABC, ".VnTime") and VNI ("VNI-Times"): detection
and conversion to Unicode.

A spreadsheet stores such text as the Latin-1 characters that the font draws as Vietnamese letters:
"NguyÔn ThÞ Lan" is "Nguyễn Thị Lan" in .VnTime, "Nguyeãn Thò Lan" in VNI-Times. No single character
tells the encodings apart (TCVN3's "ó" is "ú", VNI's "ó" is "ĩ", and both are ordinary Vietnamese letters
too), so a value is judged whole: it is legacy text when, read as Unicode, some word is not a Vietnamese
syllable, and decoded as TCVN3 (or VNI) every word is one. No maintained library on PyPI does this
conversion; the tables below follow the published TCVN 5712:1993 (VN3) and VNI-Windows layouts.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

TCVN3 = "TCVN3"
VNI = "VNI"
NAMES = {TCVN3: "TCVN3 (ABC, phông .VnTime)", VNI: "VNI (phông VNI-Times)"}

# TCVN3 (VN3): one byte per letter, lower case only (upper-case toned letters need the .VnTimeH font,
# whose bytes are the same as the lower-case ones; the uppercase letters below are the few VN3 has).
_TCVN3 = dict(
    zip(
        "¡¢£¤¥¦§¨©ª«¬\xad®µ¸¶·¹»¾¼½ÆÇÊÈÉËÌÐÎÏÑÒÕÓÔÖ×ÝØÜÞßãáâäåèæçéêíëìîïóñòôõøö÷ùúýûüþ",
        "ĂÂÊÔƠƯĐăâêôơưđàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ",
        strict=True,
    )
)
_TCVN3_TABLE = str.maketrans(_TCVN3)

# VNI-Windows: a base letter followed by a mark drawn as a Latin-1 letter; a few letters are one byte.
_VNI_TONES = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_BREVE_TONES = {"ê": "", "è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_CIRCUMFLEX_TONES = {"â": "", "à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "î": "ỵ", "æ": "ỉ", "ó": "ĩ", "ò": "ị"}


def _vni_pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}

    def add(base: str, mark: str, composed: str) -> None:
        for b, m in ((base, mark), (base.upper(), mark.upper()), (base.upper(), mark)):
            out = composed.upper() if b.isupper() else composed
            pairs.setdefault(b + m, unicodedata.normalize("NFC", out))

    for base in "aeouy":
        for mark, tone in _VNI_TONES.items():
            add(base, mark, base + tone)
    for base, letter in (("ô", "ơ"), ("ö", "ư")):
        for mark, tone in _VNI_TONES.items():
            add(base, mark, letter + tone)
    for mark, tone in _VNI_BREVE_TONES.items():
        add("a", mark, "ă" + tone)
    for base, letter in (("a", "â"), ("e", "ê"), ("o", "ô")):
        for mark, tone in _VNI_CIRCUMFLEX_TONES.items():
            add(base, mark, letter + tone)
    return pairs


_VNI_PAIRS = _vni_pairs()
_VNI_SINGLES = {**_VNI_SINGLE, **{k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}}
_VNI_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(_VNI_PAIRS, key=len, reverse=True))
    + "|["
    + re.escape("".join(_VNI_SINGLES))
    + "]"
)


_ASCII_CAPS = re.compile(r"[A-Z]")
_ASCII_SMALL = re.compile(r"[a-z]")


def tcvn3_to_unicode(text: str) -> str:
    """TCVN3 to Unicode; a word typed in capitals (the .VnTimeH font draws the same bytes as capitals)
    comes out in capitals."""
    decoded = text.translate(_TCVN3_TABLE)
    if decoded == text:
        return text
    words = decoded.split(" ")
    for i, word in enumerate(words):
        if len(_ASCII_CAPS.findall(word)) >= 2 and not _ASCII_SMALL.search(word):
            words[i] = word.upper()
    return " ".join(words)


def vni_to_unicode(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: _VNI_PAIRS.get(m[0]) or _VNI_SINGLES[m[0]], text)


DECODERS = {TCVN3: tcvn3_to_unicode, VNI: vni_to_unicode}

# A Vietnamese syllable, tone mark removed: initial consonant, the vowels of a rhyme, final consonant.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"(?:iêu|oai|oay|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu|yêu"
    r"|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê"
    r"|[aăâeêioôơuưy])"
    r"(?:ch|ng|nh|[cmnptk])?"
)
_WORD = re.compile(r"[^\W\d_]+")
_WORD_SPLIT = re.compile(r"[\s,.;:()/\-–]+")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


@functools.lru_cache(maxsize=65_536)  # names repeat their words: Nguyễn, Thị, Văn, xã…
def is_vietnamese_word(word: str) -> bool:
    """A word written in Vietnamese letters with at most one tone mark, in one case pattern."""
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    parts = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in parts if c in _TONE_MARKS)
    bare = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
    if tones > 1 or _SYLLABLE.fullmatch(bare) is None:
        return False
    # A syllable closed by c, ch, p or t takes only the rising or the heavy tone ("quốc", never "quèc").
    if bare.endswith(("c", "p", "t", "ch")) and tones:
        return "\u0301" in parts or "\u0323" in parts
    return True


def _non_ascii_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if not w.isascii()]


def _score(text: str) -> tuple[int, int]:
    """(words that are not Vietnamese, words checked) among the words holding a non-ASCII letter or sign."""
    words = [w for w in _WORD_SPLIT.split(text) if w and not w.isascii()]
    bad = 0
    for word in words:
        letters = _WORD.findall(word)
        if len(letters) != 1 or letters[0] != word.strip("\"'«»“”!?") or not is_vietnamese_word(letters[0]):
            bad += 1
    return bad, len(words)


# Letters only Unicode can write (ă ơ ư đ ạ ễ …): legacy text is made of ASCII and Latin-1 only.
_UNICODE_ONLY = re.compile("[\u0100-\u024f\u1ea0-\u1ef9]")


def detect(text: str) -> str | None:
    """TCVN3 or VNI when the whole value decodes to Vietnamese in that encoding and does not read as
    Vietnamese Unicode; None for Unicode (or text this cannot judge, such as a foreign name)."""
    found = detect_and_convert(text)
    return found[0] if found is not None else None


def detect_and_convert(text: str) -> tuple[str, str] | None:
    """(encoding, Unicode text) for a legacy value (see `detect`), else None."""
    if not text or text.isascii() or _UNICODE_ONLY.search(text) is not None:
        return None
    bad, _checked = _score(text)
    if bad == 0:
        return None
    best, best_bad, best_text = None, bad, text
    for name, decode in DECODERS.items():
        decoded = decode(text)
        if decoded == text:
            continue
        decoded_bad, _n = _score(decoded)
        if decoded_bad < best_bad:
            best, best_bad, best_text = name, decoded_bad, decoded
    if best is None or best_bad:
        return None
    return best, unicodedata.normalize("NFC", best_text)


def to_unicode(text: str, encoding: str) -> str:
    return unicodedata.normalize("NFC", DECODERS[encoding](text))


@dataclass
class LegacyLog:
    """What one import met in legacy encodings: each distinct value with its encoding and its conversion.
    With `convert`, values are converted as they are read; without, they are refused with that advice."""

    convert: bool = False
    found: dict[str, tuple[str, str]] = field(default_factory=dict)
    LIMIT = 2_000

    def record(self, text: str, encoding: str, converted: str) -> None:
        if len(self.found) < self.LIMIT:
            self.found.setdefault(text, (encoding, converted))

    @property
    def encodings(self) -> list[str]:
        return sorted({encoding for encoding, _converted in self.found.values()})


_log: contextvars.ContextVar[LegacyLog | None] = contextvars.ContextVar("legacy_log", default=None)


@contextlib.contextmanager
def legacy_text(*, convert: bool) -> Iterator[LegacyLog]:
    """Within the block, `clean_text` records legacy values in the log (and converts them if asked)."""
    log = LegacyLog(convert=convert)
    token = _log.set(log)
    try:
        yield log
    finally:
        _log.reset(token)


def current_log() -> LegacyLog | None:
    return _log.get()
