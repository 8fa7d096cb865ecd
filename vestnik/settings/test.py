"""Test settings: fast and deterministic, on SQLite unless DATABASE_URL says otherwise."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403  (settings modules extend their base by design)
from .base import DATABASES

SECRET_KEY = "vestnik-test-key"  # noqa: S105 (tests only)
DEBUG = False
ALLOWED_HOSTS = ["*"]
# The task queue's table exists in the test database so tests can switch TASKS to it.
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]  # noqa: F405
# MD5 makes creating test users a hundred times faster; never used outside tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests must not depend on collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise warns about a missing STATIC_ROOT; tests never collect static files.
STATIC_ROOT = Path(tempfile.gettempdir()) / "vestnik-test-static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("VESTNIK_TEST_MEDIA_ROOT", "/tmp/vestnik-test-media"))  # noqa: S108
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # In-memory databases keep the suite fast; pytest-django shares one across
    # threads for live_server browser tests.
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {"NAME": ":memory:"},
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The default site answers as localhost, as Wagtail's own default site does.
WAGTAILADMIN_BASE_URL = "http://localhost"
# Tests change the search index inside transactions whose on-commit callbacks
# (which end cached search answers) never run; the cache's own tests turn it on.
VESTNIK_SEARCH_CACHE_SECONDS = 0
# The test client makes every request from one address, far more than a reader's
# rate a minute; the API's rate-limit tests set their own.
VESTNIK_API_ANON_RATE = 0
