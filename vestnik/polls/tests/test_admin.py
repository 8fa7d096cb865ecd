"""Editors in the Wagtail admin: creating polls, the lock after the first ballot, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.test import TestCase

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from vestnik.core.models import User
from vestnik.polls.factories import poll_with_options, respondent
from vestnik.polls.models import Poll, PollOption
from vestnik.polls.services import ballot_cast
from vestnik.polls.tests.utils import ru

ADMIN = "/admin/snippets/polls/poll/"
REMOVED = "This poll already has ballots, so its options can no longer be removed."
REORDERED = (
    "This poll already has ballots, so its options can no longer be reordered; "
    "new options can only be added after the existing ones."
)


def poll_form(
    poll: Poll | None = None, options: list[dict[str, Any]] | None = None, **fields: Any
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "number": poll.number if poll else 1,
        "question": poll.question if poll else "Какой формат сотрудничества перспективнее?",
        "method_note": "",
        "kind": poll.kind if poll else "multiple",
        "max_choices": poll.max_choices if poll else 2,
        "opens_at": "01.01.2026 10:00",
        "closes_at": "",
        "voters": "anyone",
        "results_visibility": "after_voting",
        "site_wide": "on",
    }
    values.update(fields)
    if options is None:
        existing = list(poll.options.all()) if poll else []
        options = [{"id": o.pk, "text": o.text} for o in existing] or [
            {"text": "Двусторонний"},
            {"text": "Многосторонний"},
            {"text": "Региональный"},
        ]
    initial = sum(1 for option in options if option.get("id"))
    values["options"] = inline_formset(options, initial=initial, min=2)
    return nested_form_data(values)


class PollAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.editor = User.objects.create_superuser("editor", "editor@example.org", "x")

    def setUp(self) -> None:
        self.client.force_login(self.editor)

    def test_listing_and_add_form_render(self) -> None:
        poll_with_options()
        self.assertEqual(self.client.get(ADMIN).status_code, 200)
        add = self.client.get(f"{ADMIN}add/")
        self.assertEqual(add.status_code, 200)
        # The next archive number is offered.
        self.assertEqual(add.context["form"]["number"].value(), 2)

    def test_editor_creates_a_poll_with_options(self) -> None:
        response = self.client.post(f"{ADMIN}add/", poll_form())
        self.assertEqual(response.status_code, 302, response.content[:3000])
        poll = Poll.objects.get()
        self.assertEqual(poll.number, 1)
        self.assertEqual(
            [o.text for o in poll.options.all()], ["Двусторонний", "Многосторонний", "Региональный"]
        )

    def test_maximum_must_fit_the_options(self) -> None:
        response = self.client.post(f"{ADMIN}add/", poll_form(max_choices=5))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, ru("The maximum cannot exceed the number of options."))
        self.assertFalse(Poll.objects.exists())

    def test_before_any_ballot_options_may_change(self) -> None:
        poll = poll_with_options("Q", ["A", "B", "C"], max_choices=2)
        a, b, c = poll.options.all()
        options = [
            {"id": c.pk, "text": "C"},
            {"id": a.pk, "text": "A"},
            {"id": b.pk, "text": "B", "DELETE": "1"},
        ]
        response = self.client.post(f"{ADMIN}edit/{poll.pk}/", poll_form(poll, options))
        self.assertEqual(response.status_code, 302)
        self.assertEqual([o.text for o in poll.options.all()], ["C", "A"])

    def test_after_the_first_ballot_options_cannot_be_removed_or_reordered(self) -> None:
        poll = poll_with_options("Q", ["A", "B", "C"], max_choices=2)
        a, b, c = poll.options.all()
        ballot_cast(poll=poll, option_ids=[a.pk], respondent=respondent(1))
        removed = [
            {"id": a.pk, "text": "A"},
            {"id": b.pk, "text": "B"},
            {"id": c.pk, "text": "C", "DELETE": "1"},
        ]
        response = self.client.post(f"{ADMIN}edit/{poll.pk}/", poll_form(poll, removed))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, ru(REMOVED))
        reordered = [
            {"id": b.pk, "text": "B"},
            {"id": a.pk, "text": "A"},
            {"id": c.pk, "text": "C"},
        ]
        response = self.client.post(f"{ADMIN}edit/{poll.pk}/", poll_form(poll, reordered))
        self.assertContains(response, ru(REORDERED))
        self.assertEqual(list(PollOption.objects.filter(poll=poll)), [a, b, c])
        # Fixing a typo and adding an option at the end are still allowed.
        fixed = [
            {"id": a.pk, "text": "A (исправлено)"},
            {"id": b.pk, "text": "B"},
            {"id": c.pk, "text": "C"},
            {"text": "D"},
        ]
        response = self.client.post(f"{ADMIN}edit/{poll.pk}/", poll_form(poll, fixed))
        self.assertEqual(response.status_code, 302)
        self.assertEqual([o.text for o in poll.options.all()], ["A (исправлено)", "B", "C", "D"])

    def test_counts_are_not_editable(self) -> None:
        poll = poll_with_options("Q", ["A", "B"])
        a, b = poll.options.all()
        data = poll_form(
            poll,
            [{"id": a.pk, "text": "A", "imported_votes": "900"}, {"id": b.pk, "text": "B"}],
            imported_respondents="1000",
            imported="on",
        )
        self.assertEqual(self.client.post(f"{ADMIN}edit/{poll.pk}/", data).status_code, 302)
        poll.refresh_from_db()
        a.refresh_from_db()
        self.assertFalse(poll.imported)
        self.assertIsNone(poll.imported_respondents)
        self.assertIsNone(a.imported_votes)

    def test_csv_export_has_a_row_per_option_and_per_audience(self) -> None:
        poll = poll_with_options("Вопрос", ["Да", "Нет"], ask_audience=True)
        yes, no = poll.options.all()
        ballot_cast(poll=poll, option_ids=[yes.pk], respondent=respondent(1), audience="business")
        ballot_cast(poll=poll, option_ids=[yes.pk], respondent=respondent(2), audience="student")
        ballot_cast(poll=poll, option_ids=[no.pk], respondent=respondent(3))
        response = self.client.get(f"{ADMIN}results-csv/{poll.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn(f"poll-{poll.number}-results.csv", response["Content-Disposition"])
        text = response.content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        overall = [r for r in rows if r["audience"] == "all"]
        self.assertEqual(
            [
                (r["option"], r["count"], r["percent_of_respondents"], r["respondents"])
                for r in overall
            ],
            [("Да", "2", "66.67", "3"), ("Нет", "1", "33.33", "3")],
        )
        by_audience = {
            (r["audience"], r["option"]): r["count"] for r in rows if r["audience"] != "all"
        }
        self.assertEqual(by_audience[("business", "Да")], "1")
        self.assertEqual(by_audience[("student", "Да")], "1")
        self.assertEqual(by_audience[("unspecified", "Нет")], "1")
        self.assertEqual(len(rows), 2 + 2 * 5)
        listing = self.client.get(ADMIN)
        self.assertContains(listing, f"{ADMIN}results-csv/{poll.pk}/")

    def test_csv_export_requires_permission(self) -> None:
        poll = poll_with_options()
        reader = User.objects.create_user("reader", password="x")
        group = Group.objects.create(name="admin access only")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        reader.groups.add(group)
        self.client.force_login(reader)
        response = self.client.get(f"{ADMIN}results-csv/{poll.pk}/")
        self.assertIn(response.status_code, (302, 403))
        self.assertNotEqual(response.get("Content-Type"), "text/csv; charset=utf-8")
        self.client.logout()
        response = self.client.get(f"{ADMIN}results-csv/{poll.pk}/")
        self.assertEqual(response.status_code, 302)
