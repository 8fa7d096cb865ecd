from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "vestnik.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.insights import signal_handlers

        signal_handlers.register()
