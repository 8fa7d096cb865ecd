"""The editors' forms for a special issue: what it says and carries, and when it goes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.admin.widgets import AdminDateTimeInput, AdminPageChooser
from wagtail.models import Page

from vestnik.newsletters.items import NewsletterItem


class SpecialIssueForm(forms.Form):
    """Subject, language, introduction, and the items: the suggestions and those already
    chosen as checkboxes, newest first, plus one more page from the chooser."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    intro = forms.CharField(label=_("Introduction"), required=False)
    items = forms.TypedMultipleChoiceField(
        label=_("Items"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    add_page = forms.ModelChoiceField(
        label=_("Add another page"),
        queryset=Page.objects.all(),
        required=False,
        widget=AdminPageChooser(),
        help_text=_("Any published page; it is added at the end of the issue."),
    )

    def __init__(self, *args: Any, offered: Sequence[NewsletterItem] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Draftail with the model field's features; built here, not at import (settings).
        self.fields["intro"].widget = get_rich_text_editor_widget(
            features=["bold", "italic", "link"]
        )
        self.offered = list(offered)
        items_field = cast(forms.TypedMultipleChoiceField, self.fields["items"])
        items_field.choices = [(item.page_id, item.title) for item in self.offered]

    def page_ids(self) -> list[int]:
        """The checked items in the order offered, then the page from the chooser."""
        checked = set(self.cleaned_data["items"])
        ids = [item.page_id for item in self.offered if item.page_id in checked]
        added = self.cleaned_data.get("add_page")
        if added is not None and added.pk not in ids:
            ids.append(added.pk)
        return ids


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=AdminDateTimeInput(),
        help_text=_("In the site's time zone. Leave empty to send with the next run."),
    )
