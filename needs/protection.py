"""Protection of the public registration page that needs no outside service.

- A limit per client address, counted in Django's cache (`NEEDS_RATE_LIMIT` submissions per
  `NEEDS_RATE_WINDOW` seconds); past it the page answers 429 with Retry-After, so a flood from one address is
  slowed while other addresses are served as usual.
- A form token: the time the form was shown, signed with the secret key. A post without it, with a forged or
  an expired one, or sent faster than a person can type (`NEEDS_MIN_FILL_SECONDS`) is refused.
- A honeypot field, hidden from people and from screen readers, that robots fill in.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.cache import caches

from khuyencong.security import client_ip

_SALT = "needs.form-token"


def _setting(name: str, default):
    return getattr(settings, name, default)


def rate_key(request) -> str:
    # The address itself is not kept, only a digest of it, and only for the window.
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
    return f"needs:rate:{digest}"


def rate_limited(request) -> int:
    """Count this submission against the client's address; the seconds to wait if over the limit, else 0."""
    cache = caches[_setting("NEEDS_RATE_CACHE", "default")]
    limit = int(_setting("NEEDS_RATE_LIMIT", 5))
    window = int(_setting("NEEDS_RATE_WINDOW", 600))
    key = rate_key(request)
    bucket = int(time.time() // window)
    key = f"{key}:{bucket}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    if count > limit:
        return max(1, int((bucket + 1) * window - time.time()))
    return 0


def form_token() -> str:
    return signing.dumps(time.time(), salt=_SALT)


def form_token_error(token: str | None) -> str | None:
    """None when the token is genuine, old enough and not expired; else a reason code."""
    if not token:
        return "missing"
    try:
        shown_at = float(
            signing.loads(token, salt=_SALT, max_age=int(_setting("NEEDS_FORM_MAX_AGE", 3 * 3600)))
        )
    except signing.SignatureExpired:
        return "expired"
    except (signing.BadSignature, TypeError, ValueError):
        return "forged"
    if time.time() - shown_at < float(_setting("NEEDS_MIN_FILL_SECONDS", 3)):
        return "too_fast"
    return None
