"""Uppsikt settings: one module, driven by environment variables.

Embedded defaults (SQLite under ``var/``, a generated secret key) let one command run
everything on a laptop; production sets ``DATABASE_URL``, ``SECRET_KEY`` and
``ALLOWED_HOSTS``. Every ``env_secret`` value can also be read from ``NAME_FILE``.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("UPPSIKT_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return default if value is None or not value.strip() else float(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """The secret from ``NAME``, or from the file that ``NAME_FILE`` points at."""
    if name in os.environ:
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return None


def embedded_secret_key() -> str:
    """A key generated once and kept under var/, so sessions survive restarts locally."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


DEBUG = env_bool("UPPSIKT_DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or embedded_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "uppsikt.organisations",
    "uppsikt.plans",
    "uppsikt.interchange",
    "uppsikt.indicators",
    "uppsikt.budget",
    "uppsikt.periods",
    "uppsikt.followup",
    "uppsikt.accounts",
    "uppsikt.jobs",
    "uppsikt.audit",
    "uppsikt.portal",
    "uppsikt.control",
    "uppsikt.reports",
    "uppsikt.history",
    "uppsikt.administration",
    "uppsikt.tasks",
    "uppsikt.schedule",
    "uppsikt.governance",
    "uppsikt.kolada",
    "uppsikt.feedback",
    "uppsikt.proposals",
    "uppsikt.public",
    "uppsikt.opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "uppsikt.portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A public page kept for anonymous visitors is served here (uppsikt/lib/pagecache.py).
    "uppsikt.lib.pagecache.KeptPageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "uppsikt.governance.middleware.StyrmodellMiddleware",
]

ROOT_URLCONF = "uppsikt.urls"
WSGI_APPLICATION = "uppsikt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "uppsikt" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "uppsikt.portal.navigation.navigation",
                "uppsikt.lib.findable.page_meta",
            ],
            "builtins": ["uppsikt.accounts.templatetags.access"],
        },
    }
]

SQLITE_PATH = VAR_DIR / "uppsikt.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": env_str("UPPSIKT_TEST_DB_NAME", "test_uppsikt")}

# Background work (report generation, big imports): django-tasks on the database, so the
# embedded SQLite default runs it too. `uppsikt db_worker --queue-name …` runs a queue: imports
# have a queue of their own so that a long import never holds up a report (docs/jobs.md).
TASKS = {
    "default": {
        "BACKEND": env_str("UPPSIKT_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "imports"],
    }
}
# A running job's worker touches the job every JOBS_HEARTBEAT_SECONDS; a job not touched for
# JOBS_HEARTBEAT_TIMEOUT seconds (or whose worker process on this host is gone) is failed, or
# queued again up to JOBS_MAX_ATTEMPTS times when it is safe to repeat. On SQLite a long write
# holds up the heartbeat, so keep the timeout well above the longest import's final write.
JOBS_HEARTBEAT_SECONDS = env_float("UPPSIKT_JOBS_HEARTBEAT_SECONDS", 5.0)
JOBS_HEARTBEAT_TIMEOUT = env_float("UPPSIKT_JOBS_HEARTBEAT_TIMEOUT", 300.0)
JOBS_CHECK_LOCAL_PIDS = env_bool("UPPSIKT_JOBS_CHECK_LOCAL_PIDS", True)
JOBS_MAX_ATTEMPTS = 3

# The audit trail's head (sequence and hash) is appended here by `uppsikt audit anchor` (daily),
# shown on /andringslogg/ankare/ and checked by `uppsikt audit verify`: keep copies elsewhere.
AUDIT_ANCHORS_FILE = Path(env_str("UPPSIKT_AUDIT_ANCHORS_FILE") or VAR_DIR / "audit-anchors.log")

# Files that jobs make (reports, exports); served only through access-checked views.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/filer/"
# Uploads above 5 MB go to a temporary file, never memory; a form field counts the bytes
# and refuses a file above IMPORT_MAX_UPLOAD_BYTES (lib.uploads).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "uppsikt.lib.uploads.LimitedTemporaryFileUploadHandler",
]

