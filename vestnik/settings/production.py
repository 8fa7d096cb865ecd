"""Production: everything secret or site-specific comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403  (settings modules extend their base by design)
from .base import (
    CONTENT_SECURITY_POLICY,
    SECRET_KEY,
    VESTNIK_CORE_ADMIN_CONTENT_SECURITY_POLICY,
    env_bool,
    logging_config,
)

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Probes from the load balancer or systemd speak plain HTTP to the app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# JSON lines for the log collector; LOG_FORMAT=text for reading on a terminal.
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "json"))

if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Media (uploads, image renditions, article PDFs) in S3-compatible object
    # storage. The options come from the AWS_* variables, one by one in
    # vestnik/core/storage.py and docs/operations.md ("Object storage"):
    #   AWS_STORAGE_BUCKET_NAME   the bucket (this block is off without it)
    #   AWS_S3_ENDPOINT_URL       a non-AWS service, e.g. https://storage.yandexcloud.net
    #   AWS_S3_REGION_NAME, AWS_S3_ADDRESSING_STYLE ("path" for MinIO), AWS_LOCATION (key prefix)
    #   AWS_S3_CUSTOM_DOMAIN      the CDN / bucket domain put in page URLs; AWS_S3_URL_PROTOCOL
    #   AWS_QUERYSTRING_AUTH      off: media is public and signed URLs would break the page cache
    #   AWS_S3_FILE_OVERWRITE     off: an upload never replaces another file of the same name
    #   AWS_DEFAULT_ACL           "public-read" for buckets with ACLs; unset with a bucket policy
    #   AWS_S3_CACHE_CONTROL      default "public, max-age=31536000, immutable"
    # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the instance's role.
    # Static files stay with WhiteNoise/nginx on the app servers.
    from typing import Any

    from vestnik.core.storage import S3_BACKEND, s3_media_origins, s3_media_storage_options

    _media_storage: dict[str, Any] = {
        "BACKEND": S3_BACKEND,
        "OPTIONS": s3_media_storage_options(os.environ),
    }
    STORAGES = {
        "default": _media_storage,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    # Pictures, audio and video then come from the bucket's origin, not ours.
    _media_origins = s3_media_origins(_media_storage["OPTIONS"])
    for _directives in (
        CONTENT_SECURITY_POLICY["DIRECTIVES"],
        VESTNIK_CORE_ADMIN_CONTENT_SECURITY_POLICY,
    ):
        for _name in ("img-src", "media-src"):
            _directives[_name] = [*_directives[_name], *_media_origins]
VESTNIK_CORE_SERVE_MEDIA = env_bool("VESTNIK_SERVE_MEDIA", False)
# Publications' PDFs: the download view counts a download, then nginx sends the
# file from its internal /internal-media/ location (deploy/nginx/vestnik-media.conf).
# Where Django serves media itself, or media is in object storage, Django streams it.
VESTNIK_PUBLICATIONS_X_ACCEL_PREFIX = (
    ""
    if VESTNIK_CORE_SERVE_MEDIA or os.environ.get("AWS_STORAGE_BUCKET_NAME")
    else os.environ.get("VESTNIK_X_ACCEL_MEDIA_PREFIX", "/internal-media/")
)

# Background work (insight extraction, Wagtail's index updates, cache purges) goes
# to a queue in the database, run by `manage.py db_worker` (vestnik-worker.service,
# runbook in docs/operations.md). Transient failures are retried (core.tasks); every
# run and its error is listed in the admin under Reports → «Фоновые задачи».
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]  # noqa: F405
TASKS = {
    "default": {
        "BACKEND": os.environ.get("VESTNIK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
