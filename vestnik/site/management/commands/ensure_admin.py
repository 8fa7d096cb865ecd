"""Create the local admin account once and say how to sign in."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an 'admin' superuser with a random password (kept in var/admin-password)."

    def handle(self, *args: Any, **options: Any) -> None:
        password_file = settings.VAR_DIR / "admin-password"
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser("admin", "admin@example.org", password)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        password = password_file.read_text().strip() if password_file.exists() else "(unchanged)"
        self.stdout.write(
            self.style.SUCCESS(
                "\nAdmin: http://127.0.0.1:8000/admin/  user: admin  password: " + password + "\n"
            )
        )
