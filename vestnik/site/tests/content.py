"""Content shared by the site's page tests: a set-up site with one expert's blog and a country."""

from __future__ import annotations

from vestnik.articles.factories import expert_with_blog
from vestnik.articles.models import BlogPage
from vestnik.site.services import site_setup
from vestnik.vocabulary.models import Country


def site_with_blog_and_country() -> tuple[BlogPage, Country]:
    """The site tree, Ирина Соколова's blog and Kazakhstan, for articles to be filed under."""
    site_setup()
    blog = expert_with_blog("Ирина Соколова", "Ирины Соколовой")
    country = Country.objects.create(
        name_ru="Казахстан", name_en="Kazakhstan", slug="kz", iso_code="KZ"
    )
    return blog, country
