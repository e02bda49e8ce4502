"""Rate limits per key (and per address for requests without one); over the limit: 429 with Retry-After.

The rates are read from settings.API_RATES on each request (not frozen at import as DRF's own are)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class _SettingsRate:
    def get_rate(self):
        return settings.API_RATES[self.scope]


class TokenRateThrottle(_SettingsRate, SimpleRateThrottle):
    scope = "api_token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is None or not hasattr(token, "pk"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class AddressRateThrottle(_SettingsRate, AnonRateThrottle):
    scope = "api_anon"
