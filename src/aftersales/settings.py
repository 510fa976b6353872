"""Django settings, read from the environment with safe defaults for the embedded (SQLite) set-up.

Production (``AFTERSALES_ENV=production``) refuses to start with a missing secret key, DEBUG on,
or no allowed hosts — the way healthchecks' settings raise on a bad value.
"""

import os
from pathlib import Path
from typing import cast

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("AFTERSALES_VAR_DIR", Path.cwd() / "var"))

ENV = os.environ.get("AFTERSALES_ENV", "development")
PRODUCTION = ENV == "production"


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}: expected a boolean, got {raw!r}")


# The published key of the embedded/demo set-up: good enough for `make run` on one machine, refused in
# production (anyone holding it can forge sessions and password links).
DEMO_SECRET_KEY = "dev-only-insecure-key-not-for-production"
# DEBUG (Django's technical 404/500 pages, which list every URL and the settings) only when asked for:
# `make run` and a plain `aftersales serve` show the product's own error pages.
DEBUG = _env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else DEMO_SECRET_KEY)
_LOCAL_HOSTS = "localhost,127.0.0.1,[::1]"
ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else _LOCAL_HOSTS).split(",") if h
]
# The address of the reverse proxy (nginx, IIS) that ends TLS, or "*" for any (docs/operations.md): waitress
# then believes its X-Forwarded-Proto/-For and Django sees the request as HTTPS.
TRUSTED_PROXY = os.environ.get("AFTERSALES_TRUSTED_PROXY", "")
TRUSTED_PROXY_HEADERS = os.environ.get(
    "AFTERSALES_TRUSTED_PROXY_HEADERS", "x-forwarded-proto x-forwarded-for"
)

if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY == DEMO_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters in production")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) served in production (not *)")
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer's plain-HTTP probe of the backend must not be redirected.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if TRUSTED_PROXY:
    # Only a trusted proxy's header reaches Django: waitress clears X-Forwarded-* from any other peer.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]


def _site_url() -> str:
    """The address people open the application at, for links in e-mails (AFTERSALES_SITE_URL).
    Without it: https:// and the first named host of ALLOWED_HOSTS in production, else the
    development server's http://127.0.0.1:8000."""
    raw = os.environ.get("AFTERSALES_SITE_URL", "").strip().rstrip("/")
    if raw:
        if not raw.startswith(("http://", "https://")):
            raise ImproperlyConfigured(f"AFTERSALES_SITE_URL: expected http(s)://host, got {raw!r}")
        return raw
    hosts = [host.lstrip(".") for host in ALLOWED_HOSTS if host not in {"*", ""}]
    if PRODUCTION and hosts:
        return f"https://{hosts[0]}"
    return "http://127.0.0.1:8000"


AFTERSALES_SITE_URL = _site_url()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "aftersales.organisation",
    "aftersales.formdefs",
    "aftersales.appraisal",
    "aftersales.interviews",
    "aftersales.service",
    "aftersales.parts",
    "aftersales.repair",
    "aftersales.discipline",
    "aftersales.payroll",
    "aftersales.results",
    "aftersales.evidence",
    "aftersales.todo",
    "aftersales.ui",
    "aftersales.jobs",
    "aftersales.web",
    "aftersales.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "aftersales.organisation.middleware.PasswordChangeRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A replayed create (same form token / Idempotency-Key) gets the first answer, not a second record.
    "aftersales.web.idempotency.IdempotentCreates",
    # AxesMiddleware last: it turns a lock-out into the lock-out response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # With AFTERSALES_LDAP_URI set, the directory's backend goes here (企业登录 below).
    "django.contrib.auth.backends.ModelBackend",
]

# Content-Security-Policy (django-csp): scripts and style sheets only from the app's own static files (no
# inline script: page behaviour lives in static/aftersales/app.js); style="" attributes stay allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSRF_FAILURE_VIEW = "aftersales.web.errors.csrf_failure"

ROOT_URLCONF = "aftersales.urls"
WSGI_APPLICATION = "aftersales.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aftersales.web.context_processors.navigation",
            ],
        },
    },
]


