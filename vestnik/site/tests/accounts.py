"""Builders of admin users and admin form data shared by the tests of who may do what."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image as PillowImage

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from vestnik.articles.models import ArticlePage
from vestnik.authors.models import Expert
from vestnik.site.services import AUTHORS_GROUP, EDITORS_GROUP

ADMIN_HOME = "/admin/"


def account_for(expert: Expert, username: str) -> Any:
    """An author as an editor makes one: an account in «Авторы», set as the expert's account."""
    user = get_user_model().objects.create_user(username=username, password="x")
    user.groups.add(Group.objects.get(name=AUTHORS_GROUP))
    expert.user = user
    expert.save()
    return user


def editor_account(username: str = "editor") -> Any:
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def article_form(article: ArticlePage | None = None, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": article.title if article else "Новая статья автора",
        "slug": article.slug if article else "novaya-statya-avtora",
        "publication_date": "2025-11-28",
        "language": "ru",
        "lead": "Лид.",
        "body": streamfield([("paragraph", rich_text("<p>Текст автора.</p>"))]),
        "footnotes": inline_formset([]),
        "countries": "",
        "regions": "",
        "topics": "",
    }
    co_authors = fields.pop("co_authors", [])
    values.update(fields)
    data = nested_form_data(values)
    # A multiple choice posts one value per choice, which `nested_form_data` cannot say.
    data["co_authors"] = [str(pk) for pk in co_authors]
    return data
