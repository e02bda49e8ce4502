"""Public pages and files are the same for everyone: computed once per version of the published data and
kept in the server's cache, cacheable by browsers and proxies, validated by ETag.

Server side, a page is stored under (page, its arguments, its known query parameters, language, the data
versions it depends on) in the `PUBLIC_CACHE` cache (per process by default; Redis with REDIS_URL, or a
database table, shared by every worker). The versions (public.freshness) rise after each committed change to
published data, so the first request after an approval computes the page again and every later one is
served from the cache. A province's page and files depend on that province's version only; the national
page keeps each province's figures apart, so after an approval it reads one province again, not 34. Entries
also expire after `PUBLIC_CONTENT_CACHE_SECONDS` for writes that bypass the models. Browsers and proxies may
keep a page `PUBLIC_CACHE_SECONDS` and then revalidate it with its ETag (304 when unchanged).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

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


def _signature(numbers: dict[str, int], province_id: int | None) -> str:
    """The data versions a page depends on: one province's (and what every page shows) for a province's
    page or file; every scope's for the others."""
    if province_id is not None:
        scope = freshness.province_scope(province_id)
        return f"{numbers.get(freshness.EVERYTHING, 0)}.{numbers.get(scope, 0)}"
    flat = ",".join(f"{k}={v}" for k, v in sorted(numbers.items()))
    return hashlib.sha256(flat.encode()).hexdigest()[:16]


def cache_key(view_name: str, kwargs: dict, request, lang: str, signature: str) -> str:
    params = "&".join(f"{p}={request.GET.get(p, '')[:12]}" for p in PARAMETERS if p in request.GET)
    args = "&".join(f"{k}={v}" for k, v in sorted(kwargs.items()))
    digest = hashlib.sha256(f"{view_name}|{args}|{params}".encode()).hexdigest()[:32]
    return f"public:{signature}:{lang}:{digest}"


def _province_id(code: str | None) -> int | None:
    if not code:
        return None
    from places.models import AdministrativeUnit

    return (
        AdministrativeUnit.objects.current()
        .provinces()
        .filter(code=code[:12])
        .values_list("pk", flat=True)
        .first()
    )


def cached_province_figures(year: int, province_ids: list[int]):
    """Each province's figures for the national page, kept until that province's data (or what every page
    shows) changes: after an approval, only its province is read again."""
    from .selectors import province_figures

    cache = caches[settings.PUBLIC_CACHE]
    numbers = freshness.versions()
    keys = {pk: f"public-figures:{year}:{pk}:{_signature(numbers, pk)}" for pk in province_ids}
    found = cache.get_many(list(keys.values()))
    result = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in province_ids if pk not in result]
    if missing:
        read = province_figures(year, missing)
        cache.set_many({keys[pk]: read[pk] for pk in missing}, settings.PUBLIC_CONTENT_CACHE_SECONDS)
        result.update(read)
    return result


def _compute(view, request, args, kwargs) -> HttpResponse:
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response.render()
    return response


def public_view(view=None, *, province: Callable | None = None):
    """No login; the language from `?lang=` (so each language has its own cacheable address, not a cookie);
    the body from the server's cache while the published data it shows is unchanged; `Cache-Control:
    public, max-age` and an ETag of the body, answered with 304 when it still matches. `province(request,
    kwargs)` names the province code a page shows only, so other provinces' changes leave it cached."""
    if view is None:
        return functools.partial(public_view, province=province)
    view_name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        lang = request.GET.get("lang", "vi")
        lang = lang if lang in LANGUAGES else "vi"
        request.public_lang = lang
        cache = caches[settings.PUBLIC_CACHE]
        province_id = _province_id(province(request, kwargs)) if province else None
        key = cache_key(view_name, kwargs, request, lang, _signature(freshness.versions(), province_id))
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
