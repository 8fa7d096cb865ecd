"""The subscription form (footer; topic, country, expert, section pages), the preferences form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from vestnik.authors.models import Expert
from vestnik.core.form_guard import HONEYPOT_FIELD, honeypot_field, stamp_field
from vestnik.newsletters.models import SubscriptionKind
from vestnik.newsletters.selectors import followable_section
from vestnik.newsletters.services import Target
from vestnik.vocabulary.models import Country, Topic


def target_exists(target: Target, language: str) -> bool:
    """Whether a target named by a form is one a reader may follow."""
    if target.kind == SubscriptionKind.DIGEST:
        return True
    if target.kind == SubscriptionKind.TOPIC:
        return Topic.objects.filter(pk=target.object_id or 0).exists()
    if target.kind == SubscriptionKind.COUNTRY:
        return Country.objects.filter(pk=target.object_id or 0).exists()
    if target.kind == SubscriptionKind.EXPERT:
        return Expert.objects.filter(pk=target.object_id or 0).exists()
    return followable_section(target.object_id or 0, language) is not None


def target_canonical(target: Target, language: str) -> Target | None:
    """`target` as it is stored, if a reader may follow it: a section by its page in
    `language` (either language's page names it), anything else as it is."""
    if target.kind != SubscriptionKind.SECTION:
        return target if target_exists(target, language) else None
    section = followable_section(target.object_id or 0, language)
    return Target(SubscriptionKind.SECTION, section.pk) if section is not None else None


def _targets_clean(keys: list[str], given_language: object) -> list[Target]:
    languages = {code for code, _name in settings.LANGUAGES}
    language = str(given_language) if given_language in languages else settings.LANGUAGE_CODE
    targets: dict[str, Target] = {}
    for key in keys:
        parsed = Target.parse(key)
        target = target_canonical(parsed, language) if parsed is not None else None
        if target is None:
            raise forms.ValidationError(_("One of the choices is no longer available."))
        targets[target.key] = target
    return list(targets.values())


# Each language in its own words: a reader looks for the one they read.
LANGUAGE_CHOICES = [("ru", "Русский"), ("en", "English")]


class SubscribeForm(forms.Form):
    """An address and what to receive; the page offering it names its own target."""

    email = forms.EmailField(label=_("E-mail"), max_length=254)
    # "digest", "country:7"…: the choices the page offered, as checkboxes.
    targets = forms.MultipleChoiceField(
        label=_("What to receive"), widget=forms.CheckboxSelectMultiple, required=True
    )
    # The page's language by default; the form page lets the reader choose.
    language = forms.ChoiceField(
        label=_("Language of the e-mails"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    source = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)
    website = honeypot_field()
    started = stamp_field()

    def __init__(self, *args: Any, offered: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = offered  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}
        )
        self.fields["targets"].error_messages["required"] = _(
            "Choose at least one thing to receive."
        )

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_targets(self) -> list[Target]:
        return _targets_clean(self.cleaned_data["targets"], self.data.get("language"))


class PreferencesForm(forms.Form):
    """Everything a subscriber follows, changed at once through their signed link."""

    language = forms.ChoiceField(
        label=_("Language of the e-mails"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    targets = forms.MultipleChoiceField(
        label=_("What to receive"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, offered: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = offered  # type: ignore[attr-defined]

    def clean_targets(self) -> list[Target]:
        return _targets_clean(self.cleaned_data["targets"], self.data.get("language"))


class LinkRequestForm(forms.Form):
    """ "Send me a link to my preferences": the way back when an old link has expired."""

    email = forms.EmailField(label=_("E-mail"), max_length=254)
    website = honeypot_field()
    started = stamp_field()
