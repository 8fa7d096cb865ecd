"""Django permissions by their dotted label, the way settings and docs name them."""

from __future__ import annotations

from django.contrib.auth.models import Permission


def permission(label: str) -> Permission:
    """«wagtailcore.change_page» → that `Permission` row (its app label and codename)."""
    app_label, codename = label.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)
