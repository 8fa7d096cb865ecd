from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "vestnik.articles"
    label = "articles"

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.articles import indexing, signal_handlers

        signal_handlers.register()
        indexing.register()
