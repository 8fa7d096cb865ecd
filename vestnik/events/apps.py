from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "vestnik.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.core.pages import page_context_register
        from vestnik.events import indexing, signal_handlers
        from vestnik.events.context import event_page_context
        from vestnik.events.models import EventPage

        page_context_register(EventPage, event_page_context)
        signal_handlers.register()
        indexing.register()
