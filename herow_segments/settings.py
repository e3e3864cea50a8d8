"""Settings for herow_segments, read from the environment.

Without any environment the project runs for development: DEBUG on, SQLite
and a Celery broker on the local filesystem. DATABASE_URL and REDIS_URL
switch to PostgreSQL and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)


def required_when_live(name: str, development_default):
    """Return the variable, or the development default when DEBUG is on."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return development_default
    raise ImproperlyConfigured(
        f"The environment variable {name} must be set when DEBUG is off."
    )


SECRET_KEY = required_when_live(
    "SECRET_KEY", "development-only-key-not-for-production-use-0123456789abcdef"
)
ALLOWED_HOSTS = [
    host.strip()
    for host in required_when_live("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "drf_spectacular",
    "herow_segments.accounts",
    "segments",
    "events",
    "campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "herow_segments.accounts.middleware.CurrentCompanyMiddleware",
]

if not DEBUG:
    # Serves the collected /static/ from the application server, so no other
    # web server is needed in front of gunicorn. runserver serves them in
    # development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "herow_segments.urls"
WSGI_APPLICATION = "herow_segments.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "herow_segments.accounts.context_processors.current_company",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'herow_segments.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates the file but not its folder.
    VAR_DIR.mkdir(exist_ok=True)
    # WAL and immediate transactions let the web server and the worker write
    # to one SQLite file without "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A test database in a file, not in memory, can be shared by the threads
    # of the live server and the worker; one per process keeps two test runs
    # apart.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", 60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"  # noqa: E501
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "segments:segment-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
USE_I18N = False
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
STATIC_MANIFEST = Path(STATIC_ROOT) / "staticfiles.json"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads of any size go to a temporary file, never to memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
IMPORT_ERROR_SAMPLE_SIZE = 100

# Celery: Redis when REDIS_URL is set, otherwise a broker on the filesystem
# that needs no server.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    _broker_folder = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_folder / "queue"),
        "data_folder_out": str(_broker_folder / "queue"),
        "processed_folder": str(_broker_folder / "processed"),
        "control_folder": str(_broker_folder / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "reset-stuck-imports": {
        "task": "segments.tasks.reset_stuck_imports_task",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "purge-old-events": {
        "task": "events.tasks.purge_old_events_task",
        "schedule": 86_400.0,
        "options": {"expires": 3_600},
    },
    "purge-idempotent-requests": {
        "task": "herow_segments.accounts.tasks.purge_idempotent_requests_task",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}
# An import whose worker died is retried after this many seconds of silence.
IMPORT_STUCK_AFTER_SECONDS = env.int("IMPORT_STUCK_AFTER_SECONDS", default=900)

# Location events: a stay longer than the cap counts as the cap; events dated
# further ahead than the tolerance are refused; older ones are purged.
VISIT_MAX_DURATION = timedelta(
    seconds=env.int("VISIT_MAX_DURATION_SECONDS", default=12 * 3600)
)
EVENT_FUTURE_TOLERANCE = timedelta(
    seconds=env.int("EVENT_FUTURE_TOLERANCE_SECONDS", default=300)
)
EVENT_RETENTION_DAYS = env.int("EVENT_RETENTION_DAYS", default=400)
EVENT_BATCH_MAX_ITEMS = 1_000
PLACE_IMPORT_MAX_ROWS = env.int("PLACE_IMPORT_MAX_ROWS", default=50_000)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "herow_segments.api.schema.ApiAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "herow_segments.api.errors.handle_exception",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HEROW Segments API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Segments, their members and imports for other systems. Authenticate "
        "with `Authorization: Bearer <key>` (or `X-API-Key: <key>`); create "
        "keys under Settings > API > API Keys."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "IdTypeEnum": "segments.parsing.ID_TYPES",
    },
}

# The API: requests per key and minute, the largest JSON body, and how long
# the answer to a request with an Idempotency-Key is replayed.
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=600)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=4 * 1024 * 1024)
API_IDEMPOTENCY_TTL_SECONDS = 24 * 3600

# The rate limit counts in this cache: Redis when REDIS_URL is set, so that
# every process shares the counts.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "herow",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOG_LEVEL = env.str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {
        "one_line_client_errors": {"()": "herow_segments.logs.OneLineClientErrors"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["one_line_client_errors"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler (DEBUG only) would print each of its
        # records a second time beside the root's.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}
