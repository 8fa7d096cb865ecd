"""Newsletters as a mail client shows them: HTML with its CSS inlined, and a plain-text part.

Mail clients drop `<style>` blocks and block outside stylesheets, so the
templates keep one stylesheet (`emails/newsletters/styles.css`) that css-inline
writes into each element's `style` attribute. Nothing depends on images: with
images off, a message reads the same.

A mailing's body is the same for every reader who gets the same pages in the
same language; only the preferences and unsubscribe links differ. So
`issue_render` renders with placeholder links, once per distinct body, and
`links_fill` puts each reader's links in (`delivery.py`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import css_inline

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.rich_text import expand_db_html

from vestnik.articles.text import html_text
from vestnik.core.site_identity import english_site_name, site_root_url
from vestnik.core.typography import typograph_html, typograph_text
from vestnik.newsletters.items import NewsletterItem

PREFERENCES_PLACEHOLDER = "https://newsletter.invalid/preferences"
UNSUBSCRIBE_PLACEHOLDER = "https://newsletter.invalid/unsubscribe"

_STYLESHEET = (
    Path(__file__).resolve().parent.parent.parent
    / "templates"
    / "emails"
    / "newsletters"
    / "styles.css"
)


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


@cache
def _inliner() -> css_inline.CSSInliner:
    # The stylesheet is read once per process; the templates link nothing.
    return css_inline.CSSInliner(
        extra_css=_STYLESHEET.read_text(encoding="utf-8"),
        load_remote_stylesheets=False,
        keep_style_tags=False,
    )


def html_inline(html: str) -> str:
    """`html` with the newsletter stylesheet written into its elements."""
    return _inliner().inline(html)


def site_title(language: str) -> str:
    if language == "en":
        return english_site_name()
    return settings.WAGTAIL_SITE_NAME


def _typographed(item: NewsletterItem, language: str) -> NewsletterItem:
    return replace(
        item,
        title=typograph_text(item.title, language=language),
        lead=typograph_text(item.lead, language=language),
    )


_RELATIVE_HREF = re.compile(r'href="/(?!/)')


def _intro(rich_text: str, language: str) -> str:
    """An editor's rich text as a mail client needs it: page links expanded and absolute."""
    if not rich_text:
        return ""
    expanded = expand_db_html(rich_text)
    absolute = _RELATIVE_HREF.sub(f'href="{site_root_url(None)}/', expanded)
    return typograph_html(absolute, language=language)


def _site_path(language: str, name: str) -> str:
    with translation.override(language):
        return site_root_url(None) + reverse(name)


def issue_subject(
    kind: str, language: str, items: Sequence[NewsletterItem], subject: str = ""
) -> str:
    with translation.override(language):
        if subject:
            return subject
        if kind == "alert":
            if len(items) == 1:
                return _("New: %(title)s") % {"title": items[0].title}
            return _("New on %(site)s: %(count)s materials") % {
                "site": site_title(language),
                "count": len(items),
            }
        return _("%(site)s: the week's digest") % {"site": site_title(language)}


def issue_render(
    *,
    kind: str,
    language: str,
    items: Sequence[NewsletterItem],
    subject: str = "",
    intro_html: str = "",
    period: tuple[datetime.datetime, datetime.datetime] | None = None,
) -> RenderedMessage:
    """One issue in `language`, with placeholder links for the reader's own (`links_fill`)."""
    with translation.override(language):
        shown = [_typographed(item, language) for item in items]
        subject_line = issue_subject(kind, language, shown, subject)
        intro_html = _intro(intro_html, language)
        intro_text = html_text(intro_html) if intro_html else ""
        context = {
            "kind": kind,
            "language": language,
            "items": shown,
            "intro_html": intro_html,
            "intro_text": intro_text,
            # What a mail client shows beside the subject in the inbox.
            "preheader": (intro_text or (shown[0].lead if shown else ""))[:140],
            "privacy_url": _site_path(language, "newsletters:privacy"),
            "period": period,
            "site_name": site_title(language),
            "site_url": site_root_url(None) + ("/en/" if language == "en" else "/"),
            "preferences_url": PREFERENCES_PLACEHOLDER,
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "subject": subject_line,
        }
        html = render_to_string("emails/newsletters/issue.html", context)
        text = render_to_string("emails/newsletters/issue.txt", context)
    return RenderedMessage(subject=str(context["subject"]), text=text, html=html_inline(html))


def links_fill(
    message: RenderedMessage, *, preferences_url: str, unsubscribe_url: str
) -> RenderedMessage:
    def fill(body: str) -> str:
        return body.replace(PREFERENCES_PLACEHOLDER, preferences_url).replace(
            UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url
        )

    return replace(message, text=fill(message.text), html=fill(message.html))


def confirmation_render(
    *, language: str, wanted: Sequence[str], confirm_url: str, active: bool
) -> RenderedMessage:
    """The one e-mail an unconfirmed request sends: what was asked for, and the link."""
    with translation.override(language):
        context = {
            "language": language,
            "wanted": wanted,
            "confirm_url": confirm_url,
            "active": active,
            "site_name": site_title(language),
            "site_url": site_root_url(None) + ("/en/" if language == "en" else "/"),
            "subject": _("Please confirm your subscription to %(site)s")
            % {"site": site_title(language)},
        }
        html = render_to_string("emails/newsletters/confirmation.html", context)
        text = render_to_string("emails/newsletters/confirmation.txt", context)
    return RenderedMessage(subject=str(context["subject"]), text=text, html=html_inline(html))


def preferences_link_render(*, language: str, preferences_url: str) -> RenderedMessage:
    """The e-mail with a fresh preferences link, asked for on the site."""
    with translation.override(language):
        context = {
            "language": language,
            "preferences_url": preferences_url,
            "site_name": site_title(language),
            "site_url": site_root_url(None) + ("/en/" if language == "en" else "/"),
            "subject": _("Your subscription to %(site)s") % {"site": site_title(language)},
        }
        html = render_to_string("emails/newsletters/preferences_link.html", context)
        text = render_to_string("emails/newsletters/preferences_link.txt", context)
    return RenderedMessage(subject=str(context["subject"]), text=text, html=html_inline(html))
