"""The Content-Security-Policy header: strict on the site, relaxed where Wagtail's admin needs it.

django-csp builds the header from `CONTENT_SECURITY_POLICY` (settings/base.py)
and a per-request nonce that templates put on their inline scripts
(`nonce="{{ request.csp_nonce }}"`). The admin gets
`VESTNIK_CORE_ADMIN_CONTENT_SECURITY_POLICY` instead: Wagtail's own templates
still carry inline scripts without a nonce (date pickers, inline panels), so
there `'unsafe-inline'` stands in for the nonce; everything else (origins,
`object-src`, `base-uri`, framing, form targets) stays as strict as on the
site. docs/security.md explains the choice.

Redirects get no header: nothing of theirs is rendered.

The middleware sits inside the page cache (settings MIDDLEWARE): a page
rendered once and served to many readers keeps the header it was rendered
with, so the nonce in the cached HTML and the one in the header agree.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.http.response import HttpResponseRedirectBase
from django.urls import NoReverseMatch, reverse


def _admin_prefix() -> str | None:
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return None


def in_admin(request: HttpRequest) -> bool:
    prefix = _admin_prefix()
    return prefix is not None and request.path.startswith(prefix)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # Browsers follow a redirect without rendering its body, so a policy on
        # it protects nothing; building one costs the vote endpoint's no-JS path
        # (a redirect per ballot) a noticeable share of its CPU.
        if isinstance(response, HttpResponseRedirectBase):
            return response
        return super().process_response(request, response)

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        # A view's own @csp decorator (parts.config) still wins over the admin policy.
        if not report_only and parts.config is None and in_admin(request):
            parts.config = dict(settings.VESTNIK_CORE_ADMIN_CONTENT_SECURITY_POLICY)
        return parts
