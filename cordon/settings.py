"""Django settings for Cordon, all taken from the environment (see README, "Configuration").

CORDON_DATA_DIR        where the SQLite database, the secret key and collected static files live
                       (default ./cordon-data)
CORDON_DATABASE_URL    a database URL (postgres://...); default: SQLite in the data directory
CORDON_SECRET_KEY      default: generated once into the data directory
CORDON_ALLOWED_HOSTS   comma-separated; default: 127.0.0.1,localhost,[::1]
CORDON_DEBUG           off unless set to 1/true/yes/on
CORDON_TIME_ZONE       server default timezone (each operation has its own); default Asia/Shanghai
CORDON_MAP_TILES       a tile URL template for the map (default: none; zones still draw)
CORDON_CACHE           "memory" (default: each server process keeps busy pages) or "none"
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("CORDON_DATA_DIR", "cordon-data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in the data directory."""
    if key := os.environ.get("CORDON_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Written with O_EXCL so two processes starting together cannot both write a key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("CORDON_DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CORDON_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CORDON_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "cordon.accounts",
    "cordon.operations",
    "cordon.sites",
    "cordon.deployment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cordon.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cordon.urls"
WSGI_APPLICATION = "cordon.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "operations:overview"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "django.template.context_processors.i18n",
                "cordon.accounts.context_processors.cordon",
            ],
        },
    },
]


def _databases() -> dict:
    url = os.environ.get("CORDON_DATABASE_URL")
    if url:
        return {"default": dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "cordon.sqlite3",
            "OPTIONS": {
                # WAL lets pages read while a planning job writes; IMMEDIATE transactions take
                # the write lock up front so concurrent writers wait instead of failing.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }


DATABASES = _databases()

# Per process; cached rosters and map data are keyed by the operation's data stamp
# (deployment/caching.py), so a process never serves a copy older than the data.
_CACHE_BACKENDS = {
    "memory": "django.core.cache.backends.locmem.LocMemCache",
    "none": "django.core.cache.backends.dummy.DummyCache",
}
_cache = os.environ.get("CORDON_CACHE", "memory").strip().lower()
if _cache not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(f"CORDON_CACHE must be one of {', '.join(_CACHE_BACKENDS)}")
CACHES = {"default": {"BACKEND": _CACHE_BACKENDS[_cache], "OPTIONS": {"MAX_ENTRIES": 2000}}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("CORDON_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if _flag("CORDON_STATIC_FINDERS"):
    # Tests and development: serve straight from the apps' static folders, no collectstatic.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# django-axes: five failed logins for one username lock it for fifteen minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("CORDON_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The lock-out is per account, as the operation asks: keying it on the address as well would lock
# out every officer behind a station's shared NAT address after one person's typing errors.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

NINJA_PAGINATION_PER_PAGE = 50
# The planner's time budget (seconds) for a plan and for a repair, and its CP-SAT workers.
CORDON_PLAN_TIME_LIMIT = float(os.environ.get("CORDON_PLAN_TIME_LIMIT", "60"))
CORDON_REPAIR_TIME_LIMIT = float(os.environ.get("CORDON_REPAIR_TIME_LIMIT", "4"))
CORDON_PLAN_WORKERS = int(os.environ.get("CORDON_PLAN_WORKERS", str(min(2, os.cpu_count() or 1))))
CORDON_MAP_TILES = os.environ.get("CORDON_MAP_TILES", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"cordon": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