# SQLite, however it is configured (default file or DATABASE_URL=sqlite:///…): write-ahead log so readers
# do not block the writer, BEGIN IMMEDIATE so concurrent writers queue on the busy timeout instead of
# failing with "database is locked" when a read transaction upgrades to a write.
SQLITE_OPTIONS = {
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL;",
}


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        database = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "aftersales.sqlite3"}
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {
            **SQLITE_OPTIONS,
            **dict(cast(dict[str, object], database.get("OPTIONS") or {})),
        }
    return database


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["aftersales.formats"]  # amounts grouped by thousands in Chinese too (千分位)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # our CSS and the vendored npm packages


def _evidence_storage() -> dict[str, object]:
    """Where photos and drawn signatures go (docs/operations.md): the file system under the var dir, or
    S3-compatible object storage (django-storages) with AFTERSALES_MEDIA_STORAGE=s3. Never served as
    static files: only the photo and signature views hand them out, after checking the viewer."""
    kind = os.environ.get("AFTERSALES_MEDIA_STORAGE", "filesystem")
    if kind == "filesystem":
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": os.environ.get("AFTERSALES_MEDIA_DIR", str(VAR_DIR / "media"))},
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"AFTERSALES_MEDIA_STORAGE: expected filesystem or s3, got {kind!r}")
    bucket = os.environ.get("AFTERSALES_S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured(
            "AFTERSALES_S3_BUCKET must name the bucket when AFTERSALES_MEDIA_STORAGE=s3"
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("AFTERSALES_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AFTERSALES_S3_REGION") or None,
            "access_key": os.environ.get("AFTERSALES_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AFTERSALES_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("AFTERSALES_S3_PREFIX", "evidence"),
            "addressing_style": os.environ.get("AFTERSALES_S3_ADDRESSING_STYLE") or None,
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": _evidence_storage(),
}
# Field evidence (SPEC, docs/rules.md): photo size limit, how far an arrival check-in may be from the
# site before the supervisor is told, how long the customer's confirmation link stays valid.
AFTERSALES_PHOTO_MAX_BYTES = int(os.environ.get("AFTERSALES_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
AFTERSALES_CHECKIN_RADIUS_KM = float(os.environ.get("AFTERSALES_CHECKIN_RADIUS_KM", "2"))
AFTERSALES_CONFIRMATION_DAYS = int(os.environ.get("AFTERSALES_CONFIRMATION_DAYS", "14"))
AFTERSALES_CONFIRMATION_RATE = int(
    os.environ.get("AFTERSALES_CONFIRMATION_RATE", "30")
)  # requests / 10 min / address
# Serve straight from the app folders: no collectstatic step is needed for `aftersales serve`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or not PRODUCTION  # production scans the files once, at start

# Background jobs (aftersales.jobs, docs/architecture.md): django-tasks, the backport of Django 6's tasks
# framework. AFTERSALES_JOBS=database (the default) keeps the queue in the database and `aftersales serve`
# works it off in a thread of its own, so nothing else needs to run; AFTERSALES_JOBS=redis puts it in
# Redis (RQ) for `aftersales jobs_worker` processes to take. Work on more lines than the threshold (a
# large department's pay sheet) goes through the queue; smaller work is answered at once.
JOBS_BACKEND = os.environ.get("AFTERSALES_JOBS", "database")
REDIS_URL = os.environ.get("AFTERSALES_REDIS_URL", "redis://127.0.0.1:6379/0")
JOBS_QUEUE = os.environ.get("AFTERSALES_JOBS_QUEUE", "default")  # one installation's queue on a shared Redis
if JOBS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [JOBS_QUEUE]}}
elif JOBS_BACKEND == "redis":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [JOBS_QUEUE]}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]  # RQ's worker command (aftersales jobs_worker)
else:
    raise ImproperlyConfigured(f"AFTERSALES_JOBS: expected database or redis, got {JOBS_BACKEND!r}")
