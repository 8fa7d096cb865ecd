"""Polls, their options, the ballots readers cast and the running tallies of them.

A ballot's rows are the record; `BallotCount` and `ChoiceCount` are running
tallies of those rows, so that results are a read of O(options) rows instead
of a count over every ballot. They change only in the same transaction as the
rows they count (`services.ballot_cast` and `services.ballots_delete`), and
`manage.py polls_recount` compares them with the rows and repairs any drift.
A poll whose totals were imported from a legacy archive keeps them in its own
`imported_*` fields, takes no ballots and has no tallies.

A poll is one row in every language: its English texts (`question_en`,
`PollOption.text_en`) sit beside the Russian ones, so a ballot cast under
`/en/` and one cast under `/` are rows of the same poll and count in the same
tallies (docs/polls.md, "Two languages").
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from vestnik.core.locales import content_language


class PollKind(models.TextChoices):
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices, up to a maximum")


class PollVoters(models.TextChoices):
    ANYONE = "anyone", _("Anyone (results are indicative)")
    SIGNED_IN = "signed_in", _("Signed-in readers only")


class ResultsVisibility(models.TextChoices):
    ALWAYS = "always", _("Always")
    AFTER_VOTING = "after_voting", _("After the reader has voted")
    AFTER_CLOSING = "after_closing", _("After the poll has closed")


class Audience(models.TextChoices):
    BUSINESS = "business", _("Business")
    RESEARCHER = "researcher", _("Researcher")
    STUDENT = "student", _("Student")
    OTHER = "other", _("Other")


def next_poll_number() -> int:
    """The archive number a new poll gets unless an editor chooses one."""
    return int(Poll.objects.aggregate(top=Max("number"))["top"] or 0) + 1


class Poll(ClusterableModel):
    number = models.PositiveIntegerField(
        _("number"),
        unique=True,
        default=next_poll_number,
        help_text=_("The poll's number in the archive."),
    )
    question = models.CharField(_("question"), max_length=500)
    method_note = models.TextField(
        _("note on method"),
        blank=True,
        help_text=_("Optional: who was asked, how, and how to read the results."),
    )
    # English texts: blank means not translated. db_default keeps the release
    # before this column able to insert polls while both run.
    question_en = models.CharField(
        _("question in English"),
        max_length=500,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "Leave empty if the poll has no English version. With it, English pages show "
            "the poll in English, and votes from both languages count together."
        ),
    )
    method_note_en = models.TextField(
        _("note on method in English"), blank=True, default="", db_default=""
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PollKind, default=PollKind.SINGLE)
    max_choices = models.PositiveSmallIntegerField(
        _("maximum number of choices"),
        default=1,
        help_text=_("For several choices: how many options a reader may tick at most."),
    )
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True, help_text=_("Leave empty to keep the poll open.")
    )
    voters = models.CharField(
        _("who may vote"), max_length=10, choices=PollVoters, default=PollVoters.ANYONE
    )
    results_visibility = models.CharField(
        _("results are shown"),
        max_length=15,
        choices=ResultsVisibility,
        default=ResultsVisibility.AFTER_VOTING,
    )
    ask_audience = models.BooleanField(
        _("ask who the reader is"),
        default=False,
        help_text=_("Business, researcher, student or other; results can then be split by it."),
    )
    site_wide = models.BooleanField(
        _("show site-wide"),
        default=True,
        help_text=_("Offer the poll in the widget on the home and article pages while it is open."),
    )
    imported = models.BooleanField(
        _("results imported from an archive"),
        default=False,
        help_text=_("The totals were carried over from a legacy site; the poll takes no ballots."),
    )
    imported_respondents = models.PositiveIntegerField(
        _("respondents (imported)"), null=True, blank=True
    )
    import_note = models.TextField(_("import notes"), blank=True)
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("imported with page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices__gte=1), name="polls_poll_max_choices_positive"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gte=F("opens_at")),
                name="polls_poll_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.question}"

    # --- cheap single-object reads -------------------------------------------

    @property
    def is_multiple(self) -> bool:
        return self.kind == PollKind.MULTIPLE

    @property
    def choices_allowed(self) -> int:
        return self.max_choices if self.is_multiple else 1

    @property
    def indicative(self) -> bool:
        """Anyone may vote, so a determined reader can vote twice: the results only indicate."""
        return self.voters == PollVoters.ANYONE and not self.imported

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return self.opens_at <= (now or timezone.now())

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        if self.imported:
            return True
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.has_started(now) and not self.is_closed(now)

    def results_visible(self, *, has_voted: bool, now: datetime.datetime | None = None) -> bool:
        """Whether tallies may be shown; once a poll is closed everyone may see them."""
        if self.is_closed(now) or self.results_visibility == ResultsVisibility.ALWAYS:
            return True
        return self.results_visibility == ResultsVisibility.AFTER_VOTING and has_voted

    @property
    def has_english(self) -> bool:
        return bool(self.question_en.strip())

    def text_language(self, language: str) -> str:
        """The language a reader of `language` sees the poll in: its own, or the site's first."""
        if language == "en" and self.has_english:
            return "en"
        return str(settings.LANGUAGE_CODE)

    def question_in(self, language: str) -> str:
        return self.question_en if self.text_language(language) == "en" else self.question

    @property
    def shown_question(self) -> str:
        """The question in the reader's language, for templates that only mention the poll."""
        return self.question_in(content_language())

    def method_note_in(self, language: str) -> str:
        if self.text_language(language) == "en":
            return self.method_note_en
        return self.method_note


