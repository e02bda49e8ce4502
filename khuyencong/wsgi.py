import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings.prod")
# The web process's database limits (see DATABASE_CLIENT_TIMEOUT in settings/base.py).
os.environ.setdefault("KHUYENCONG_WEB_PROCESS", "1")
application = get_wsgi_application()


def _install_database_deadline() -> None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        from khuyencong import db_deadline

        db_deadline.install(
            timeout=settings.DATABASE_CLIENT_TIMEOUT,
            connect_timeout=settings.DATABASE_CONNECT_TIMEOUT,
            pause=settings.DATABASE_DOWN_PAUSE,
        )


_install_database_deadline()