RQ_QUEUES = {JOBS_QUEUE: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
JOBS_THRESHOLD = int(os.environ.get("AFTERSALES_JOBS_THRESHOLD", "500"))

# Django's cache (the customer page's rate limit): this process's memory by default; with several
# server processes (`serve --processes`) or servers, AFTERSALES_CACHE=redis shares it through Redis.
CACHE_BACKEND = os.environ.get("AFTERSALES_CACHE", "memory")
if CACHE_BACKEND == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"aftersales:{JOBS_QUEUE}",  # one installation's keys on a shared Redis
        }
    }
elif CACHE_BACKEND != "memory":
    raise ImproperlyConfigured(f"AFTERSALES_CACHE: expected memory or redis, got {CACHE_BACKEND!r}")

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# django-axes: lock an account+address after repeated failures (登录失败锁定).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

# 企业登录 (docs/operations.md): sign-in against LDAP / Active Directory through django-auth-ldap, off
# unless AFTERSALES_LDAP_URI is set. The directory checks the password; the app matches the person to an
# employee (aftersales.organisation.ldap) and keeps the roles. Local accounts (the admin) still sign in.
if os.environ.get("AFTERSALES_LDAP_URI"):
    import ldap
    from django_auth_ldap.config import LDAPSearch

    AUTH_LDAP_SERVER_URI = os.environ["AFTERSALES_LDAP_URI"]
    AUTH_LDAP_START_TLS = _env_bool("AFTERSALES_LDAP_START_TLS", False)
    if PRODUCTION and "ldap://" in AUTH_LDAP_SERVER_URI.lower() and not AUTH_LDAP_START_TLS:
        raise ImproperlyConfigured("AFTERSALES_LDAP_URI: use ldaps:// or StartTLS, not passwords in clear")
    _ldap_base = os.environ.get("AFTERSALES_LDAP_USER_SEARCH", "")
    if not _ldap_base:
        raise ImproperlyConfigured("AFTERSALES_LDAP_USER_SEARCH must name the base DN to find people under")
    AUTH_LDAP_BIND_DN = os.environ.get("AFTERSALES_LDAP_BIND_DN", "")
    AUTH_LDAP_BIND_PASSWORD = os.environ.get("AFTERSALES_LDAP_BIND_PASSWORD", "")
    AUTH_LDAP_USER_SEARCH = LDAPSearch(
        _ldap_base, ldap.SCOPE_SUBTREE, os.environ.get("AFTERSALES_LDAP_USER_FILTER", "(uid=%(user)s)")
    )
    # Active Directory answers a search from the domain root with referrals python-ldap cannot follow;
    # a directory that is down must not hold up the sign-in of local accounts for long.
    AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 5}
    AUTH_LDAP_USER_ATTR_MAP = {"first_name": "givenName", "last_name": "sn", "email": "mail"}
    AUTHENTICATION_BACKENDS.insert(
        AUTHENTICATION_BACKENDS.index("django.contrib.auth.backends.ModelBackend"),
        "aftersales.organisation.ldap.EmployeeLDAPBackend",
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "COERCE_DECIMAL_TO_STRING": True,
    "EXCEPTION_HANDLER": "aftersales.ui.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Aftersales API",
    "DESCRIPTION": "售后服务部绩效考核与服务管理系统 REST API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served by the app itself (intranet, no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DisciplineKindEnum": "aftersales.discipline.models.Kind",
        "MilestoneKindEnum": "aftersales.service.models.MilestoneKind",
        "RoutineReportKindEnum": "aftersales.service.models.RoutineReportKind",
        "MarketInfoKindEnum": "aftersales.service.models.MarketInfoKind",
        "AttendanceKindEnum": "aftersales.service.models.AttendanceKind",
        "PhotoKindEnum": "aftersales.service.models.PhotoKind",
        "PayFactorModeEnum": "aftersales.payroll.models.PayFactorMode",
        "RoleEnum": "aftersales.organisation.forms.ROLE_CHOICES",
        "BackgroundJobKindEnum": "aftersales.jobs.models.Job.Kind",
        "BackgroundJobStateEnum": "aftersales.jobs.models.Job.State",
        "StateEnum": "aftersales.appraisal.models.State",  # its name before jobs had a state too
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "aftersales@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
