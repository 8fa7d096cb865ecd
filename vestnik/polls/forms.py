"""The poll editing form in the Wagtail admin."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminModelForm

from vestnik.polls.models import PollKind
from vestnik.polls.services import PollLocked, poll_edit_check


class PollAdminForm(WagtailAdminModelForm):
    """Checks the rules that span the poll and its options.

    Structural changes after the first ballot are refused by the same service
    any other caller would hit (`poll_edit_check`); this form only gathers
    what the editor proposes and shows the service's messages.
    """

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        kind, maximum = cleaned.get("kind"), cleaned.get("max_choices")
        if kind == PollKind.SINGLE:
            cleaned["max_choices"] = 1
            self.instance.max_choices = 1
        elif kind == PollKind.MULTIPLE and maximum is not None and maximum < 2:
            self.add_error(
                "max_choices", _("A poll with several choices needs a maximum of at least 2.")
            )
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("A poll must close after it opens."))
        return cleaned

    def is_valid(self) -> bool:
        # The option formset is validated by ClusterForm.is_valid, after clean();
        # only then are the proposed order and deletions known.
        if not super().is_valid():
            return False
        formset = self.formsets["options"]
        option_ids = [form.instance.pk for form in formset.ordered_forms]
        kind = self.cleaned_data["kind"]
        maximum = self.cleaned_data["max_choices"]
        if len(option_ids) < 2:
            self.add_error(None, _("A poll needs at least two options."))
            return False
        if kind == PollKind.MULTIPLE and maximum > len(option_ids):
            self.add_error("max_choices", _("The maximum cannot exceed the number of options."))
            return False
        if not self._english_complete(formset):
            return False
        try:
            poll_edit_check(
                poll=self.instance, option_ids=option_ids, kind=kind, max_choices=maximum
            )
        except PollLocked as locked:
            self.add_error(None, locked)
            return False
        return True

    def _english_complete(self, formset: Any) -> bool:
        """A poll is in English whole or not at all: a half-translated form would mix languages.

        English readers see the English texts only when the question has one
        (`Poll.text_language`), so every option then needs its English text too,
        and English option texts without an English question would never show.
        """
        english_question = bool(self.cleaned_data.get("question_en", "").strip())
        missing = False
        for form in formset.ordered_forms:
            english = bool(form.cleaned_data.get("text_en", "").strip())
            if english_question and not english:
                form.add_error("text_en", _("Give the option's English text too."))
                missing = True
            elif english and not english_question:
                message = _("Give the English question, or leave every English text empty.")
                self.add_error("question_en", message)
                return False
        if missing:
            message = _("With an English question, every option needs its English text.")
            self.add_error(None, message)
        return not missing
