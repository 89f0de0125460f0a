"""sosvet settings, read from the environment (django-environ).

Every value that differs between a developer's machine and production comes from an
environment variable; see README.md, section "Operations", for the list.
"""

import datetime
import tempfile
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# An optional .env file beside manage.py (never committed) is read for local overrides.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The secret key is required in production; a fixed development key is used only when
# DEBUG is on (make run) so that the two quick-start commands need no configuration.
SECRET_KEY = env.str("SECRET_KEY", default="") or (
    "dev-only-insecure-key-do-not-use-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set SECRET_KEY in the environment (or DEBUG=1 for development).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base URL used in e-mails and feeds (links must work outside a request).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # First: its ready() gives every form field the control-character check before any
    # forms module is imported; then the admin site that requires two-factor sign-in.
    "sosvet.security.apps.SecurityConfig",
    "sosvet.security.apps.SosvetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "sosvet",
    "councils",
    "sessions.apps.CouncilSessionsConfig",
    "reports",
]

MIDDLEWARE = [
    # First: request id and one structured log line per request (sosvet/logs.py).
    "sosvet.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sosvet.middleware.SlovenianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor sign-in: request.user.is_verified(), then the code page until it is.
    "django_otp.middleware.OTPMiddleware",
    "sosvet.security.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts for one
# username from one address, sign-in is blocked until the cool-off has passed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sosvet.views.locked_out"
AXES_VERBOSE = False

ROOT_URLCONF = "sosvet.urls"

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
                "sosvet.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "sosvet.wsgi.application"

# Database: no DATABASE_URL → SQLite file beside manage.py; postgres://… → psycopg2.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str(
        "TEST_DATABASE_NAME", default="test_sosvet"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)

# Two-factor authentication (django-otp, sosvet/security/): optional for every user (an
# authenticator app, TOTP, plus single-use backup codes); with REQUIRE_2FA_FOR_STAFF
# compulsory for site administrators and for everyone who manages a council.
REQUIRE_2FA_FOR_STAFF = env.bool("REQUIRE_2FA_FOR_STAFF", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="sosvet")
# After a wrong code the next try must wait 1, 2, 4, 8 … seconds (× the factor).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Django admin lists users' devices (to remove a lost phone) but never their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Languages: Slovenian by default, English complete.
LANGUAGE_CODE = "sl"
LANGUAGES = [("sl", _("Slovenian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["sosvet.formats"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Ljubljana")
USE_TZ = True

# Static files: the project's own under static/, third-party assets from packages
# (Bootstrap from xstatic-bootstrap), all served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")


def _bootstrap_dir() -> str:
    import xstatic.pkg.bootstrap as xbootstrap

    return xbootstrap.BASE_DIR


STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", _bootstrap_dir())]
# Uploaded files: MEDIA_ROOT on this server (or a shared mount), or, with
# STORAGE_BACKEND=s3, a private bucket of any S3-compatible service (django-storages).
# Either way they are served only by the permission-checking views, which stream them
# from the storage; nothing links to the bucket and no signed URL is ever handed out.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default="media"),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            # Private objects; never overwrite a file with the same name.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("STORAGE_BACKEND must be 'filesystem' or 's3'.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env.bool("MANIFEST_STATIC", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files (logos, attachments) live outside the web root and are served by
# views that check permissions, never directly by the web server.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: EMAIL_URL (smtp://user:pass@host:port, smtp+tls://…, consolemail://) or the
# individual settings.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://127.0.0.1:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="sosvet <noreply@sosvet.localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Background tasks (Django's tasks API through the django-tasks backport). Production:
# the database backend with `manage.py db_worker`; make run and tests: immediate.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Caches. The default one is each process's memory, as Django's default. The indicator
# section cache (councils/public_indicators.py) keeps the rendered safety-indicator section
# of the councils' public pages (the charts and their tables) under a key made of
# everything the section shows: a change shows at once, so nothing expires by time.
# INDICATOR_SECTION_CACHE=0 turns it off. By default it is a directory shared by all the
# server's workers; INDICATOR_SECTION_CACHE_URL puts it elsewhere (another directory,
# redis://… shared by several servers, locmemcache:// in each process's memory).
INDICATOR_SECTION_CACHE = env.bool("INDICATOR_SECTION_CACHE", default=True)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "indicator_sections": {
        **env.cache_url(
            "INDICATOR_SECTION_CACHE_URL",
            default=f"filecache://{Path(tempfile.gettempdir()) / 'sosvet-indicator-sections'}"
            "?max_entries=2000",
        ),
        "TIMEOUT": None,
    },
}

# Security headers. Production values come from DEBUG being off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind the proxy, sign-in throttling counts by the proxy's X-Real-IP (sosvet/proxy.py).
AXES_CLIENT_IP_CALLABLE = "sosvet.proxy.client_ip"
# django-csp: nothing from third-party hosts, no inline scripts or styles.
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
    }
}

# Logs: one JSON object per line on stdout in production (LOG_FORMAT=json, the default
# when DEBUG=0), readable text in development; request id, path, status and user id on
# every record of a request; tokens in URLs redacted (sosvet/logs.py).
from .logs import logging_config  # noqa: E402

LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))

# Health endpoint (/health/): the background worker (`manage.py worker`) records a
# heartbeat every WORKER_HEARTBEAT_SECONDS; /health/ answers 503 when the newest is older
# than HEALTH_WORKER_MAX_AGE_SECONDS. Probes may call it over plain HTTP.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=30)
HEALTH_WORKER_MAX_AGE_SECONDS = env.int("HEALTH_WORKER_MAX_AGE_SECONDS", default=120)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Upload limits.
LOGO_MAX_BYTES = 1024 * 1024
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Outbox delivery: attempts before a delivery is marked failed, first retry delay (s).
DELIVERY_MAX_ATTEMPTS = env.int("DELIVERY_MAX_ATTEMPTS", default=5)
DELIVERY_RETRY_SECONDS = env.int("DELIVERY_RETRY_SECONDS", default=60)
# Personal RSVP links stay valid this many days.
RSVP_LINK_MAX_AGE_DAYS = env.int("RSVP_LINK_MAX_AGE_DAYS", default=120)
# Retention (councils.privacy.retention_prune, `manage.py prune_retention`): the texts of
# e-mails sent (and their delivery errors) are emptied after RETENTION_DELIVERY_DAYS;
# sign-in records (audit log, django-axes logs) are removed after RETENTION_SIGNIN_DAYS.
RETENTION_DELIVERY_DAYS = env.int("RETENTION_DELIVERY_DAYS", default=365)
RETENTION_SIGNIN_DAYS = env.int("RETENTION_SIGNIN_DAYS", default=365)
# Named on the privacy page (/zasebnost/): who runs this installation, and the
# data-protection contact (both optional).
PRIVACY_OPERATOR = env.str("PRIVACY_OPERATOR", default="")
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="")
