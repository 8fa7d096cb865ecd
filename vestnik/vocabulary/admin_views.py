"""Admin endpoints of the vocabulary: suggestions while an editor types a tag."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse

from vestnik.vocabulary.terms import VOCABULARIES, suggestion_label, terms_suggest

SUGGESTIONS_LIMIT = 12


def vocabulary_autocomplete(request: HttpRequest, kind: str) -> JsonResponse:
    """Suggestions for the `w-tag` controller: jQuery UI's `{label, value}` items.

    The value is the Russian name the tag field shows; the label adds the
    English name and ISO code so «Корея» tells the two Koreas apart.
    """
    model = VOCABULARIES.get(kind)
    if model is None:
        raise Http404
    terms = terms_suggest(model, request.GET.get("term", ""), limit=SUGGESTIONS_LIMIT)
    return JsonResponse(
        [{"label": suggestion_label(term), "value": term.name_ru} for term in terms], safe=False
    )
