"""Settings of the servers the fault tests start: production, minus collectstatic.

Everything else is `vestnik.settings.production`, read from the same
environment a deployment sets. Only static file names differ: hashing and
compressing every static file (`collectstatic`) would take most of the tests'
time budget and has nothing to do with the faults they inject.
"""

from vestnik.settings.production import *  # noqa: F403  (extends the settings under test)

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
