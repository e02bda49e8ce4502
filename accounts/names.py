"""Vietnamese names as people write them: họ tên, family name first ("Nguyễn Văn An").

The portal keeps Django's own user model, whose two name fields hold the parts of a họ tên: `last_name` the
family and middle names ("Nguyễn Văn"), `first_name` the given name ("An"). Django joins them given-name
first ("An Nguyễn Văn"); every page, e-mail, PDF and the admin read a name through `person_name` instead,
and the admin takes a name whole through `split_person_name`, so nothing is ever re-ordered.
"""

import unicodedata


def person_name(user) -> str:
    """The user's họ tên, family name first; the user name when no name is stored."""
    parts = (getattr(user, "last_name", "") or "", getattr(user, "first_name", "") or "")
    name = " ".join(p.strip() for p in parts if p and p.strip())
    return name or getattr(user, "username", "") or ""


def split_person_name(full_name: str) -> tuple[str, str]:
    """'Nguyễn Văn An' -> ('Nguyễn Văn', 'An'): the stored parts that `person_name` joins back unchanged."""
    words = unicodedata.normalize("NFC", full_name or "").split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def install_person_name(user_model) -> None:
    """Make the user model's own name methods answer family name first, so Django's admin, auditlog and
    any template that asks `get_full_name` print the name as it is written."""
    user_model.get_full_name = person_name
    user_model.get_short_name = person_name
