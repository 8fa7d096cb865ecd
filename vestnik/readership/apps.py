from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadershipConfig(AppConfig):
    name = "vestnik.readership"
    label = "readership"
    verbose_name = _("Readership")

    def ready(self) -> None:
        # Models are importable only once the registry is ready, hence here.
        from vestnik.articles.models import ArticlePage
        from vestnik.core.pages import page_context_register
        from vestnik.readership.most_read import most_read_context

        # «Самое читаемое» in the article's aside (articles know nothing of readership).
        page_context_register(ArticlePage, most_read_context)
