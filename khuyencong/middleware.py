"""Request middleware shared by the whole portal."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation

from .error_pages import (
    database_busy,
    database_unavailable,
    is_database_busy,
    is_database_outage,
    server_error,
)


class PortalLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language with the switch.

    Django's own middleware follows the browser's Accept-Language; many office PCs in Vietnam run an
    English Windows and browser, and their users still expect the portal in Vietnamese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecondFactorMiddleware:
    """A user who has confirmed a second-factor device must enter its code before reaching any page.

    Whether the user has such a device is read once at login (see accounts.two_factor) and kept in the
    session, so ordinary requests cost no query.
    """

    SESSION_KEY = "khuyencong_otp_required"
    OPEN_PREFIXES = ("/healthz", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(self.SESSION_KEY) and not self._open(request.path_info):
            user = request.user
            if user.is_authenticated and not user.is_verified():
                from django.shortcuts import redirect
                from django.utils.http import urlencode

                verify = reverse("two_factor:verify")
                return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _open(self, path: str) -> bool:
        allowed = (
            reverse("two_factor:verify"),
            reverse("accounts:logout"),
        )
        return path.startswith(self.OPEN_PREFIXES) or path in allowed


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, users get the Vietnamese 503 page, never a stack trace.

    Covers errors raised by views; errors raised elsewhere in the request reach `handler500`
    (khuyencong.error_pages.server_error), which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_busy(exception):
            return database_busy(request, exception)
        if is_database_outage(exception):
            return database_unavailable(request, exception)
        return None


class DiskFullMiddleware:
    """The server's disk (uploads, result files) is full: a clear Vietnamese page (507), never a stack trace.

    The error ends the request's transaction, and the storage removes the cut-short file, so nothing of the
    request stays written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .error_pages import disk_full
        from .storage import is_disk_full

        return disk_full(request, exception) if is_disk_full(exception) else None


class PortalErrorPagesMiddleware:
    """Under DEBUG (`make run`), answer 404 and 500 with the portal's own pages, as production does.

    Django's debug pages are in English and show code to whoever opens a wrong link; a newcomer trying the
    portal should see what users see. The stack trace of a 500 is still logged to the console, and
    `DJANGO_TECHNICAL_ERRORS=true` brings Django's debug pages back for developers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code not in (404, 500) or getattr(response, "streaming", False):
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if response.status_code == 404:
            from django.views.defaults import page_not_found

            return page_not_found(request, None)
        return server_error(request)
