from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from vestnik.vocabulary.admin_views import vocabulary_autocomplete
from vestnik.vocabulary.models import Country, Region, Topic


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "globe"
    list_display = ["name_ru", "name_en", "iso_code"]
    search_fields = ["name_ru", "name_en", "iso_code"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name_ru", "name_en"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name_ru", "name_en"]


class VocabularyGroup(SnippetViewSetGroup):
    items = (CountryViewSet, RegionViewSet, TopicViewSet)
    menu_icon = "tag"
    menu_label = _("Vocabulary")
    menu_name = "vocabulary"


register_snippet(VocabularyGroup)


@hooks.register("register_admin_urls")
def register_vocabulary_urls() -> list[URLPattern]:
    # Admin URLs are wrapped in Wagtail's admin-access check.
    return [
        path(
            "vocabulary/<str:kind>/autocomplete/",
            vocabulary_autocomplete,
            name="discovery_vocabulary_autocomplete",
        )
    ]
