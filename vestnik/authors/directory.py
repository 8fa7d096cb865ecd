"""Where experts' profiles are: the URL of the experts directory page.

The directory is a page type on the top floor (`site.ExpertIndexPage`), which
lists articles too, so this floor cannot import it. It finds the page by what
the page type declares instead: `serves_expert_profiles = True`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import cache

from wagtail.models import Page, get_page_models

from vestnik.core.locales import content_language, in_language
from vestnik.core.page_cache import current_generation
from vestnik.core.selectors import visible_to_public

if TYPE_CHECKING:
    from vestnik.authors.models import Expert


def _directory_page_models() -> list[type[Page]]:
    return [model for model in get_page_models() if getattr(model, "serves_expert_profiles", False)]


def experts_directory_url() -> str:
    """The experts directory's URL in the active language, cached until content changes.

    Every byline and expert card links to a profile; without the cache each one
    would cost a query.
    """
    language = content_language()
    key = f"vestnik:experts-directory-url:{current_generation()}:{language}"
    url = cache.get(key)
    if url is None:
        models = _directory_page_models()
        directory = (
            visible_to_public(in_language(Page.objects.type(*models), language)).first()
            if models
            else None
        )
        url = directory.url if directory is not None and directory.url else ""
        cache.set(key, url, timeout=None)
    return str(url)


def expert_profile_url(expert: Expert) -> str | None:
    directory_url = experts_directory_url()
    return f"{directory_url}{expert.slug}/" if directory_url else None