# What an import may read (lib.limits; docs/security.md "Input limits").
IMPORT_MAX_UPLOAD_BYTES = int(env_str("UPPSIKT_IMPORT_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_UNPACKED_BYTES = int(
    env_str("UPPSIKT_IMPORT_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024))
)
IMPORT_MAX_COMPRESSION_RATIO = int(env_str("UPPSIKT_IMPORT_MAX_COMPRESSION_RATIO", "100"))
IMPORT_MAX_ROWS = int(env_str("UPPSIKT_IMPORT_MAX_ROWS", "1000000"))
IMPORT_MAX_ERRORS = int(env_str("UPPSIKT_IMPORT_MAX_ERRORS", "1000"))
# An import that writes at least this many values leaves the recompute of the derived
# indicators that use them to a background job on the import queue (indicators/derived.py);
# a smaller one recomputes them as it commits.
DERIVED_INLINE_ROWS = int(env_str("UPPSIKT_DERIVED_INLINE_ROWS", "100000"))
# Reading a plan document (proposals.reading): the most pages (a DOCX or text counts its
# page breaks, or its words / 500) and seconds one reading may take.
PLAN_READ_MAX_PAGES = int(env_str("UPPSIKT_PLAN_READ_MAX_PAGES", "300"))
PLAN_READ_MAX_SECONDS = env_float("UPPSIKT_PLAN_READ_MAX_SECONDS", 120.0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "uppsikt" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("UPPSIKT_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("UPPSIKT_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("UPPSIKT_LOG_LEVEL", "WARNING")},
}

# --- Access, audit, login and API (issue: access, audit trail and API) ---------------------
# Appended as one block so the settings above keep their order; see docs/security.md.

INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = (
    "uppsikt.audit.admin_app.AuditedAdminConfig"
)
INSTALLED_APPS += ["uppsikt.api"]

# Security headers (Content-Security-Policy, Permissions-Policy …) on every response.
MIDDLEWARE.insert(1, "uppsikt.accounts.headers.SecurityHeadersMiddleware")

# Argon2id at OWASP's minimum cost first (accounts/hashers.py); the others only so that
# older hashes still verify (and are upgraded at the next sign-in).
PASSWORD_HASHERS = [
    "uppsikt.accounts.hashers.UppsiktArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS[1] = {
    "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
    "OPTIONS": {"min_length": 12},
}
AUTHENTICATION_BACKENDS = ["uppsikt.accounts.lockout.LockoutModelBackend"]

# Lockout after repeated failed logins: per user name and per client address.
LOGIN_LOCKOUT_ATTEMPTS = int(env_str("UPPSIKT_LOCKOUT_ATTEMPTS", "5"))
LOGIN_LOCKOUT_IP_ATTEMPTS = int(env_str("UPPSIKT_LOCKOUT_IP_ATTEMPTS", "20"))
LOGIN_LOCKOUT_MINUTES = int(env_str("UPPSIKT_LOCKOUT_MINUTES", "15"))
# Behind a reverse proxy, the header that carries the client's address (e.g. X-Forwarded-For).
LOGIN_CLIENT_IP_HEADER = env_str("UPPSIKT_CLIENT_IP_HEADER")

# The second factor (TOTP) for local accounts: required for "admin" (superusers, staff and
# administrators), "all" or "none"; logins through OpenID Connect are exempt (accounts/signin.py).
TOTP_REQUIRED_FOR = env_str("UPPSIKT_TOTP_REQUIRED_FOR", "admin").strip().lower()
if TOTP_REQUIRED_FOR not in ("admin", "all", "none"):
    raise ValueError(
        f"UPPSIKT_TOTP_REQUIRED_FOR must be admin, all or none, not {TOTP_REQUIRED_FOR!r}"
    )
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "uppsikt.accounts.signin.SecondFactorMiddleware",
)
# Rate limits, in requests per minute (0 turns one off), counted in the cache below: the
# login form's POSTs per address and per user name (before the lockout counts failures),
# and API calls per token's user and per address (uppsikt/lib/ratelimit.py).
LOGIN_RATE_PER_ADDRESS = int(env_str("UPPSIKT_LOGIN_RATE_PER_ADDRESS", "30"))
LOGIN_RATE_PER_USER = int(env_str("UPPSIKT_LOGIN_RATE_PER_USER", "10"))
API_RATE_PER_USER = int(env_str("UPPSIKT_API_RATE_PER_USER", "600"))
API_RATE_PER_ADDRESS = int(env_str("UPPSIKT_API_RATE_PER_ADDRESS", "1200"))
# The residents' forms (uppsikt/feedback/), per client address and per hour: answers and
# comments to "Hade du nytta av innehållet på denna sida?", and reports of accessibility
# problems (the latter also per receipt address). 0 turns one off.
FEEDBACK_RATE_PER_ADDRESS = int(env_str("UPPSIKT_FEEDBACK_RATE_PER_ADDRESS", "30"))
ACCESSIBILITY_REPORT_RATE_PER_ADDRESS = int(
    env_str("UPPSIKT_ACCESSIBILITY_REPORT_RATE_PER_ADDRESS", "5")
)
# The cache: in each process's memory by default; a Redis URL (redis://host:6379/0, needs
# the redis package) shares it between processes and hosts, so the limits hold for all.
CACHE_URL = env_str("UPPSIKT_CACHE_URL")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Public pages as residents see them (uppsikt/lib/pagecache.py): in the same Redis when
    # there is one, else in files under var/cache/pages, which every process on the host
    # shares, so an edit is seen by all of them at once.
    "pages": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "pages",
        }
        if CACHE_URL
        else {
            "BACKEND": "uppsikt.lib.filecache.UncompressedFileBasedCache",
            "LOCATION": str(Path(env_str("UPPSIKT_PAGE_CACHE_DIR") or VAR_DIR / "cache" / "pages")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    ),
}
# How long a public page is kept at most; an edit makes every kept page old at once.
PAGE_CACHE_SECONDS = int(env_str("UPPSIKT_PAGE_CACHE_SECONDS", "600"))

