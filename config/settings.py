"""Tawasul settings: one file, every value from the environment (see .env.example).

TAWASUL_ENV selects the mode: ``production`` (the default, so a forgotten variable fails
closed), ``development`` or ``test``. Production refuses to start with a missing secret, with
DEBUG on or in demo mode.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_dotenv = BASE_DIR / ".env"
if _dotenv.is_file():
    environ.Env.read_env(str(_dotenv), overwrite=False)


def env_bool(name: str, default: bool) -> bool:
    return env.bool(name, default=default)


def env_int(name: str, default: int) -> int:
    return env.int(name, default=default)


TAWASUL_ENV = env.str("TAWASUL_ENV", default="production")
if TAWASUL_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"TAWASUL_ENV must be production, development or test, not {TAWASUL_ENV!r}"
    )
PRODUCTION = TAWASUL_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
DEMO_MODE = env_bool("DEMO_MODE", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
# Encrypts message attachments at rest (AES-256-GCM): 32 random bytes, URL-safe base64.
TAWASUL_FILE_KEY = env.str("TAWASUL_FILE_KEY", default="")
# Encrypts victim identity fields at rest (AES-256-GCM): 32 random bytes, URL-safe base64.
TAWASUL_VICTIM_KEY = env.str("TAWASUL_VICTIM_KEY", default="")
# Shared between countries: keys the privacy-preserving victim-name encodings.
TAWASUL_VICTIM_MATCH_SECRET = env.str("TAWASUL_VICTIM_MATCH_SECRET", default="")
# Signs the receipts of cooperation requests (Ed25519 seed): 32 random bytes, URL-safe base64.
TAWASUL_RECEIPT_KEY = env.str("TAWASUL_RECEIPT_KEY", default="")
# Encrypts and authenticates backups (`manage.py backup`, AES-256-GCM): 32 random bytes,
# URL-safe base64. Kept apart from the backups, or they are readable by whoever holds them.
TAWASUL_BACKUP_KEY = env.str("TAWASUL_BACKUP_KEY", default="")
# Names this instance in its signed receipts.
TAWASUL_INSTANCE_NAME = env.str("TAWASUL_INSTANCE_NAME", default="tawasul")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)

if PRODUCTION:
    _problems = []
    if not SECRET_KEY or len(SECRET_KEY) < 50:
        _problems.append("SECRET_KEY must be set (at least 50 characters)")
    if not ALLOWED_HOSTS:
        _problems.append("ALLOWED_HOSTS must be set")
    if not TAWASUL_FILE_KEY:
        _problems.append("TAWASUL_FILE_KEY must be set (32 random bytes, URL-safe base64)")
    if not TAWASUL_VICTIM_KEY:
        _problems.append("TAWASUL_VICTIM_KEY must be set (32 random bytes, URL-safe base64)")
    if not TAWASUL_VICTIM_MATCH_SECRET or len(TAWASUL_VICTIM_MATCH_SECRET) < 32:
        _problems.append("TAWASUL_VICTIM_MATCH_SECRET must be set (at least 32 characters)")
    if not TAWASUL_RECEIPT_KEY:
        _problems.append("TAWASUL_RECEIPT_KEY must be set (32 random bytes, URL-safe base64)")
    if not TAWASUL_BACKUP_KEY:
        _problems.append("TAWASUL_BACKUP_KEY must be set (32 random bytes, URL-safe base64)")
    if DEBUG:
        _problems.append("DEBUG must be off")
    if DEMO_MODE:
        _problems.append("DEMO_MODE must be off")
    if _problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(_problems))
elif not SECRET_KEY:
    # Development and tests only: a fixed key is harmless where no real data lives.
    SECRET_KEY = "insecure-development-key-never-used-in-production-0123456789abcdef"  # noqa: S105
if not PRODUCTION:
    # Development and tests only: fixed keys, harmless where no real data lives.
    TAWASUL_FILE_KEY = TAWASUL_FILE_KEY or "qhAj1n3rj9wQAygt5dZbeVuL-cZfwCThhaQwyvRnwCs="
    TAWASUL_VICTIM_KEY = TAWASUL_VICTIM_KEY or "dGF3YXN1bC1kZXYtdmljdGltLWtleS0zMi1ieXRlcyE="
    TAWASUL_VICTIM_MATCH_SECRET = (
        TAWASUL_VICTIM_MATCH_SECRET or "insecure-development-victim-match-secret-0123456789"
    )
    TAWASUL_RECEIPT_KEY = TAWASUL_RECEIPT_KEY or "ZGV2ZWxvcG1lbnQtcmVjZWlwdC1rZXktMzItYnl0ZSE="
    TAWASUL_BACKUP_KEY = TAWASUL_BACKUP_KEY or "ZGV2ZWxvcG1lbnQtYmFja3VwLWtleS0zMi1ieXRlcyE="

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_countries",
    "django_htmx",
    "django_guid",
    "tawasul.core",
    "tawasul.audit",
    "tawasul.directory",
    "tawasul.accounts",
    "tawasul.messaging",
    "tawasul.actionplans",
    "tawasul.persons",
    "tawasul.cooperation",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "tawasul.audit.context.AuditContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tawasul.accounts.middleware.SessionLimitsMiddleware",
    "tawasul.accounts.middleware.UserLanguageMiddleware",
    "tawasul.accounts.middleware.MFARequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "tawasul.core.context_processors.tawasul",
            ],
        },
    },
]

VAR_DIR = Path(env.str("TAWASUL_VAR_DIR", default=str(BASE_DIR / "var")))
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tawasul.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", default=0)
# A kept-alive connection is checked before each request reuses it, so a restarted database
# costs no failed request once it is back (scripts/fault_pg_restart.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache_url("CACHE_URL", default="locmemcache://tawasul"),
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
if TAWASUL_ENV == "test":
    # Argon2 is deliberately slow; tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout (django-axes): lock the username after repeated failures, whatever the IP.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tawasul.accounts.views.lockout_response"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False
# axes.W006 warns that locking by username alone lets an attacker rotate user agents; it is the
# username that locks here, whatever the agent or IP. Locking by IP too would lock out a whole
# ministry behind one NAT address after a few colleagues' typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions: server-side, ended by inactivity and by an absolute limit.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_HOURS", default=10) * 3600
# The database row outlives the idle limit by a few minutes so the middleware, not a silent
# expiry, ends the session and audits it; past that the row is dead anyway.
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS + 300
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from a meta tag, not the cookie.

# MFA: TOTP with recovery codes (django-otp); required for everyone outside demo mode.
MFA_REQUIRED = env_bool("MFA_REQUIRED", default=not DEMO_MODE)
OTP_TOTP_ISSUER = "Tawasul"

# API tokens
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", default=90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", default=365)

LANGUAGE_CODE = "en"
LANGUAGES = [("ar", "العربية"), ("fr", "Français"), ("en", "English")]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "tawasul_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

STATIC_URL = "/static/"
# Production serves the collected, hashed files; elsewhere WhiteNoise finds them in place.
STATIC_ROOT = VAR_DIR / "staticfiles" if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "uploads"  # outside the web root: never served by URL

# Secure messaging: attachment size limit, and inactivity before a thread is archived.
MESSAGING_MAX_UPLOAD_MB = env_int("MESSAGING_MAX_UPLOAD_MB", default=50)
MESSAGING_ARCHIVE_DAYS = env_int("MESSAGING_ARCHIVE_DAYS", default=365)

# Person index: searches per user and minute; size limit of a list to screen (MB).
PERSONS_SEARCH_RATE_PER_MINUTE = env_int("PERSONS_SEARCH_RATE_PER_MINUTE", default=30)
PERSONS_SCREENING_MAX_MB = env_int("PERSONS_SCREENING_MAX_MB", default=10)
PERSONS_SCREENING_MAX_ROWS = env_int("PERSONS_SCREENING_MAX_ROWS", default=200_000)
# Processes one screening job uses (forked, sharing one name index); empty: the CPUs, at most 4.
_screening_processes = env.str("PERSONS_SCREENING_PROCESSES", default="")
PERSONS_SCREENING_PROCESSES = int(_screening_processes) if _screening_processes else None

# Uploads above 2.5 MB spool to a temporary file instead of memory; a form carries at most
# 10 files; non-file form data stays under Django's 2.5 MB default.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("BEHIND_TLS_PROXY", default=PRODUCTION)
    else None
)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Request ids (django-guid) in every log line, as JSON.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
}
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation_id": {"()": "django_guid.log_filters.CorrelationId"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "correlation_id": "request_id",
            },
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["correlation_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django_guid": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
    },
}

# EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587 (django-environ's format).
# Without it: the console in development and demo, and no mail at all in production.
_email = env.email_url("EMAIL_URL", default="consolemail://" if not PRODUCTION else "dummymail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tawasul@localhost")
# The address users reach Tawasul at, for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_HOURS", default=72) * 3600

DIRECTORY_STALE_MONTHS = env_int("DIRECTORY_STALE_MONTHS", default=6)

# Action plans: reminders before a due date and while overdue; evidence file size limit.
ACTIONPLANS_REMIND_DAYS_BEFORE = env_int("ACTIONPLANS_REMIND_DAYS_BEFORE", default=14)
ACTIONPLANS_OVERDUE_REPEAT_DAYS = env_int("ACTIONPLANS_OVERDUE_REPEAT_DAYS", default=7)
ACTIONPLANS_EVIDENCE_MAX_MB = env_int("ACTIONPLANS_EVIDENCE_MAX_MB", default=10)

# Cooperation requests: expected answer times (days) when a country profile gives none, a
# reminder's repeat interval, and the attachment size limit.
COOPERATION_REMIND_REPEAT_DAYS = env_int("COOPERATION_REMIND_REPEAT_DAYS", default=7)
COOPERATION_MAX_UPLOAD_MB = env_int("COOPERATION_MAX_UPLOAD_MB", default=25)

# Background tasks (django-tasks): queued in the database, run by `manage.py db_worker`;
# tests run them at once.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TAWASUL_ENV == "test"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

COUNTRIES_FIRST: list[str] = []
SITE_NAME = _("Tawasul")

if TAWASUL_ENV == "test":
    # A model that exists only to exercise the scoping mechanism before the case apps exist.
    INSTALLED_APPS.append("tawasul.core.tests.casefiles")
