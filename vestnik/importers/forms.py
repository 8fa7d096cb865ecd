"""The admin's import form: one file, its language, the article it translates (if any),
an author and «publish» for those who may choose them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from vestnik.importers.safety import limits
from vestnik.importers.services import UPLOAD_KINDS

ACCEPT = ",".join(UPLOAD_KINDS)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A Word manuscript (.docx), a page saved from a legacy portal (.html) or its "
            "saved text (.txt)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    author = forms.CharField(
        label=_("Author"),
        required=False,
        max_length=200,
        help_text=_(
            "The author's full name, e.g. «Асан Жакупов». Leave empty to use the name the "
            "file gives."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the text"),
        # The choices are the site's languages, set per form: settings are not read at import.
        choices=(),
        # Empty is the site's first language, as for the commands.
        required=False,
    )
    translation_of = forms.CharField(
        label=_("Translation of"),
        required=False,
        max_length=2000,
        help_text=_(
            "To attach the file as the translation of an existing article, give that article's "
            "address on the site (e.g. /blogs/asan-zhakupov/…/) or its page id. Leave empty "
            "for a new article."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish at once"),
        required=False,
        help_text=_("Otherwise the article is saved as a draft for review."),
    )

    def __init__(
        self, *args: Any, can_publish: bool = False, can_choose_author: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, name) for code, name in settings.WAGTAIL_CONTENT_LANGUAGES
        ]
        self.fields["language"].initial = settings.LANGUAGE_CODE
        if not can_publish:
            del self.fields["publish"]
        if not can_choose_author:
            # An author imports into their own blog only; whatever the file names is ignored.
            del self.fields["author"]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in UPLOAD_KINDS:
            raise forms.ValidationError(
                _("Upload a Word manuscript (.docx), a saved page (.html) or its text (.txt).")
            )
        limit = limits().max_bytes
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB; the limit is %(limit)s MB).")
                % {"size": f"{upload.size / 2**20:.1f}", "limit": f"{limit / 2**20:.0f}"}
            )
        return upload
