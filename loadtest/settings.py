"""The production settings, as served on loopback for the load and fault runs (`make loadtest`).

Only what plain HTTP on 127.0.0.1 needs is relaxed: no redirect to HTTPS, no HSTS, cookies without the
Secure flag (a client does not send Secure cookies over HTTP). Everything else is production's."""

from khuyencong.settings.prod import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
BEHIND_PROXY = False
