"""Links to country, region and topic pages."""

from __future__ import annotations

from django import template

from vestnik.discovery.selectors import term_url as build_term_url
from vestnik.vocabulary.models import VocabularyTerm

register = template.Library()


@register.filter
def term_url(term: VocabularyTerm) -> str:
    return build_term_url(term)
