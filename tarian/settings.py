"""Django settings, read from the environment (see sample.env).

Outside debug every setting that matters for safety must be given explicitly, and a missing or
bad value stops start-up with a message naming it, rather than running with an unsafe default.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Running under pytest: tests use the same settings as development, with a throwaway key.
TESTING = "pytest" in sys.modules
DEBUG = env_bool("TARIAN_DEBUG", False)
RELAXED = DEBUG or TESTING

DATA_DIR = Path(os.environ.get("TARIAN_DATA_DIR", str(BASE_DIR / "var"))).resolve()


def _development_secret_key() -> str:
    """A per-checkout random key for development and tests, never for production."""
    import secrets

    key_file = DATA_DIR / "development-secret-key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not RELAXED:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value (see sample.env), "
            "or set TARIAN_DEBUG=1 for local development."
        )
    SECRET_KEY = _development_secret_key()
elif len(SECRET_KEY) < 32 and not RELAXED:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if RELAXED else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set (a comma-separated list of host names).")

TARIAN_PROCEDURES = os.environ.get("TARIAN_PROCEDURES", "wales").strip().lower()
if TARIAN_PROCEDURES not in {"wales", "england"}:
    raise ImproperlyConfigured(
        f"TARIAN_PROCEDURES must be 'wales' or 'england', not {TARIAN_PROCEDURES!r}"
    )

# The name of the partnership shown in the header and on reports.
TARIAN_AREA_NAME = os.environ.get("TARIAN_AREA_NAME", "Gaerwen")
# The address people use to reach Tarian, for links in emails.
TARIAN_BASE_URL = os.environ.get("TARIAN_BASE_URL", "http://127.0.0.1:8000" if RELAXED else "")
# Uploaded documents live here, outside anything the web server serves, and are read back only
# through a permission check. Largest upload in megabytes.
TARIAN_UPLOAD_DIR = Path(os.environ.get("TARIAN_UPLOAD_DIR", str(DATA_DIR / "uploads")))
TARIAN_UPLOAD_MAX_MB = env_int("TARIAN_UPLOAD_MAX_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o600
# FD3: police referrals wait for a central referral unit supervisor before they are sent on.
TARIAN_POLICE_SUPERVISOR_REVIEW = env_bool("TARIAN_POLICE_SUPERVISOR_REVIEW", True)
# The matcher (FD6): match probability at or above which a candidate is "match", and at or
# above which it is "possible"; below that "no_match". A trained weights file, if any.
TARIAN_MATCH_THRESHOLD = float(os.environ.get("TARIAN_MATCH_THRESHOLD", "0.90"))
TARIAN_POSSIBLE_MATCH_THRESHOLD = float(os.environ.get("TARIAN_POSSIBLE_MATCH_THRESHOLD", "0.50"))
TARIAN_MATCH_WEIGHTS = os.environ.get("TARIAN_MATCH_WEIGHTS", "")
# Processes `tarian dedupe` compares pairs in (0: one per processor).
TARIAN_DEDUPE_WORKERS = env_int("TARIAN_DEDUPE_WORKERS", 0)
# How long break-glass access to a restricted record lasts.
TARIAN_BREAK_GLASS_HOURS = env_int("TARIAN_BREAK_GLASS_HOURS", 4)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "tarian.procedures",
    "tarian.agencies",
    "tarian.audit",
    "tarian.people",
    "tarian.web",
    "tarian.api",
    "tarian.operations",
    "tarian.notifications",
    "tarian.drafts",
    "tarian.documents",
    "tarian.deadlines",
    "tarian.meetings",
    "tarian.challenges",
    "tarian.actions",
    "tarian.referrals",
    "tarian.strategy",
    "tarian.enquiries",
    "tarian.chronology",
    "tarian.disclosure",
    "tarian.seed",
]

MIDDLEWARE = [
    # First, so that it times every request and logs redirects too (no personal data).
    "tarian.operations.logs.RequestLogMiddleware",
    # Then no answer may be stored by a browser or proxy (static files and health excepted).
    "tarian.web.middleware.NoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tarian.web.middleware.RejectNulMiddleware",
    # Requests to /api/ leave here for the API's shorter chain (tarian/api/middleware.py).
    "tarian.api.middleware.ApiBranchMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tarian.web.middleware.SessionExpiryMiddleware",
    "tarian.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tarian.web.middleware.LoginRequiredMiddleware",
    "tarian.web.middleware.TwoFactorMiddleware",
    # django-csp's, for pages (the API's JSON has a fixed strict policy of its own).
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that it sees what a page raised first: NotFound and Forbidden become the 404
    # page, Restricted the break-glass page (tarian/web/refusals.py).
    "tarian.web.refusals.RefusalMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the user's agency with the user (one query a request).
    "tarian.agencies.backends.ModelBackend",
]

ROOT_URLCONF = "tarian.urls"
WSGI_APPLICATION = "tarian.wsgi.application"

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
                "tarian.web.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'tarian.sqlite3'}",
        conn_max_age=env_int("TARIAN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, checking a connection's health only after it has been idle and
    # preparing the statements every API request runs (docs/decisions/0008).
    DATABASES["default"]["ENGINE"] = "tarian.core.db.postgresql"
    if not env_bool("TARIAN_DB_PREPARED_STATEMENTS", True):
        # Behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode
        # before 1.21): plan every statement afresh.
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# PostgreSQL with two roles (docs/decisions/0009): DATABASE_URL is the role the application
# runs as, which may read and write but not change or erase the audit log;
# TARIAN_MIGRATE_DATABASE_URL is the role that owns the tables, used only by `tarian migrate`
# and `tarian restore`, which grant the runtime role its privileges afterwards. Unset: one
# role does both (development; the database cannot then protect the audit log from it).
TARIAN_MIGRATE_DATABASE: dict[str, object] | None = None
TARIAN_DATABASE_RUNTIME_ROLE = ""
if os.environ.get("TARIAN_MIGRATE_DATABASE_URL"):
    _owner = dj_database_url.parse(os.environ["TARIAN_MIGRATE_DATABASE_URL"])
    if not str(DATABASES["default"]["ENGINE"]).endswith("postgresql") or not str(
        _owner["ENGINE"]
    ).endswith("postgresql"):
        raise ImproperlyConfigured(
            "TARIAN_MIGRATE_DATABASE_URL is for PostgreSQL: DATABASE_URL and it must both be "
            "postgresql:// addresses of the same database"
        )
    TARIAN_DATABASE_RUNTIME_ROLE = str(DATABASES["default"].get("USER") or "")
    if not TARIAN_DATABASE_RUNTIME_ROLE or not _owner.get("USER"):
        raise ImproperlyConfigured(
            "DATABASE_URL and TARIAN_MIGRATE_DATABASE_URL must each name their role "
            "(postgresql://ROLE:PASSWORD@HOST:PORT/NAME)"
        )
    TARIAN_MIGRATE_DATABASE = {
        **DATABASES["default"],
        "NAME": _owner["NAME"],
        "USER": _owner["USER"],
        "PASSWORD": _owner.get("PASSWORD", ""),
        "HOST": _owner.get("HOST", ""),
        "PORT": _owner.get("PORT", ""),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept for TARIAN_DB_CONN_MAX_AGE seconds, as on PostgreSQL: opening one
    # per request (and running the PRAGMAs below each time) halved the throughput of every
    # read (#17, docs/performance.md). A restore writes into the live file through SQLite's
    # backup API, so a kept connection sees the restored data.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;",
    }
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    # Django's backend, converting each statement's placeholders once (tarian/core/db/sqlite).
    DATABASES["default"]["ENGINE"] = "tarian.core.db.sqlite"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Offline: few different characters or a repeated piece; a bundled list of 40,101 breached
    # and common passwords (Django's among them), also when decorated (#18).
    {"NAME": "tarian.agencies.passwords.LowVarietyValidator"},
    {"NAME": "tarian.agencies.passwords.BreachedPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if RELAXED
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = RELAXED

# Sessions: idle expiry (sliding) and an absolute limit from log-in.
TARIAN_SESSION_IDLE_MINUTES = env_int("TARIAN_SESSION_IDLE_MINUTES", 30)
TARIAN_SESSION_ABSOLUTE_HOURS = env_int("TARIAN_SESSION_ABSOLUTE_HOURS", 10)
SESSION_COOKIE_AGE = TARIAN_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not RELAXED:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("TARIAN_SSL_REDIRECT", True)
    # Load balancers and monitors probe the application directly over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health(/ready)?$"]
    SECURE_HSTS_SECONDS = env_int("TARIAN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("TARIAN_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every subdomain of the partnership's domain to HTTPS for good: the
        # domain's owner decides, with TARIAN_HSTS_PRELOAD=1. HSTS itself is always on.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if env_bool("TARIAN_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# OpenID Connect: an agency's own identity provider, switched on by setting its client id.
TARIAN_OIDC_ENABLED = bool(os.environ.get("TARIAN_OIDC_CLIENT_ID"))
if TARIAN_OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("tarian.agencies.oidc.TarianOIDCBackend")
    OIDC_RP_CLIENT_ID = os.environ["TARIAN_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("TARIAN_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("TARIAN_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = "openid email"
    OIDC_CREATE_USER = False
    for _name in ("AUTHORIZATION", "TOKEN", "USER", "JWKS"):
        _value = os.environ.get(f"TARIAN_OIDC_{_name}_ENDPOINT", "")
        if not _value:
            raise ImproperlyConfigured(
                f"TARIAN_OIDC_{_name}_ENDPOINT must be set when TARIAN_OIDC_CLIENT_ID is set"
            )
        globals()[f"OIDC_OP_{_name}_ENDPOINT"] = _value
    TARIAN_OIDC_AGENCY = os.environ.get("TARIAN_OIDC_AGENCY", "")
    TARIAN_OIDC_PROVIDER_NAME = os.environ.get("TARIAN_OIDC_PROVIDER_NAME", "your organisation")
    LOGIN_REDIRECT_URL_FAILURE = "/login"

# Log-in throttling (django-axes): after 5 failures for a username from one address, that
# pair is locked out for 15 minutes. Every failure is recorded (AccessAttempt, AccessFailureLog).
AXES_FAILURE_LIMIT = env_int("TARIAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("TARIAN_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_IPWARE_PROXY_COUNT = env_int("TARIAN_PROXY_COUNT", 0) or None
AXES_VERBOSE = False

# Two-factor authentication (TOTP): required for these roles, available to everyone.
TARIAN_TWO_FACTOR_ROLES = env_list(
    "TARIAN_TWO_FACTOR_ROLES",
    ["system_admin", "allegations_manager", "board_member", "whistleblowing_officer"],
)
OTP_TOTP_ISSUER = f"Tarian {TARIAN_AREA_NAME}"
# Users of those roles set up their authenticator app only through a one-time link (printed by
# `tarian create-user` and `tarian two-factor-link`), which expires after this many hours.
TARIAN_ENROLMENT_LINK_HOURS = env_int("TARIAN_ENROLMENT_LINK_HOURS", 72)

# Content-Security-Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tarian.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON asked for plainly is answered without ranking the Accept header (#17).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "tarian.api.negotiation.JsonFirstNegotiation",
    # Refuses JSON nested too deeply and NUL characters, naming the field (#17).
    "DEFAULT_PARSER_CLASSES": ["tarian.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "tarian.api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "tarian.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tarian API",
    "DESCRIPTION": "The multi-agency child protection record. See API-CONTRACT.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tarian.api.schema.document_conventions",
    ],
}
TARIAN_API_TOKEN_DAYS = env_int("TARIAN_API_TOKEN_DAYS", 365)
# A token of a role that needs two-factor authentication lives at most this many days.
TARIAN_API_TOKEN_DAYS_TWO_FACTOR = env_int("TARIAN_API_TOKEN_DAYS_TWO_FACTOR", 30)

EMAIL_BACKEND = os.environ.get(
    "TARIAN_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if RELAXED
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("TARIAN_FROM_EMAIL", "tarian@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

# Structured JSON logs on standard error, without personal data (see tarian/operations/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tarian.operations.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TARIAN_LOG_LEVEL", "WARNING")},
    "loggers": {
        "tarian.requests": {"level": os.environ.get("TARIAN_REQUEST_LOG_LEVEL", "INFO")},
    },
}
# Backups go here (default DATA_DIR/backups); a separate disk is better.
TARIAN_BACKUP_DIR = os.environ.get("TARIAN_BACKUP_DIR") or None

if TESTING:
    # Hashing passwords slowly is the point in production and a waste of minutes in tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def env_office_hours(name: str, default: str) -> tuple[dt.time, dt.time]:
    """Office hours as ``HH:MM-HH:MM`` (opening before closing), or a message naming the
    setting."""
    raw = (os.environ.get(name) or default).strip()
    try:
        opens, closes = (dt.time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be opening and closing times such as 09:00-17:00, not {raw!r}"
        ) from exc
    if opens >= closes:
        raise ImproperlyConfigured(f"{name} must open before it closes, not {raw!r}")
    return opens, closes


# Out of hours (FD4, #20): the Gateway's office hours on working days, Europe/London time
# (weekends and the pack's bank holidays are out of hours all day). A referral received
# outside them says who covers it: the partnership's emergency duty team, named (in English
# and Welsh) with its phone number on the referral and on the referrer's confirmation.
TARIAN_OFFICE_HOURS = env_office_hours("TARIAN_OFFICE_HOURS", "09:00-17:00")
TARIAN_EMERGENCY_DUTY_TEAM = (
    os.environ.get("TARIAN_EMERGENCY_DUTY_TEAM", "").strip() or "Emergency Duty Team"
)
TARIAN_EMERGENCY_DUTY_TEAM_CY = (
    os.environ.get("TARIAN_EMERGENCY_DUTY_TEAM_CY", "").strip() or "Tîm Dyletswydd Argyfwng"
)
# A fictional number (Ofcom's drama range) in development; a deployment sets its own.
TARIAN_EMERGENCY_DUTY_TEAM_PHONE = os.environ.get(
    "TARIAN_EMERGENCY_DUTY_TEAM_PHONE", "01632 960000" if RELAXED else ""
).strip()

# The protective marking printed at the top and foot of a chronology (#20 item 10); the default
# is the UK Government Security Classification for case records, OFFICIAL-SENSITIVE.
TARIAN_PROTECTIVE_MARKING = os.environ.get("TARIAN_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")
