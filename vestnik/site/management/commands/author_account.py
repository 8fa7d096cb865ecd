"""Give an expert an admin account: write in their blog, submit for review, never publish."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vestnik.articles.services import AccountRefused, author_account_ensure
from vestnik.authors.models import Expert
from vestnik.core.accounts import password_set_url


class Command(BaseCommand):
    help = (
        "Create or link USERNAME as the account of the expert SLUG, grant an author's rights "
        "and print a one-time link to set the password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--expert", required=True, metavar="SLUG", help="the expert's slug")
        parser.add_argument("--email", default="", help="the account's e-mail address")

    def handle(self, *args: Any, **options: Any) -> None:
        expert = Expert.objects.filter(slug=options["expert"]).first()
        if expert is None:
            raise CommandError(f"No expert has the slug «{options['expert']}».")
        try:
            user, created = author_account_ensure(
                username=options["username"], expert=expert, email=options["email"]
            )
        except AccountRefused as exc:
            raise CommandError(str(exc)) from exc
        what = "Created the account" if created else "Linked the account"
        self.stdout.write(f"{what} «{user.get_username()}» to {expert.full_name} ({expert.slug}).")
        self.stdout.write(
            "One-time link to set the password (valid until used or until it expires):\n"
            + password_set_url(user)
        )
