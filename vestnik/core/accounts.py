"""User accounts: the one-time link that lets a new account choose its password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from vestnik.core.models import User


def password_set_url(user: User) -> str:
    """The admin's «set a new password» page for this user, as a full address.

    It is Django's password-reset token, so it stops working once the password
    is set (or the user signs in) and after `PASSWORD_RESET_TIMEOUT`; the admin
    lives at `WAGTAILADMIN_BASE_URL`, which is also what Wagtail's own e-mails use.
    """
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"
