"""Polls in the Wagtail admin: a snippet with inline options and a CSV export."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from vestnik.polls.exports import poll_results_csv
from vestnik.polls.forms import PollAdminForm
from vestnik.polls.models import Poll


def _state(poll: Poll) -> str:
    now = timezone.now()
    if poll.imported:
        return str(_("imported"))
    if not poll.has_started(now):
        return str(_("scheduled"))
    return str(_("closed")) if poll.is_closed(now) else str(_("open"))


def _respondents(poll: Poll) -> int | None:
    if poll.imported:
        return poll.imported_respondents
    return getattr(poll, "ballot_count", None)


class PollIndexView(IndexView):
    def get_list_more_buttons(self, instance: Any) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(
            MenuItem(
                _("Download results (CSV)"),
                url=reverse("wagtailsnippets_polls_poll:results_csv", args=[instance.pk]),
                icon_name="download",
                priority=40,
            )
        )
        return buttons


class PollViewSet(SnippetViewSet):
    model = Poll
    icon = "list-ul"
    menu_label = _("Polls")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = PollIndexView
    list_display = [
        "number",
        "question",
        Column("state", label=_("state"), accessor=_state),
        Column("respondents", label=_("respondents"), accessor=_respondents),
        "opens_at",
        "closes_at",
    ]
    search_fields = ["question", "question_en"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("number"), FieldPanel("question"), FieldPanel("method_note")],
                heading=_("Question"),
            ),
            MultiFieldPanel(
                [FieldPanel("question_en"), FieldPanel("method_note_en")],
                heading=_("In English"),
                help_text=_(
                    "One poll in both languages: English pages show these texts and the "
                    "options' English texts, and votes from both count in the same results."
                ),
            ),
            InlinePanel(
                "options",
                heading=_("Options"),
                label=_("option"),
                min_num=2,
                help_text=_(
                    "Once the first ballot is in, options can no longer be removed or "
                    "reordered; counts come only from ballots."
                ),
                panels=[
                    FieldPanel("text"),
                    FieldPanel("text_en"),
                    FieldPanel("imported_votes", read_only=True),
                ],
            ),
            MultiFieldPanel([FieldPanel("kind"), FieldPanel("max_choices")], heading=_("Choices")),
            MultiFieldPanel(
                [
                    FieldPanel("opens_at"),
                    FieldPanel("closes_at"),
                    FieldPanel("voters"),
                    FieldPanel("results_visibility"),
                    FieldPanel("ask_audience"),
                    FieldPanel("site_wide"),
                ],
                heading=_("Voting"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("imported", read_only=True),
                    FieldPanel("imported_respondents", read_only=True),
                    FieldPanel("import_note", read_only=True),
                ],
                heading=_("Imported results"),
            ),
        ],
        base_form_class=PollAdminForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Poll]:
        return Poll.objects.annotate(ballot_count=Count("ballots"))

    def results_csv_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.permission_policy.user_has_any_permission(request.user, ["view", "change"]):
            raise PermissionDenied
        poll = get_object_or_404(Poll, pk=pk)
        # A byte-order mark makes spreadsheet programs read the Cyrillic as UTF-8.
        response = HttpResponse(
            "\ufeff" + poll_results_csv(poll), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="poll-{poll.number}-results.csv"'
        return response

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("results-csv/<int:pk>/", self.results_csv_view, name="results_csv"),
        ]


register_snippet(PollViewSet)
