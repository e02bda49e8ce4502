from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# Serve static files from the finders in tests: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests log in with client.login()/force_login, which pass no request; the lock-out tests turn axes on.
AXES_ENABLED = False
# Background jobs run at once, in the test's own process, when the transaction commits; the tests with a real
# worker process switch to the database backend. The worker reads the test database, so SQLite keeps it in a
# file rather than in memory.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JOBS_RETRY_SECONDS = 0
# The download tests read the file from the response; the background path has tests of its own.
NATIONAL_REPORT_IN_BACKGROUND = False
PDF_REPORTS_IN_BACKGROUND = False
IMPORT_BACKGROUND_BYTES = 50 * 1024 * 1024
EXPORT_BACKGROUND_ROWS = 100_000
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}  # noqa: F405
# People fill the needs form in seconds; the tests that pin the minimum turn it on.
NEEDS_MIN_FILL_SECONDS = 0
# The public pages' cache stays in the process whatever REDIS_URL says (each test empties it; the data version
# rows roll back with the test): the test of the shared backends sets them itself.
CACHES = {
    **CACHES,  # noqa: F405
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-pages-test"},
}
