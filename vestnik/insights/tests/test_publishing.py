"""Publishing an article extracts its insights in a task, after the publish commits."""

from __future__ import annotations

from django.test import TestCase

from vestnik.articles.factories import article_in_blog, expert_with_blog
from vestnik.insights.models import Mention, TimelineEvent
from vestnik.insights.tasks import insights_extract_task
from vestnik.site.services import site_setup
from vestnik.vocabulary.terms import vocabulary_ensure


class PublishTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        site_setup()
        vocabulary_ensure()
        cls.blog = expert_with_blog()

    def test_publishing_runs_extraction_once_committed(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            article = article_in_blog(
                self.blog,
                lead="В марте 1992 г. Турция признала независимость Казахстана.",
                body=[("paragraph", "<p>Анкара и Астана расширяют сотрудничество[^1].</p>")],
                footnotes={"1": "<p>Источник: ООН.</p>"},
            )
            # Nothing happens before the transaction commits …
            self.assertFalse(Mention.objects.filter(page=article).exists())
        for callback in callbacks:
            callback()

        # … and then the immediate backend runs the task.
        counts = dict(Mention.objects.filter(page=article).values_list("entity__name", "count"))
        self.assertEqual(counts, {"Турция": 2, "Казахстан": 2})  # the footnote is not read
        self.assertEqual(
            list(TimelineEvent.objects.filter(page=article).values_list("year", "month")),
            [(1992, 3)],
        )

    def test_the_task_skips_pages_that_are_not_live(self) -> None:
        article = article_in_blog(self.blog, title="Черновик", publish=False)

        result = insights_extract_task.enqueue(article.pk)

        self.assertEqual(result.return_value, {"entities": 0, "events": 0, "figures": 0})
