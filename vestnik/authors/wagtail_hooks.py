from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from vestnik.authors.models import Expert


class ExpertViewSet(SnippetViewSet):
    model = Expert
    icon = "user"
    menu_label = _("Experts")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["full_name", "position", "affiliation"]
    search_fields = ["full_name", "affiliation"]


register_snippet(ExpertViewSet)
