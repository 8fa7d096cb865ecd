"""The publication page's admin form, and the library's filter form.

The admin form reads the chosen PDF before the page is saved: a file that is
not a PDF at all is refused with a form error; an encrypted or malformed PDF
is accepted and stored without text, and the editor is warned
(`wagtail_hooks`: a message after saving, and the PDF status panel).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

PDF_PROBLEM_MESSAGES = {
    "encrypted": _(
        "The PDF is protected by a password, so its text could not be read: the file is "
        "stored and can be downloaded, but the publication will not be found by a phrase "
        "from it. Upload a copy without a password to fix this."
    ),
    "malformed": _(
        "The PDF is damaged or unusual, so its pages and text could not be read: the file "
        "is stored and can be downloaded, but the publication will not be found by a phrase "
        "from it. Check that the file opens and upload it again."
    ),
}


class PublicationPageForm(WagtailAdminPageForm):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        document = cleaned.get("pdf")
        if document is None or "pdf" in self.errors:
            return cleaned
        if not document.file.name.lower().endswith(".pdf"):
            self.add_error("pdf", _("Choose a PDF file."))
            return cleaned
        page = self.instance
        page.pdf = document
        info = page.pdf_refresh()
        if info is not None and info.problem == "not_pdf":
            page.pdf_source = ""
            self.add_error("pdf", _("This file is not a PDF, whatever its name says."))
        return cleaned


class PublicationFilterForm(forms.Form):
    """GET filters of the library; every choice is optional and an unknown one is ignored."""

    series = forms.TypedChoiceField(label=_("Series"), required=False, coerce=int)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int)
    topic = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int)
    country = forms.TypedChoiceField(label=_("Country"), required=False, coerce=int)
    author = forms.TypedChoiceField(label=_("Author"), required=False, coerce=int)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[Any, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything = _("All")
        for name, options in choices.items():
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = [("", everything), *options]

    def filters(self) -> dict[str, int]:
        """The valid choices made; an invalid value is dropped rather than reported."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data[name]
            for name in self.fields
            if name not in self.errors and data.get(name) not in (None, "")
        }
