"""Public pages and files are the same for everyone: computed once per version of the published data and
kept in the server's cache, cacheable by browsers and proxies, validated by ETag.

Server side, a page is stored under (page, its arguments, its known query parameters, language, data
version) in the `PUBLIC_CACHE` cache (per process by default; Redis with REDIS_URL, shared by every worker).
The data version (public.freshness) rises after each committed change to published data, so the first
request after an approval computes the page again and every later one is served from the cache; entries
also expire after `PUBLIC_CONTENT_CACHE_SECONDS` for writes that bypass the models. Browsers and proxies may
keep a page `PUBLIC_CACHE_SECONDS` and then revalidate it with its ETag (304 when unchanged).
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.decorators import decorator_from_middleware

from . import freshness

_conditional = decorator_from_middleware(ConditionalGetMiddleware)
LANGUAGES = {"vi", "en"}
# The query parameters the public pages read; any other is ignored and kept out of the cache key, so made-up
# parameters cannot fill the cache with copies of one page.
PARAMETERS = ("nam", "tinh", "trang")
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "ETag")


def cache_key(view_name: str, kwargs: dict, request, lang: str, version: int) -> str:
    params = "&".join(f"{p}={request.GET.get(p, '')[:12]}" for p in PARAMETERS if p in request.GET)
    args = "&".join(f"{k}={v}" for k, v in sorted(kwargs.items()))
    digest = hashlib.sha256(f"{view_name}|{args}|{params}".encode()).hexdigest()[:32]
    return f"public:v{version}:{lang}:{digest}"


def _compute(view, request, args, kwargs) -> HttpResponse:
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response.render()
    return response


def public_view(view):
    """No login; the language from `?lang=` (so each language has its own cacheable address, not a cookie);
    the body from the server's cache while the published data is unchanged; `Cache-Control: public,
    max-age` and an ETag of the body, answered with 304 when it still matches."""
    view_name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        lang = request.GET.get("lang", "vi")
        lang = lang if lang in LANGUAGES else "vi"
        request.public_lang = lang
        cache = caches[settings.PUBLIC_CACHE]
        key = cache_key(view_name, kwargs, request, lang, freshness.current())
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Public-Cache"] = "hit"
        else:
            with translation.override(lang):
                response = _compute(view, request, args, kwargs)
            if response.status_code == 200 and not response.streaming:
                set_response_etag(response)
                headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
                cache.set(key, (response.content, headers), settings.PUBLIC_CONTENT_CACHE_SECONDS)
                response["X-Public-Cache"] = "miss"
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
