from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "vestnik.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.core import signal_handlers
        from vestnik.core.client_address import check_trusted_proxies

        signal_handlers.register()
        checks.register(check_trusted_proxies)
