"""`{% subscribe_form %}`: the newsletter subscription form for a cached page.

    {% subscribe_form follow="country:7" name=term.name source=request.path %}
    {% subscribe_form kind="expert" pk=expert.pk name=expert.display_name source=request.path %}
    {% subscribe_form compact=True source=request.path %}   {# the footer: the digest only #}

The form is the same for every reader of a URL: no CSRF token, no time stamp
(static/js/newsletters.js asks `newsletters:start` for both when the reader
first touches the form). Its label is made from the `name` the page already
has, so rendering it reads nothing from the database; without a name it is
looked up (a query or two). Without JavaScript the form is sent by GET to the
form page, which offers the same choices; the address has no `name` until the
script gives it one, so it never lands in a URL.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from vestnik.newsletters.models import SubscriptionKind
from vestnik.newsletters.offers import target_label
from vestnik.newsletters.selectors import kind_label
from vestnik.newsletters.services import Target

register = template.Library()


@register.inclusion_tag("components/subscribe_form.html")
def subscribe_form(
    follow: str = "",
    name: str = "",
    source: str = "",
    compact: bool = False,
    kind: str = "",
    pk: int | None = None,
) -> dict[str, Any]:
    """`follow` is a target key ("country:7"), or give its `kind` and `pk` apart."""
    if kind and pk is not None:
        follow = f"{kind}:{pk}"
    language = translation.get_language() or "ru"
    subscribe_url = reverse("newsletters:subscribe")
    # Its own pages carry signed links in their paths: not a source to keep, and the
    # footer's form would only repeat the page's.
    if source.startswith(subscribe_url.rsplit("subscribe/", 1)[0]):
        if compact:
            return {"shown": False}
        source = ""
    target = Target.parse(follow) if follow else None
    choices: list[dict[str, Any]] = []
    if target is not None and target.kind != SubscriptionKind.DIGEST:
        try:
            label = (
                kind_label(target.kind, name, language) if name else target_label(target, language)
            )
        except ObjectDoesNotExist:
            target = None
        else:
            choices.append({"key": target.key, "label": label, "checked": True})
    choices.append(
        {
            "key": SubscriptionKind.DIGEST.value,
            "label": kind_label(SubscriptionKind.DIGEST, "", language),
            "checked": not choices,
        }
    )
    slug = (target.key if target is not None else "digest").replace(":", "-")
    return {
        "shown": True,
        "id": f"subscribe-{'footer' if compact else slug}",
        "compact": compact,
        "choices": choices,
        "language": language,
        "source": source[:500],
        "subscribe_url": subscribe_url,
        "start_url": reverse("newsletters:start"),
        "privacy_url": reverse("newsletters:privacy"),
        "form_page_url": subscribe_url
        + "?"
        + urlencode({"follow": target.key if target is not None else "digest", "source": source}),
        "follow_name": name,
        "kind": target.kind if target is not None else SubscriptionKind.DIGEST.value,
    }
