from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The portal's own 404 and 500 pages under DEBUG too (see PortalErrorPagesMiddleware).
if DEBUG and not env_bool("DJANGO_TECHNICAL_ERRORS", False):
    MIDDLEWARE = ["khuyencong.middleware.PortalErrorPagesMiddleware", *MIDDLEWARE]  # noqa: F405
