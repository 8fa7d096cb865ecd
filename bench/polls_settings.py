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
# The baseline the table compares Vestnik's vote with (bench/minimal_vote/): its
# tables, and a URLconf that puts its view before Vestnik's own URLs.
INSTALLED_APPS = [*INSTALLED_APPS, "bench.minimal_vote"]  # noqa: F405
ROOT_URLCONF = "bench.minimal_vote.urls"
