"""Accent folding at import speed, with exactly the result of `khuyencong.vn_text.fold_accents`.

`fold_accents` decomposes the text and drops the combining marks one character at a time in Python; an
import folds a few hundred thousand texts (search text, names, keys). Here a translation table, built once
from `fold_accents`'s own rules, maps each Latin letter with marks (Vietnamese and the rest of Latin-1 and
Latin Extended) to its folded form in one C call. Text with any other non-ASCII character (Greek, CJK, a
non-breaking space, a ligature…) is handed to `fold_accents` itself, so the result never differs.
"""

from __future__ import annotations

import unicodedata

from khuyencong.vn_text import fold_accents

_RANGES = ((0x80, 0x250), (0x300, 0x370), (0x1E00, 0x1F00))


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for start, end in _RANGES:
        for code in range(start, end):
            char = chr(code)
            decomposed = unicodedata.normalize("NFD", char.translate({0x111: "d", 0x110: "D"}))
            folded = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
            # Only characters that fold to plain letters; anything else keeps the slow, exact path.
            if folded.isascii() and not any(c.isspace() for c in folded):
                table[code] = folded
    return str.maketrans(table)


_TABLE = _build_table()


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced form of `text`, as `fold_accents` gives it."""
    if not text:
        return ""
    if not text.isascii():
        translated = text.translate(_TABLE)
        if not translated.isascii():
            return fold_accents(text)
        text = translated
    return " ".join(text.lower().split())
