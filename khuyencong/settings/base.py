"""Settings shared by every environment; everything is read from the environment.

dev/test/prod only adjust these values. SQLite is the default so the portal runs with no server;
DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/khuyencong) switches to PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "template_partials",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "khuyencong",
    "places",
    "accounts",
    "programs",
    "beneficiaries",
    "projects",
    # Before reports: its build_report command extends the reports' one with --issue.
    "issuance",
    "reports",
    "spreadsheets",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "public",
    "api",
    "jobs",
    "reminders",
    "needs",
    "planning",
    "merging",
    "deadlines",
    "synthetic",
]

MIDDLEWARE = [
    "public.caching.PublicVaryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyencong.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "khuyencong.middleware.SecondFactorMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "khuyencong.middleware.DatabaseUnavailableMiddleware",
    "khuyencong.middleware.DiskFullMiddleware",
    # Report pages read from the replica when there is one (after every other middleware's process_view).
    "khuyencong.db_router.ReplicaMiddleware",
    # Last, as django-axes asks: it turns a lock-out raised during login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Django's form templates, the most used of them written in Python (khuyencong/form_renderer.py).
FORM_RENDERER = "khuyencong.form_renderer.PortalFormRenderer"

ROOT_URLCONF = "khuyencong.urls"
WSGI_APPLICATION = "khuyencong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked": every transaction takes
    # the write lock when it begins (a deferred one that reads first cannot wait for it later), and a
    # writer waits up to this many seconds for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20"))}
    )
    # Covering indexes (`include=`) are khuyencong.indexes.PostgresIndex: SQLite gets none of them at all,
    # so its warning that it would ignore their non-key columns does not apply.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's aggregates are short; JIT compilation cost more than it saved in EXPLAIN ANALYZE runs.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# A database that hangs (a stopped server, a full disk, a lock held by a stuck session) must not hold every
# web thread: the web process (khuyencong.wsgi sets KHUYENCONG_WEB_PROCESS) gives up on connecting after
# DATABASE_CONNECT_TIMEOUT s, on a statement after DATABASE_STATEMENT_TIMEOUT_MS, on a row lock after
# DATABASE_LOCK_TIMEOUT_MS, and waits for any answer at most DATABASE_CLIENT_TIMEOUT s (khuyencong.db_deadline:
# the client-side limit also covers a server that accepts but never answers, which the server's own timeouts
# cannot). The user gets the Vietnamese 503 page. Workers, migrations and commands run long statements on
# purpose: their defaults are 0 (no limit); each value can be set in the environment.
_WEB_PROCESS = env_bool("KHUYENCONG_WEB_PROCESS", False)
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT_MS = int(
    os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "6000" if _WEB_PROCESS else "0")
)
DATABASE_LOCK_TIMEOUT_MS = int(os.environ.get("DATABASE_LOCK_TIMEOUT_MS", "5000" if _WEB_PROCESS else "0"))
DATABASE_CLIENT_TIMEOUT = float(os.environ.get("DATABASE_CLIENT_TIMEOUT", "7" if _WEB_PROCESS else "0"))
# After a client-side timeout, this process answers 503 at once for this many seconds instead of letting
# every thread wait out the timeout again (then it tries the database again).
DATABASE_DOWN_PAUSE = float(os.environ.get("DATABASE_DOWN_PAUSE", "2"))
if DATABASE_CONNECT_TIMEOUT and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"]["OPTIONS"]
    _options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    for _name, _value in (
        ("statement_timeout", DATABASE_STATEMENT_TIMEOUT_MS),
        ("lock_timeout", DATABASE_LOCK_TIMEOUT_MS),
    ):
        if _value:
            _options["options"] += f" -c {_name}={_value}"
# A streaming replica of the primary (docs/deploy.md, "Nhiều máy chủ"): reports, dashboards and report files
# read from it; writes, and a person's reads for REPLICA_PIN_SECONDS after their own write, go to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # Reads must not wait on a replica that is gone: two seconds to connect, then the primary.
    DATABASES["replica"].setdefault("OPTIONS", {}).update({"options": "-c jit=off", "connect_timeout": 2})
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["khuyencong.db_router.ReplicaRouter"]
REPLICA_URL_NAMESPACES = ("reports",)
REPLICA_PIN_SECONDS = int(os.environ.get("KHUYENCONG_REPLICA_PIN_SECONDS", "15"))
REPLICA_RETRY_SECONDS = float(os.environ.get("KHUYENCONG_REPLICA_RETRY_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id at OWASP's parameters first (accounts/hashers.py); older hashes verify and are upgraded at login.
PASSWORD_HASHERS = [
    "accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "khuyencong.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]

# django-axes watches every login (the portal's and the admin's) and locks a user name from one address
# after repeated failures; the Django model backend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user's agency, province and roles with the user (one query).
    "accounts.backends.PortalBackend",
]

LOGIN_URL = "accounts:login"
# A person starts on "Việc của tôi" (tasks with their counts), at the top of the dashboard.
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Vietnamese first, English second; dates dd/mm/yyyy.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["khuyencong.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded documents live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = None
STORAGES = {
    # A file cut short by a full disk is removed, not kept half-written (khuyencong/storage.py).
    "default": {"BACKEND": "khuyencong.storage.WholeFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "khuyencong@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Import limits (rows per file, bytes per upload) for spreadsheets.
IMPORT_MAX_ROWS = int(os.environ.get("KHUYENCONG_IMPORT_MAX_ROWS", "200000"))
IMPORT_MAX_BYTES = int(os.environ.get("KHUYENCONG_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
DOCUMENT_MAX_BYTES = int(os.environ.get("KHUYENCONG_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Background work (jobs/): Django's task framework (django-tasks, the backport of Django 6's django.tasks).
# Without REDIS_URL the queue is a table of this database (no extra server; `manage.py jobs_worker` runs it);
# with REDIS_URL it is RQ on that Redis, for several web and worker machines. Progress and heartbeats go to the
# "jobs" cache: a directory on one machine, the same Redis on several.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # Results are kept a day (RQ's default is 500 s); the portal's own job row keeps the outcome for good.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_RESULT_TTL": 24 * 3600}}
    _JOBS_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    # The public pages' computed content, shared by every web worker and machine.
    _PUBLIC_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "kc-public",
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _JOBS_CACHE = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("KHUYENCONG_JOBS_CACHE_DIR", str(BASE_DIR / "var" / "jobs-progress")),
    }
    # Each process keeps its own copy (a few hundred pages at most); correct with several workers too, since
    # entries are keyed by the data version read from the database (public.freshness).
    _PUBLIC_CACHE = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("KHUYENCONG_PUBLIC_CACHE_ENTRIES", "500"))},
    }
if os.environ.get("KHUYENCONG_PUBLIC_CACHE_TABLE"):
    # A shared cache without Redis: a table of the database (`manage.py createcachetable` makes it).
    _PUBLIC_CACHE = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": os.environ["KHUYENCONG_PUBLIC_CACHE_TABLE"],
    }
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "jobs": _JOBS_CACHE,
    "public": _PUBLIC_CACHE,
}
PUBLIC_CACHE = "public"
JOBS_CACHE = "jobs"
# A running job's worker writes a heartbeat this often; one silent for JOBS_STALE_SECONDS is reaped.
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("KHUYENCONG_JOBS_HEARTBEAT_SECONDS", "5"))
JOBS_STALE_SECONDS = float(os.environ.get("KHUYENCONG_JOBS_STALE_SECONDS", "60"))
JOBS_RETRY_SECONDS = float(os.environ.get("KHUYENCONG_JOBS_RETRY_SECONDS", "30"))
# Imports of files larger than this, and exports of more đề án than this, run in the background.
IMPORT_BACKGROUND_BYTES = int(os.environ.get("KHUYENCONG_IMPORT_BACKGROUND_BYTES", str(256 * 1024)))
# Links in e-mails (reminders) start with this address, e.g. https://khuyencong.example.gov.vn
PORTAL_BASE_URL = os.environ.get("KHUYENCONG_BASE_URL", "")
# The national report (every province) is always built in the background.
NATIONAL_REPORT_IN_BACKGROUND = env_bool("KHUYENCONG_NATIONAL_REPORT_IN_BACKGROUND", True)
EXPORT_BACKGROUND_ROWS = int(os.environ.get("KHUYENCONG_EXPORT_BACKGROUND_ROWS", "2000"))
# PDF reports (a province's year, a programme, the national programme) are laid out in the background: one
# to three seconds of a processor that, in a web worker, would hold up the other requests of that worker.
PDF_REPORTS_IN_BACKGROUND = env_bool("KHUYENCONG_PDF_REPORTS_IN_BACKGROUND", True)
# Heavy jobs (national reports and long đề án lists) run at most this many at once across all workers; the
# others wait their turn, handed to the queue again every JOBS_HEAVY_WAIT_SECONDS (jobs/runner.py).
JOBS_HEAVY_HANDLERS = ("reports.national", "reports.project_list")
JOBS_HEAVY_AT_ONCE = int(os.environ.get("KHUYENCONG_JOBS_HEAVY_AT_ONCE", "1"))
JOBS_HEAVY_WAIT_SECONDS = float(os.environ.get("KHUYENCONG_JOBS_HEAVY_WAIT_SECONDS", "3"))
# Workers run at a lower processor priority than the web server (os.nice), so a long export never slows
# the pages people are waiting for.
JOBS_WORKER_NICE = int(os.environ.get("KHUYENCONG_JOBS_WORKER_NICE", "10"))

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/")

# Issued reports (issuance/): the public address printed under each report's QR code; the certificate
# authorities whose certificates a signature may chain to (PEM or DER files, separated by ":"); the agency's
# own PKCS#12 file for signing on the server, its passphrase read from the environment variable named here.
PORTAL_PUBLIC_URL = os.environ.get("PORTAL_PUBLIC_URL", "http://127.0.0.1:8000")
ISSUANCE_TRUST_ROOTS = [p for p in os.environ.get("ISSUANCE_TRUST_ROOTS", "").split(":") if p]
ISSUANCE_AGENCY_PKCS12 = os.environ.get("ISSUANCE_AGENCY_PKCS12", "")
ISSUANCE_AGENCY_PASSPHRASE_ENV = "ISSUANCE_AGENCY_PASSPHRASE"

# --- Security (prod.py adds HTTPS-only cookies, HSTS and the redirect to HTTPS) ---------------------------
# Sessions end after a working day, or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: scripts and styles only from the portal's own static files, never inline (no
# <style> blocks, no style="" attributes: progress bars are <progress> elements).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for one user name from one address, that pair
# is locked for the cool-off time; a success resets the count.
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/lockout.html"
AXES_CLIENT_IP_CALLABLE = "khuyencong.security.client_ip"
AXES_VERBOSE = False
# Behind nginx (docs/nginx.conf.sample), the client's address arrives in X-Real-IP.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)

# The public needs page (needs/protection.py): submissions per address per window, counted in the cache
# named here (Django's default is per process: with several gunicorn workers point it at a shared cache);
# the least seconds a person takes to fill the form; a same need sent again within the window is one.
NEEDS_RATE_LIMIT = int(os.environ.get("DJANGO_NEEDS_RATE_LIMIT", "5"))
NEEDS_RATE_WINDOW = int(os.environ.get("DJANGO_NEEDS_RATE_WINDOW", "600"))
NEEDS_RATE_CACHE = os.environ.get("DJANGO_NEEDS_RATE_CACHE", "default")
NEEDS_MIN_FILL_SECONDS = float(os.environ.get("DJANGO_NEEDS_MIN_FILL_SECONDS", "3"))
NEEDS_DUPLICATE_WINDOW = 600

# Optional second factor (TOTP) for leadership and administrators: once a user has confirmed a device,
# every session of theirs must pass the code before reaching any page.
OTP_TOTP_ISSUER = os.environ.get("DJANGO_OTP_ISSUER", "Khuyen cong")
SECOND_FACTOR_ROLES = ("leader", "admin")

# Audit trail (django-auditlog): what is registered is listed in khuyencong/audit.py.
AUDITLOG_STORE_JSON_CHANGES = True
# Fixtures, restores and synthetic data are loads, not changes by a person.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of a PDF ("Fetching and parsing CSS …") at INFO: keep its warnings only.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- Public transparency pages and open data (public/) -----------------------------------------------------
# How long browsers and proxies may keep a public page or file before asking again (ETag answers 304).
# Browsers and proxies keep a public page this long, then revalidate it (ETag, 304): the longest a visitor's
# own copy can lag an approval. The server's copy is fresh at the next request after the change (it is keyed
# by the data version); it also expires after PUBLIC_CONTENT_CACHE_SECONDS, for writes that bypass the models.
PUBLIC_CACHE_SECONDS = int(os.environ.get("KHUYENCONG_PUBLIC_CACHE_SECONDS", "60"))
PUBLIC_CONTENT_CACHE_SECONDS = int(os.environ.get("KHUYENCONG_PUBLIC_CONTENT_CACHE_SECONDS", "600"))
PUBLIC_DATA_LICENCE_NAME = os.environ.get(
    "KHUYENCONG_PUBLIC_DATA_LICENCE_NAME", "Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)"
)
PUBLIC_DATA_LICENCE_URL = os.environ.get(
    "KHUYENCONG_PUBLIC_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/deed.vi"
)

# --- REST API for other systems (api/) ---------------------------------------------------------------------
# Requests per key (and per address without a key); over the limit the answer is 429 with Retry-After.
# Counters live in the default cache: with several gunicorn workers, point CACHES at Redis to share them.
API_RATES = {
    "api_token": os.environ.get("KHUYENCONG_API_RATE", "120/min"),
    "api_anon": os.environ.get("KHUYENCONG_API_ANON_RATE", "30/min"),
}
API_MAX_PAGE_SIZE = int(os.environ.get("KHUYENCONG_API_MAX_PAGE_SIZE", "500"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle", "api.throttling.AddressRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.handle",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng quản lý khuyến công — API",
    "DESCRIPTION": (
        "Đọc chương trình, kế hoạch, đề án, cơ sở thụ hưởng, đơn vị hành chính và số liệu báo cáo; ghi đề án "
        "dự thảo và kết quả đầu ra. Khóa API do quản trị hệ thống cấp cho từng hệ thống, giới hạn một tỉnh "
        "(hoặc toàn quốc, chỉ đọc). Lỗi theo RFC 9457 (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "projects.models.ProjectStatus",
        "ProjectKindEnum": "projects.models.Project.Kind",
        "PlaceKindEnum": "places.models.AdministrativeUnit.Kind",
    },
}
