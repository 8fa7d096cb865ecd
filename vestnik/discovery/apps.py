from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "vestnik.discovery"
    label = "discovery"

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.discovery import signal_handlers

        signal_handlers.register()
