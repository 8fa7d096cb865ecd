from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "vestnik.discovery"
    label = "discovery"

    def ready(self) -> None:
        from vestnik.discovery import signal_handlers

        signal_handlers.register()
