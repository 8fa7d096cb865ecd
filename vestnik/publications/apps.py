from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "vestnik.publications"
    label = "publications"
    verbose_name = _("Publications")

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.publications import indexing, signal_handlers

        signal_handlers.register()
        indexing.register()
