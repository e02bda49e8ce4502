"""Vietnamese text helpers: Unicode normalisation and accent folding for search.

Plain Unicode decomposition does not fold "đ"/"Đ" (they are separate letters, not d + a mark), so
they are mapped explicitly.

Folding runs on every save of a searchable record and a few hundred thousand times in a large import, so
the common case takes one C call: a translation table, built once from the exact rule below, maps each Latin
letter with marks (Vietnamese, Latin-1, Latin Extended) to its folded form. Text with any other non-ASCII
character (Greek, CJK, a non-breaking space, a ligature…) takes the exact rule itself, so the result never
differs.
"""

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Compose text to NFC and strip surrounding white space (Excel and old fonts send NFD)."""
    return unicodedata.normalize("NFC", text or "").strip()


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold_accents_exact(text: str | None) -> str:
    """The folding rule, one character at a time (what `fold_accents` must always equal)."""
    return " ".join(_strip_marks(text or "").lower().split())


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for start, end in ((0x80, 0x250), (0x300, 0x370), (0x1E00, 0x1F00)):
        for code in range(start, end):
            folded = _strip_marks(chr(code))
            # Only characters that fold to plain letters; anything else keeps the exact path.
            if folded.isascii() and not any(c.isspace() for c in folded):
                table[code] = folded
    return str.maketrans(table)


_TABLE = _build_table()


def fold_accents(text: str | None) -> str:
    """Lower-case, accent-free form used for accent-insensitive search ("Đan dây nhựa" -> "dan day nhua")."""
    if not text:
        return ""
    if not text.isascii():
        translated = text.translate(_TABLE)
        if not translated.isascii():
            return fold_accents_exact(text)
        text = translated
    return " ".join(text.lower().split())