class PollOption(Orderable):
    poll = ParentalKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("text"), max_length=255)
    text_en = models.CharField(
        _("text in English"), max_length=255, blank=True, default="", db_default=""
    )
    imported_votes = models.PositiveIntegerField(_("votes (imported)"), null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text

    def text_in(self, shown: str) -> str:
        """Its text in the language the poll is shown in (`Poll.text_language`)."""
        return (self.text_en or self.text) if shown == "en" else self.text


class Ballot(models.Model):
    """One respondent's answer to one poll; the unique constraint is the one-ballot rule."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    # "u:<user id>" for a signed-in reader, "c:<random id>" from the signed cookie.
    respondent_key = models.CharField(_("respondent"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.CharField(_("audience"), max_length=12, choices=Audience, blank=True)
    # A salted hash of the client address, for the rate window; never the address itself.
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("cast at"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "respondent_key"], name="polls_one_ballot_per_respondent"
            ),
        ]
        indexes = [
            models.Index(fields=["poll", "ip_hash", "created_at"], name="polls_ballot_rate_window"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}/{self.respondent_key}"


class BallotChoice(models.Model):
    """One ticked option of a ballot; results count these rows.

    `poll` and `audience` repeat the ballot's so that tallies are a single
    index-only scan of this table, without a join.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    # RESTRICT: an option someone voted for cannot be deleted on its own, only
    # together with its whole poll.
    option = models.ForeignKey(PollOption, on_delete=models.RESTRICT, related_name="choices")
    audience = models.CharField(max_length=12, choices=Audience, blank=True)

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "option"], name="polls_option_once_per_ballot"
            ),
        ]
        indexes = [
            models.Index(fields=["poll", "option", "audience"], name="polls_choice_tally"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.option_id}"


class BallotCount(models.Model):
    """How many ballots a poll has from one audience ("" when not asked or not given)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=12, choices=Audience, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ballot count")
        verbose_name_plural = _("ballot counts")
        constraints = [
            # Also the conflict target of the upsert in services._ballot_insert.
            models.UniqueConstraint(fields=["poll", "audience"], name="polls_ballot_count_key"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}/{self.audience or '-'}: {self.count}"


class ChoiceCount(models.Model):
    """How many ballots of one audience chose one option."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    # CASCADE is safe: an option with choices cannot be deleted (BallotChoice.option
    # is RESTRICT), so only zero tallies ever go with an option.
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=12, choices=Audience, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("choice count")
        verbose_name_plural = _("choice counts")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "option", "audience"], name="polls_choice_count_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id}/{self.option_id}/{self.audience or '-'}: {self.count}"
