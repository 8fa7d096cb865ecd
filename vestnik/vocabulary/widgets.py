"""The editor's tag field for countries, regions and topics.

Wagtail's admin already ships a tag input with suggestions while typing (the
`w-tag` Stimulus controller over tag-it, used for taggit tags). The vocabulary
is not taggit, so this widget gives that controller our own suggestion endpoint
(`discovery_vocabulary_autocomplete`), allows only suggested terms, and turns
the names the editor picked back into primary keys for the many-to-many field.
Names are separated by «|», not commas: «Бонайре, Синт-Эстатиус и Саба» and
editors' topics may contain commas.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from vestnik.vocabulary.models import VocabularyTerm
from vestnik.vocabulary.terms import VOCABULARIES, terms_resolve

DELIMITER = "|"


class VocabularyTagWidget(forms.TextInput):
    template_name = "django/forms/widgets/text.html"

    def __init__(self, kind: str, attrs: dict[str, Any] | None = None) -> None:
        if kind not in VOCABULARIES:
            raise ValueError(f"unknown vocabulary {kind!r}")
        self.kind = kind
        super().__init__(attrs={"data-controller": "w-tag", **(attrs or {})})

    @property
    def model(self) -> type[VocabularyTerm]:
        return VOCABULARIES[self.kind]

    def _terms(self) -> list[VocabularyTerm]:
        # ModelMultipleChoiceField hands its queryset to the widget as `choices`.
        choices = getattr(self, "choices", None)
        queryset = getattr(choices, "queryset", None)
        if queryset is None:
            queryset = self.model.objects.all()
        return list(queryset)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-w-tag-url-value"] = reverse(
            "discovery_vocabulary_autocomplete", args=[self.kind]
        )
        widget_attrs["data-w-tag-delay-value"] = 200
        widget_attrs["data-w-tag-options-value"] = json.dumps(
            {
                "allowSpaces": True,
                "autocompleteOnly": True,
                "singleFieldDelimiter": DELIMITER,
            }
        )
        return context

    def format_value(self, value: Any) -> str | None:
        if not value:
            return ""
        items = value if isinstance(value, list | tuple) else [value]
        terms = {str(term.pk): term for term in self._terms()}
        names = []
        for item in items:
            if isinstance(item, VocabularyTerm):
                names.append(item.name_ru)
            elif str(item) in terms:
                names.append(terms[str(item)].name_ru)
            else:
                # An unresolved name from a failed submission: show it back as typed.
                names.append(str(item))
        return DELIMITER.join(names)

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> list[str]:
        getlist = getattr(data, "getlist", None)
        values = getlist(name) if getlist is not None else data.get(name, [])
        if isinstance(values, str):
            values = [values]
        tokens = [
            token.strip()
            for value in values
            for token in str(value).split(DELIMITER)
            if token.strip()
        ]
        terms = self._terms()
        # Primary keys pass through (tests and scripted clients post them); names resolve.
        by_pk = {str(term.pk): term for term in terms}
        picked = [by_pk[token] for token in tokens if token in by_pk]
        found, unknown = terms_resolve(terms, [token for token in tokens if token not in by_pk])
        # Unknown names go through as they are: the form field rejects them
        # with its «… is not a valid value» message next to this field.
        return [str(term.pk) for term in dict.fromkeys([*picked, *found])] + unknown

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return name not in data
