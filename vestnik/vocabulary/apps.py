from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabularyConfig(AppConfig):
    name = "vestnik.vocabulary"
    label = "vocabulary"
    verbose_name = _("Vocabulary")

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.vocabulary import signal_handlers

        signal_handlers.register()
