from django.apps import AppConfig


class AuthorsConfig(AppConfig):
    name = "vestnik.authors"
    label = "authors"

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.authors import signal_handlers

        signal_handlers.register()
