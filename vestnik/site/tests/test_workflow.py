"""Editorial workflow: authors submit, editors approve, nobody approves their own text."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.site.services import AUTHORS_GROUP, EDITORS_GROUP, site_setup


class EditorialWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        user_model = get_user_model()
        cls.author = user_model.objects.create_user("author", password="x")
        cls.author.groups.add(Group.objects.get(name=AUTHORS_GROUP))
        cls.editor = user_model.objects.create_user("editor", password="x")
        cls.editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
        cls.other_editor = user_model.objects.create_user("editor2", password="x")
        cls.other_editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
        cls.blog = expert_with_blog()

    def submit(self, user):  # type: ignore[no-untyped-def]
        article = article_in_blog(self.blog, title=f"Черновик {user.username}", publish=False)
        article.save_revision(user=user)
        workflow = article.get_workflow()
        assert workflow is not None
        workflow.start(article, user)
        article.refresh_from_db()
        return article

    def test_author_submits_but_cannot_approve(self) -> None:
        article = self.submit(self.author)
        task = article.current_workflow_task
        self.assertEqual(task.specific.get_actions(article, self.author), [])
        self.assertFalse(article.live)

    def test_editor_approves_and_publishes(self) -> None:
        article = self.submit(self.author)
        task_state = article.current_workflow_task_state
        actions = [
            name
            for name, _label, _modal in task_state.task.specific.get_actions(article, self.editor)
        ]
        self.assertIn("approve", actions)
        task_state.task.specific.on_action(task_state, self.editor, "approve")
        article.refresh_from_db()
        self.assertTrue(article.live)

    def test_an_editor_cannot_approve_their_own_submission(self) -> None:
        article = self.submit(self.editor)
        task_state = article.current_workflow_task_state
        self.assertEqual(task_state.task.specific.get_actions(article, self.editor), [])
        with self.assertRaises(PermissionDenied):
            task_state.task.specific.on_action(task_state, self.editor, "approve")
        self.assertFalse(article.live)
        moderated = task_state.task.specific.get_task_states_user_can_moderate(self.editor)
        self.assertFalse(moderated.filter(pk=task_state.pk).exists())
        task_state.task.specific.on_action(task_state, self.other_editor, "approve")
        article.refresh_from_db()
        self.assertTrue(article.live)

    def test_scheduled_publishing_with_publish_scheduled(self) -> None:
        article = article_in_blog(self.blog, title="Запланированная статья", publish=False)
        revision = article.save_revision(
            approved_go_live_at=timezone.now() - timezone.timedelta(minutes=1)
        )
        revision.publish()  # schedules, because go-live is set
        article.refresh_from_db()
        call_command("publish_scheduled")
        article.refresh_from_db()
        self.assertTrue(article.live)