# OpenID Connect: off unless UPPSIKT_OIDC_CLIENT_ID and the provider's endpoints are set.
OIDC_ENABLED = bool(env_str("UPPSIKT_OIDC_CLIENT_ID"))
OIDC_PROVIDER_NAME = env_str("UPPSIKT_OIDC_PROVIDER_NAME", "organisationens inloggning")
OIDC_RP_CLIENT_ID = env_str("UPPSIKT_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_secret("UPPSIKT_OIDC_CLIENT_SECRET") or ""
OIDC_RP_SIGN_ALGO = env_str("UPPSIKT_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("UPPSIKT_OIDC_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("UPPSIKT_OIDC_AUTHORIZATION_ENDPOINT")
# The ID token's ``iss`` must equal this; empty means the authorization endpoint's origin.
OIDC_OP_ISSUER = env_str("UPPSIKT_OIDC_ISSUER")
OIDC_OP_TOKEN_ENDPOINT = env_str("UPPSIKT_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("UPPSIKT_OIDC_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("UPPSIKT_OIDC_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env_str("UPPSIKT_OIDC_LOGOUT_ENDPOINT")
OIDC_CREATE_USER = env_bool("UPPSIKT_OIDC_CREATE_USERS", True)
OIDC_TIMEOUT = int(env_str("UPPSIKT_OIDC_TIMEOUT", "10"))
OIDC_USERNAME_ALGO = "uppsikt.accounts.oidc.username_for"
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("uppsikt.accounts.oidc.UppsiktOIDCBackend")

# Sessions: HttpOnly, SameSite, Secure behind HTTPS, and they end.
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(env_str("UPPSIKT_SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if SESSION_COOKIE_SECURE:
    SECURE_HSTS_SECONDS = int(env_str("UPPSIKT_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("UPPSIKT_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("UPPSIKT_HSTS_PRELOAD", False)
    SECURE_SSL_REDIRECT = env_bool("UPPSIKT_SSL_REDIRECT", False)
    # Monitoring may ask the app itself over plain HTTP (docs/operations.md).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if env_bool("UPPSIKT_TRUST_X_FORWARDED_PROTO", False):  # only behind a proxy that sets it
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The REST API: largest page, and the body size that API writes accept.
API_MAX_PAGE_SIZE = 500
API_MAX_BODY_BYTES = int(env_str("UPPSIKT_API_MAX_BODY_BYTES", str(DATA_UPLOAD_MAX_MEMORY_SIZE)))

# --- Running the year (issue 14): e-mail, reminders, attachments ---------------------------
# E-mail goes through Django's e-mail framework. With UPPSIKT_EMAIL_HOST set, over SMTP;
# without, messages are written as files under var/mail/ (nothing leaves the machine).
EMAIL_HOST = env_str("UPPSIKT_EMAIL_HOST", "")
EMAIL_PORT = int(env_str("UPPSIKT_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("UPPSIKT_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("UPPSIKT_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("UPPSIKT_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("UPPSIKT_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_float("UPPSIKT_EMAIL_TIMEOUT", 30.0)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("UPPSIKT_EMAIL_FROM", "Uppsikt <uppsikt@localhost>")
# Links in e-mails and calendar feeds are absolute: the address people reach Uppsikt at.
SITE_URL = env_str("UPPSIKT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Open data (opendata/, docs/opendata.md): the licence every dataset is published under (a
# URI; CC0 1.0 by default), and who publishes the DCAT-AP-SE catalogue and answers for it.
OPEN_DATA_LICENCE = env_str(
    "UPPSIKT_OPEN_DATA_LICENCE", "http://creativecommons.org/publicdomain/zero/1.0/"
)
OPEN_DATA_PUBLISHER = env_str("UPPSIKT_OPEN_DATA_PUBLISHER", "Uppsikt")
OPEN_DATA_CONTACT_EMAIL = env_str("UPPSIKT_OPEN_DATA_CONTACT_EMAIL", "oppnadata@localhost")
# Invitations by e-mail (accounts/invitations.py): how many days an invitation's link holds.
INVITATION_DAYS = int(env_str("UPPSIKT_INVITATION_DAYS", "14"))
# Kolada (kolada/client.py): the API's base address, how long one request may take, and how
# many times a failed request is tried again (with growing pauses) before the sync gives up.
KOLADA_URL = env_str("UPPSIKT_KOLADA_URL", "https://api.kolada.se/v3").rstrip("/")
KOLADA_TIMEOUT = float(env_str("UPPSIKT_KOLADA_TIMEOUT", "30"))
KOLADA_RETRIES = int(env_str("UPPSIKT_KOLADA_RETRIES", "4"))
# Reminders: how many days before a deadline the first reminder goes out.
REMINDER_DAYS_BEFORE = int(env_str("UPPSIKT_REMINDER_DAYS_BEFORE", "5"))
# Attachments on follow-up entries (PDF, DOCX, XLSX, PNG, JPEG, judged by their content).
ATTACHMENT_MAX_BYTES = int(env_str("UPPSIKT_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
