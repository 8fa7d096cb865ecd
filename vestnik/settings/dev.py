"""Local development: `make run`. Debug on, a fixed local key, loopback only."""

from .base import *  # noqa: F403  (settings modules extend their base by design)
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = "vestnik-development-key-not-for-production"  # noqa: S105 (local only)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The manifest storage needs collectstatic; plain storage serves straight from static/.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
