"""Public pages and files are the same for everyone: cacheable by browsers and proxies, validated by ETag."""

from __future__ import annotations

import functools

from django.conf import settings
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware

_conditional = decorator_from_middleware(ConditionalGetMiddleware)
LANGUAGES = {"vi", "en"}


def public_view(view):
    """No login; the language from `?lang=` (so each language has its own cacheable address, not a cookie);
    `Cache-Control: public, max-age` and an ETag of the body, answered with 304 when it still matches."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        lang = request.GET.get("lang", "vi")
        lang = lang if lang in LANGUAGES else "vi"
        with translation.override(lang):
            request.public_lang = lang
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
        response["Content-Language"] = lang
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            response.public_cacheable = True
        return response

    return _conditional(wrapper)


class PublicVaryMiddleware:
    """A public page is the same whatever the visitor's cookies or browser language (the language is in its
    address), so the `Vary: Cookie, Accept-Language` that the session and locale middleware add would only
    split shared caches: it is taken off public responses. Placed first, so it sees the response last."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "public_cacheable", False) and response.has_header("Vary"):
            kept = [
                v.strip()
                for v in response["Vary"].split(",")
                if v.strip().lower() not in {"cookie", "accept-language"}
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
