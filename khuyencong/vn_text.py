"""Vietnamese text helpers: Unicode normalisation and accent folding for search.

Plain Unicode decomposition does not fold "đ"/"Đ" (they are separate letters, not d + a mark), so
they are mapped explicitly.
"""

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Compose text to NFC and strip surrounding white space (Excel and old fonts send NFD)."""
    return unicodedata.normalize("NFC", text or "").strip()


def fold_accents(text: str) -> str:
    """Lower-case, accent-free form used for accent-insensitive search ("Đan dây nhựa" -> "dan day nhua")."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
