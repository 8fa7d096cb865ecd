"""The registration form: the reader's fields, the editor's questions, and two bot traps.

The form renders the same for every reader (it sits on a cached page): the
CSRF token and the time stamp are filled in by static/js/events.js from the
uncached `register_start` endpoint, or come with the uncached form page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vestnik.core.form_guard import HONEYPOT_FIELD, honeypot_field, stamp_field
from vestnik.events.models import EventPage, EventQuestion


def question_field_name(question: EventQuestion) -> str:
    # By translation key: the same question in every language has one answer column.
    return f"q_{question.translation_key.hex[:12]}"


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    organisation = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    website = honeypot_field()
    started = stamp_field()

    def __init__(self, *args: Any, event: EventPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.questions = list(event.questions.all())
        for question in self.questions:
            self.fields[question_field_name(question)] = forms.CharField(
                label=question.label,
                required=question.required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def reader_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in {HONEYPOT_FIELD, "started"}]

    def answers(self) -> dict[str, str]:
        """Answers keyed by the question's text, as editors read them in the export."""
        return {
            question.label: self.cleaned_data.get(question_field_name(question), "")
            for question in self.questions
            if self.cleaned_data.get(question_field_name(question))
        }
