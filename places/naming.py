"""How names of administrative units are folded for search and matching.

Official names mix typographic and ASCII apostrophes (Xã M’Drắk / M'Drắk), en dashes and hyphens
(Chân Mây – Lăng Cô), old and new tone placement (Hoà / Hòa) and zero-padded numbers (Phường 01);
the folded forms below make all of these compare equal.
"""

import re

from khuyencong.vn_text import fold_accents, nfc

_PUNCTUATION_MAP = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LEADING_ZEROS = re.compile(r"\b0+(?=\d)")

# The words an official full name starts with, folded, longest first.
OFFICIAL_PREFIXES = (
    "thanh pho",
    "thi tran",
    "dac khu",
    "phuong",
    "thi xa",
    "huyen",
    "quan",
    "tinh",
    "xa",
)


def clean_name(text: str) -> str:
    """Display form of a source name: NFC, single spaces."""
    return " ".join(nfc(text).split())


def fold_name(text: str) -> str:
    """Accent-free, lower-case form stored in `name_folded` and used by `search()`."""
    return fold_accents(nfc(text).translate(_PUNCTUATION_MAP))


def match_key(text: str) -> str:
    """Matching key: folded, punctuation as spaces, numbers without leading zeros ("Phường 01" == "phuong 1")."""
    key = " ".join(_NON_ALNUM.sub(" ", fold_name(text)).split())
    return _LEADING_ZEROS.sub("", key)


def strip_official_prefix(key: str) -> str:
    """Remove the kind word from a matching key of a full name ("huyen phong dien" -> "phong dien")."""
    for prefix in OFFICIAL_PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key
