"""Template filters for Russian typography, available in every template."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from vestnik.core.typography import number_grouped, typograph_html, typograph_text

register = template.Library()


@register.filter(is_safe=True)
def typograph(value: object) -> str:
    """`{{ text|typograph }}` for plain text; HTML that is already safe keeps its markup."""
    if value is None:
        return ""
    if isinstance(value, SafeString) or hasattr(value, "__html__"):
        return mark_safe(typograph_html(str(value)))  # noqa: S308 (only text nodes change)
    return typograph_text(str(value))


@register.filter
def grouped(value: object) -> str:
    """`{{ views|grouped }}`: a count with its thousands grouped for the active language."""
    if value is None or value == "":
        return ""
    try:
        return number_grouped(int(str(value)))
    except ValueError:
        return str(value)
