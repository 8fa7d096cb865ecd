"""The settings every benchmark server runs: production, plus the stock Wagtail baseline app.

`bench.stock_wagtail` is the fair baseline of the page benchmarks (a stock
Wagtail article beside ours); it is installed here and nowhere in `vestnik/settings`.
"""

from vestnik.settings.production import *  # noqa: F403  (extends the measured settings)
from vestnik.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.stock_wagtail"]
