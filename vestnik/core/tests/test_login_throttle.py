"""The admin login throttle: five wrong passwords lock one username at one address."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from vestnik.core.models import User
from vestnik.site.services import EDITORS_GROUP, site_setup

LOGIN = "/admin/login/"


@override_settings(VESTNIK_CORE_TRUSTED_PROXIES=["127.0.0.1"])
class LoginThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        cls.expert = User.objects.create_user("expert", "expert@example.org", "right-password")
        cls.other = User.objects.create_user("other", "other@example.org", "other-password")
        access_admin = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        for user in (cls.expert, cls.other):
            user.user_permissions.add(access_admin)
        cls.chief = User.objects.create_superuser("chief", "chief@example.org", "x")

    def sign_in(self, username: str, password: str, *, address: str = "203.0.113.5"):  # type: ignore[no-untyped-def]
        self.client.logout()
        # Through the local nginx: the peer is the proxy, the reader is in the header.
        return self.client.post(
            LOGIN,
            {"username": username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )

    def lock_out(self, username: str = "expert", address: str = "203.0.113.5") -> None:
        for _ in range(5):
            response = self.sign_in(username, "wrong", address=address)
        self.assertEqual(response.status_code, 429)

    def assert_signed_in(self, response) -> None:  # type: ignore[no-untyped-def]
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertIn("_auth_user_id", self.client.session)

    def test_four_wrong_passwords_still_let_the_right_one_in(self) -> None:
        for _ in range(4):
            self.assertEqual(self.sign_in("expert", "wrong").status_code, 200)
        self.assert_signed_in(self.sign_in("expert", "right-password"))

    def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_message(self) -> None:
        self.lock_out()
        response = self.sign_in("expert", "right-password")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        page = response.content.decode()
        self.assertIn("Вход заблокирован", page)
        self.assertIn("Sign-in blocked", page)
        self.assertIn("60", page)
        self.assertIn("expert", page)
        self.assertIn("Content-Security-Policy", response)

    def test_the_lockout_is_by_address_as_read_through_the_trusted_proxy(self) -> None:
        self.lock_out(address="203.0.113.5")
        self.assertEqual(
            list(AccessAttempt.objects.values_list("ip_address", flat=True)), ["203.0.113.5"]
        )
        # The expert at their own desk is not the stranger guessing their password.
        self.assert_signed_in(self.sign_in("expert", "right-password", address="198.51.100.9"))

    def test_one_locked_username_does_not_lock_another(self) -> None:
        self.lock_out("expert")
        self.assert_signed_in(self.sign_in("other", "other-password"))

    def test_the_lockout_ends_after_an_hour(self) -> None:
        self.lock_out()
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=61))
        self.assert_signed_in(self.sign_in("expert", "right-password"))

    def test_the_management_command_lifts_it(self) -> None:
        self.lock_out()
        call_command("axes_reset_username", "expert", verbosity=0)
        self.assert_signed_in(self.sign_in("expert", "right-password"))

    def test_an_editor_lifts_it_in_the_admin(self) -> None:
        self.lock_out()
        editor = User.objects.create_user("editor", "editor@example.org", "x")
        editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
        self.client.force_login(editor)
        listing = self.client.get("/admin/login-lockouts/")
        self.assertEqual(listing.status_code, 200)
        self.assertContains(listing, "203.0.113.5")
        attempt = AccessAttempt.objects.get(username="expert")
        lifted = self.client.post(f"/admin/login-lockouts/{attempt.pk}/lift/")
        self.assertRedirects(lifted, "/admin/login-lockouts/")
        self.assertFalse(AccessAttempt.objects.exists())
        self.assert_signed_in(self.sign_in("expert", "right-password"))

    def test_an_author_cannot_lift_lockouts(self) -> None:
        self.lock_out()
        self.client.force_login(self.other)
        # Wagtail answers a refused admin view with a redirect to the dashboard.
        self.assertRedirects(
            self.client.get("/admin/login-lockouts/"), "/admin/", fetch_redirect_response=False
        )
        attempt = AccessAttempt.objects.get()
        self.client.post(f"/admin/login-lockouts/{attempt.pk}/lift/")
        self.assertTrue(AccessAttempt.objects.filter(pk=attempt.pk).exists())
