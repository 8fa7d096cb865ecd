from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "vestnik.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.api import signal_handlers

        signal_handlers.register()
