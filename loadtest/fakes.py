"""Values the simulated users type: valid tax codes and the unique markers that tie a write to the ledger."""

from __future__ import annotations

import random
import secrets

_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code() -> str:
    """A ten-digit tax code with a valid check digit (the portal refuses others)."""
    while True:
        nine = f"{random.randrange(10**8, 10**9):09d}"
        remainder = sum(int(d) * w for d, w in zip(nine, _WEIGHTS, strict=True)) % 11
        if remainder:
            return nine + str(10 - remainder)


def marker() -> str:
    """Unique and ASCII (stored as is in every table and in the audit log's JSON); see loadtest/ledger.py."""
    return f"LT{secrets.token_hex(6)}"
