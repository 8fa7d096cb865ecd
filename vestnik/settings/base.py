"""Production-safe base settings.

Everything that differs between machines comes from the environment; dev and
test settings relax this module, production tightens it.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wagtail.embeds.oembed_providers import vimeo, youtube

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("VESTNIK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "vestnik.core",
    "vestnik.vocabulary",
    "vestnik.authors",
    "vestnik.articles",
    "vestnik.publications",
    "vestnik.events",
    "vestnik.discovery",
    "vestnik.polls",
    "vestnik.importers",
    "vestnik.insights",
    "vestnik.newsletters",
    "vestnik.readership",
    "vestnik.site",
    "vestnik.api",
    # Translating pages segment by segment, PO files for outside translators
    # (docs/translations.md); its `locales` app is the admin's Languages screen.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    # The API docs page: Swagger UI served from our static files, never a CDN.
    "ninja",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so the request id is in every later log line and on every response.
    "vestnik.core.request_id.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vestnik.core.db_outage.DatabaseOutageMiddleware",
    # One read of the content generation per reading request (vestnik/core/page_cache.py).
    "vestnik.core.middleware.ContentGenerationMiddleware",
    "vestnik.core.middleware.AnonymousPageCacheMiddleware",
    # After the page cache, so a hit pays nothing for it (vestnik/core/routing.py).
    "vestnik.core.routing.CachedSiteMiddleware",
    # Inside the page cache, so a cached page keeps the header (and nonce) it was
    # rendered with; outside everything that renders (vestnik/core/csp.py).
    "vestnik.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Reverse proxies whose X-Forwarded-For names the client (vestnik/core/client_address.py):
# addresses or CIDR networks, comma-separated. Empty: the connecting peer is the client.
# Behind the shipped nginx: 127.0.0.1,::1 (deploy/env.example), or every reader shares
# nginx's address in the polls' rate window and the admin login throttle.
VESTNIK_CORE_TRUSTED_PROXIES = env_list("VESTNIK_TRUSTED_PROXIES")

ROOT_URLCONF = "vestnik.urls"
WSGI_APPLICATION = "vestnik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            "builtins": ["vestnik.core.templatetags.typography"],
        },
    },
]

# The embedded default is one SQLite file; DATABASE_URL selects PostgreSQL.
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'vestnik.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; synchronous=FULL keeps
    # every acknowledged commit (a ballot, a publish) across a power cut.
    # IMMEDIATE transactions take the write lock up front, so concurrent
    # writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# The login throttle (django-axes, vestnik/core/login_throttle.py, docs/security.md):
# 5 wrong passwords for one username from one address lock that pair out for an
# hour; an editor can lift it in the admin (Reports). The address is the polls' one,
# read through VESTNIK_TRUSTED_PROXIES, so behind nginx one stranger cannot lock
# every editor out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "vestnik.core.client_address.client_ip"
AXES_LOCKOUT_CALLABLE = "vestnik.core.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The hour counts from the lockout: more wrong passwords during it do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Russian first, with a full English translation of the interface.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Pages, shared data and sessions in Redis; if Redis goes away the site keeps
    # serving, uncached (vestnik/core/cache.py). Sessions are written through to
    # the database, so signed-in editors stay signed in when Redis is lost.
    CACHES = {
        "default": {
            "BACKEND": "vestnik.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "vestnik",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "vestnik",
        }
    }

# Background tasks (django-tasks; Wagtail 7.4 enqueues its own reference-index and
# image tasks on the "default" backend, insights extraction too). By default they run
# in-process; production names a queueing backend, e.g. VESTNIK_TASKS_BACKEND=
# django_tasks_db.DatabaseBackend with "django_tasks_db" installed and a worker running
# `manage.py db_worker` (docs/insights.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "VESTNIK_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# E-mail (vestnik/core/mail.py; docs/operations.md). With EMAIL_HOST set, Django's
# SMTP backend sends through that server; without it messages are printed to the
# log, so a machine with no mail server loses nothing silently. Sending runs in
# the task worker (`core.mail.email_send_task`), retried on passing SMTP errors.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587" if env_bool("EMAIL_USE_TLS") else "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Вестник <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Newsletters (vestnik/newsletters/conf.py, docs/newsletters.md): every
# VESTNIK_NEWSLETTERS_* variable of the environment (SEND_RATE, BATCH_SIZE,
# LEASE_SECONDS, MAX_FAILURES, ALERT_HOUR, FROM…) overrides its default.
globals().update(
    {name: value for name, value in os.environ.items() if name.startswith("VESTNIK_NEWSLETTERS_")}
)

# Readership (vestnik/readership/conf.py, docs/readership.md): every
# VESTNIK_READERSHIP_* variable (VIEW_LOG, REDIS_URL, MOST_READ_DAYS, …) overrides its default.
globals().update(
    {name: value for name, value in os.environ.items() if name.startswith("VESTNIK_READERSHIP_")}
)

# The JSON API (vestnik/api/throttle.py, docs/api.md): requests a minute one client
# address may make; 0 turns the limit off.
VESTNIK_API_ANON_RATE = int(os.environ.get("VESTNIK_API_ANON_RATE", "120"))

# Seconds Wagtail's routing (site, path -> page, view restrictions) is remembered at most;
# publishing moves it on sooner; 0 routes every request the way stock Wagtail does.
VESTNIK_CORE_ROUTING_CACHE_SECONDS = int(os.environ.get("VESTNIK_ROUTING_CACHE_SECONDS", "3600"))
# Seconds an anonymous page stays in the page cache; publishing invalidates it sooner.
VESTNIK_CORE_PAGE_CACHE_SECONDS = int(os.environ.get("VESTNIK_PAGE_CACHE_SECONDS", "600"))
# VESTNIK_PAGE_CACHE=off renders every page (benchmarks of the uncached path, debugging).
VESTNIK_CORE_PAGE_CACHE_ENABLED = os.environ.get("VESTNIK_PAGE_CACHE", "on").lower() != "off"
# Search answers (counts, facets, one page) per query, in the content generation;
# 0 turns the cache off (docs/search.md).
VESTNIK_SEARCH_CACHE_SECONDS = int(os.environ.get("VESTNIK_SEARCH_CACHE_SECONDS", "300"))

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Every response says `X-Content-Type-Options: nosniff` (SecurityMiddleware): a
# browser takes a file for its declared type, never runs text that looks like
# HTML. Django's default, named here so that no settings module drops it
# unnoticed; nginx says the same for the files it serves (deploy/nginx/vestnik.conf).
SECURE_CONTENT_TYPE_NOSNIFF = True

WAGTAIL_SITE_NAME = os.environ.get("VESTNIK_SITE_NAME", "Вестник")
# The name the English site goes by; empty: the Russian name in Latin letters.
VESTNIK_SITE_NAME_EN = os.environ.get("VESTNIK_SITE_NAME_EN", "")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "core.VestnikImage"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# Documents always go through Wagtail's view (/documents/<id>/<name>), which
# checks the collection's privacy (a password, a login) before sending the file;
# "redirect" would hand out the storage's public URL, and nginx and the embedded
# media serving refuse /media/documents/ (vestnik/urls.py, deploy/nginx/).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
# Content in two languages: each page has a locale, and a translation shares its
# source's `translation_key` (docs/translations.md). The English tree holds only
# real translations: no synchronised aliases of Russian pages under /en/.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A translation made in the admin is managed segment by segment: when its source
# changes, «Sync translated pages» brings the new segments in for translators.
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "synced"
# A new translation starts as a draft, whatever its source's state: wagtail-localize
# would otherwise publish a live article's translation at once, its untranslated
# segments still in Russian, under /en/.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# The dashboard's "new Wagtail release" check is a call from every editor's browser to
# releases.wagtail.org; the admin's Content-Security-Policy allows no outside calls, and
# upgrades go through requirements*.txt anyway.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Embeds in article bodies come from the video players the policy below lets in, and
# no others: any other provider's player (or its script) would be blocked on the page.
WAGTAILEMBEDS_FINDERS = [{"class": "wagtail.embeds.finders.oembed", "providers": [youtube, vimeo]}]
_EMBED_FRAME_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]

# Content-Security-Policy (django-csp, vestnik/core/csp.py, docs/security.md).
# Scripts only from our origin, inline ones only with this response's nonce.
# Styles allow inline: a few style attributes carry computed sizes (a poll's bars,
# a chart's width) and CSS cannot run code.
_CSP_DIRECTIVES: dict[str, Any] = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "media-src": [SELF],
    "frame-src": [SELF, *_EMBED_FRAME_ORIGINS],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [SELF],
    "form-action": [SELF],
}
CONTENT_SECURITY_POLICY: dict[str, Any] = {"DIRECTIVES": _CSP_DIRECTIVES}
# Wagtail's admin still has inline scripts without a nonce (date pickers, inline
# panels), so there 'unsafe-inline' replaces the nonce; blob: is the image upload preview.
VESTNIK_CORE_ADMIN_CONTENT_SECURITY_POLICY: dict[str, Any] = {
    **_CSP_DIRECTIVES,
    "script-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
}
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"
# No Gravatar in the admin: each avatar would be a request to gravatar.com that
# carries a hash of the editor's e-mail address (and a broken image offline).
# Editors without an uploaded avatar get Wagtail's own default picture.
WAGTAIL_GRAVATAR_PROVIDER_URL = None


def logging_config(log_format: str) -> dict[str, Any]:
    """Everything to stderr, one line per record: JSON lines or text for a terminal.

    Each line carries the request id (vestnik/core/request_id.py); the process
    manager (systemd's journal, docker) collects stderr.
    """
    if log_format not in {"json", "text"}:
        raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'text', not {log_format!r}.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "vestnik.core.logging.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "vestnik.core.logging.JsonFormatter"},
            "text": {"()": "vestnik.core.logging.TextFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": log_format,
            }
        },
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {
            # Django's own handlers (a DEBUG-only console, mail to ADMINS) are
            # replaced by the root handler, so every line has one format.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # runserver's own access lines would repeat vestnik.request's.
            "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
            "django.db.backends": {"level": "INFO"},
            # Wagtail logs every page action and background task at INFO; keep the console readable.
            "wagtail": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
            "modelsearch": {"level": "WARNING"},
            # WeasyPrint logs every step of a PDF rendering at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # pymorphy3 (core.morphology) logs loading its dictionary at INFO.
            "pymorphy3": {"level": "WARNING"},
            # django-axes announces its configuration at INFO on every start.
            "axes": {"level": "WARNING"},
        },
    }


# LOG_FORMAT=json writes JSON lines (production's default), text is for a terminal.
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "text"))

FORMAT_MODULE_PATH = ["vestnik.formats"]
VESTNIK_CORE_SERVE_MEDIA = env_bool("VESTNIK_SERVE_MEDIA", True)
# Nobody publishes text they wrote or last edited without another editor's
# approval (docs/security.md, "Review"); a site with one editor turns it off.
VESTNIK_REVIEW_REQUIRED = env_bool("VESTNIK_REVIEW_REQUIRED", True)

# The front cache (nginx, docs/operations.md): where purges go. Several comma-separated
# URLs when several nginx hosts each keep a cache; unset, nothing is recorded or purged.
# Purges end a page's life in nginx; this bounds it should a purge ever be lost.
VESTNIK_CORE_FRONT_CACHE_SECONDS = int(os.environ.get("VESTNIK_FRONT_CACHE_SECONDS", "3600"))
WAGTAILFRONTENDCACHE = {
    f"nginx-{number}": {
        "BACKEND": "vestnik.core.front_cache.NginxPurgeBackend",
        "LOCATION": location,
    }
    for number, location in enumerate(env_list("VESTNIK_FRONT_CACHE_PURGE_URLS"))
}
