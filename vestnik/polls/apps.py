from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "vestnik.polls"
    label = "polls"
    verbose_name = _("Polls")

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.polls import signal_handlers

        signal_handlers.register()
