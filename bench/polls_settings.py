"""Settings of the server `bench/polls_ballots.py` measures: production, behind a local proxy."""

from vestnik.settings.production import *  # noqa: F403  (extends the measured settings)

# The load generator plays the reverse proxy: it sends X-Forwarded-For, so the
# rate window sees many client addresses, as it does in production behind nginx.
VESTNIK_CORE_TRUSTED_PROXIES = ["127.0.0.1/32"]
# No collectstatic in this bench; the vote endpoint renders no static URLs anyway.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
