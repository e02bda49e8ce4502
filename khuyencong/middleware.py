"""Request middleware shared by the whole portal."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
