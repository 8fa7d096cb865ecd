"""Events: the /events/ index, event pages, and the registrations readers make.

An event page holds what editors write (programme, speakers, registration
settings, and afterwards the video, photos and write-up). Registrations are
plain rows, not page content: they belong to the event in the site's first
language (`EventPage.registration_event`), so an event and its translation
share one list, one capacity and one waiting list.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from vestnik.authors.cache_keys import expert_key
from vestnik.core import front_cache
from vestnik.core.locales import language_of
from vestnik.core.pages import CachedPageMixin
from vestnik.core.selectors import visible_to_public
from vestnik.events.cache_keys import EVENT_LISTS
from vestnik.vocabulary.cache_keys import TERM_INDEXES, term_key
from vestnik.vocabulary.widgets import VocabularyTagWidget

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote"]

# What a related page may be. Labels, not classes: the publications app (the
# floor below) was built alongside this one; the check needs only the label.
RELATED_PAGE_TYPES = ("articles.ArticlePage", "publications.PublicationPage")


class EventIndexPage(CachedPageMixin, RoutablePageMixin, Page):
    """/events/: upcoming events first; past ones at /events/archive/<year>/."""

    template = "pages/events/event_index_page.html"

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["site.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("events index")

    def front_cache_keys(self) -> set[str]:
        return {*super().front_cache_keys(), front_cache.under_key(self.pk), EVENT_LISTS}

    # --- listings (this page's children a reader may see) ---------------------

    def events(self) -> PageQuerySet:
        return visible_to_public(EventPage.objects.child_of(self))

    def upcoming_events(self, now: datetime.datetime | None = None) -> list[EventPage]:
        """Events not yet over (those under way too), soonest first."""
        return list(self.events().filter(end__gt=now or timezone.now()).order_by("start", "pk"))

    def past_events(
        self, *, year: int | None = None, now: datetime.datetime | None = None
    ) -> PageQuerySet:
        """Events that have ended, latest first; of `year` (in the site's time zone) if given."""
        pages = self.events().filter(end__lte=now or timezone.now())
        if year is not None:
            pages = pages.filter(start__year=year)
        return pages.order_by("-start", "-pk")

    def archive_years(self, now: datetime.datetime | None = None) -> list[int]:
        """The years that have past events, latest first."""
        return [moment.year for moment in self.past_events(now=now).dates("start", "year", "DESC")]

    # --- routes --------------------------------------------------------------

    @path("")
    def upcoming(self, request: HttpRequest) -> TemplateResponse:
        return self.render(
            request,
            context_overrides={
                "upcoming": self.upcoming_events(),
                "recent": self.past_events()[:6],
                "years": self.archive_years(),
                "year": None,
            },
        )

    @path("archive/<int:year>/")
    def archive(self, request: HttpRequest, year: int) -> TemplateResponse:
        years = self.archive_years()
        if year not in years:
            raise Http404
        return self.render(
            request,
            template="pages/events/event_archive.html",
            context_overrides={"past": self.past_events(year=year), "years": years, "year": year},
        )


class EventKind(models.TextChoices):
    ROUND_TABLE = "round_table", _("Round table")
    CONFERENCE = "conference", _("Conference")
    LECTURE = "lecture", _("Lecture")
    PRESENTATION = "presentation", _("Presentation")


class EventPage(CachedPageMixin, Page):
    template = "pages/events/event_page.html"

    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.ROUND_TABLE
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    place = models.TextField(
        _("place"), blank=True, help_text=_("The address, as a reader would look for it.")
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Where to watch or join online.")
    )
    event_language = models.CharField(
        _("language of the event"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    lead = models.TextField(_("lead"), blank=True)
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    countries = ParentalManyToManyField(
        "vocabulary.Country", blank=True, related_name="events", verbose_name=_("countries")
    )
    topics = ParentalManyToManyField(
        "vocabulary.Topic", blank=True, related_name="events", verbose_name=_("topics")
    )

    # Registration.
    registration_open = models.BooleanField(_("registration open"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats; empty means no limit.")
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the seats are taken, further registrations wait for a free one."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: registration stays open until the event starts."),
    )

    # After the event.
    video_url = models.URLField(
        _("video"), blank=True, help_text=_("A YouTube, VK Video or Rutube link.")
    )
    write_up = RichTextField(_("transcript or write-up"), blank=True, features=RICH_TEXT_FEATURES)
    resulting_publication = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resulting publication"),
    )
    # Bumped when the time or place changes, so calendars replace their copy (SEQUENCE).
    schedule_sequence = models.PositiveIntegerField(default=0, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")], heading=_("When")),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("online_url"), FieldPanel("event_language")],
            heading=_("Where"),
        ),
        FieldPanel("lead"),
        FieldPanel("description"),
        InlinePanel("participants", label=_("speaker or moderator"), heading=_("Speakers")),
        InlinePanel(
            "related_pages",
            label=_("related page"),
            heading=_("Related publications and articles"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("countries", widget=VocabularyTagWidget("countries")),
                FieldPanel("topics", widget=VocabularyTagWidget("topics")),
            ],
            heading=_("Tags"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_open"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waiting_list")]),
                FieldPanel("registration_deadline"),
                InlinePanel("questions", label=_("question"), heading=_("Extra questions")),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("video_url"),
                InlinePanel("photos", label=_("photo")),
                FieldPanel("write_up"),
                PageChooserPanel("resulting_publication"),
            ],
            heading=_("After the event"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("description"),
        index.SearchField("write_up"),
        index.FilterField("start"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    # Facts of the event are the same in every language; its words are translated.
    override_translatable_fields = [
        SynchronizedField("kind", overridable=False),
        SynchronizedField("start", overridable=False),
        SynchronizedField("end", overridable=False),
        SynchronizedField("online_url", overridable=False),
        SynchronizedField("event_language", overridable=False),
        SynchronizedField("countries", overridable=False),
        SynchronizedField("topics", overridable=False),
        SynchronizedField("registration_open", overridable=False),
        SynchronizedField("capacity", overridable=False),
        SynchronizedField("waiting_list", overridable=False),
        SynchronizedField("registration_deadline", overridable=False),
        SynchronizedField("video_url", overridable=False),
        SynchronizedField("resulting_publication"),
    ]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The event cannot end before it starts.")})
        if self.resulting_publication_id:
            _check_related_type(self.resulting_publication, "resulting_publication")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            before = EventPage.objects.filter(pk=self.pk).values("start", "end", "place").first()
            if before and (before["start"], before["end"], before["place"]) != (
                self.start,
                self.end,
                self.place,
            ):
                self.schedule_sequence += 1
        super().save(*args, **kwargs)

    # --- cheap single-object reads -------------------------------------------

    @property
    def language(self) -> str:
        return language_of(self.locale_id)

    def has_ended(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end

    def is_upcoming(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) < self.start

    def registration_event(self) -> EventPage:
        """The event in the site's first language: the one registrations belong to."""
        if language_of(self.locale_id) == settings.LANGUAGE_CODE:
            return self
        source = EventPage.objects.filter(
            translation_key=self.translation_key,
            locale__language_code=settings.LANGUAGE_CODE,
        ).first()
        return source or self

    def registration_closes_at(self) -> datetime.datetime:
        return self.registration_deadline or self.start

    def localized_in(self, language: str) -> EventPage:
        """This event's page in `language`, when it exists and is live; else this one."""
        locale = Locale.objects.filter(language_code=language).first()
        if locale is None or locale.pk == self.locale_id:
            return self
        other = (
            EventPage.objects.live()
            .filter(translation_key=self.translation_key, locale=locale)
            .first()
        )
        return other or self

    # --- front cache ---------------------------------------------------------

    def front_cache_purge_keys(self) -> set[str]:
        """Also the event lists (index, archive, calendar feed) and its tags' pages."""
        keys = super().front_cache_purge_keys()
        keys.update({EVENT_LISTS, TERM_INDEXES})
        for kind in ("countries", "topics"):
            keys.update(
                term_key(kind, pk) for pk in getattr(self, kind).values_list("pk", flat=True)
            )
        keys.update(
            expert_key(pk)
            for pk in self.participants.exclude(expert=None).values_list("expert_id", flat=True)
        )
        return keys


def _check_related_type(page: Page | None, field: str) -> None:
    if page is None:
        return
    label = page.specific_class._meta.label if page.specific_class else ""
    if label not in RELATED_PAGE_TYPES:
        raise ValidationError({field: _("Choose an article or a publication.")})


class ParticipantRole(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    MODERATOR = "moderator", _("Moderator")


class EventParticipant(TranslatableMixin, Orderable):
    """A speaker or moderator: one of our experts, or a guest named here."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(
        _("role"), max_length=20, choices=ParticipantRole.choices, default=ParticipantRole.SPEAKER
    )
    expert = models.ForeignKey(
        "authors.Expert",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_participations",
        verbose_name=_("expert"),
    )
    name = models.CharField(
        _("guest's name"), max_length=200, blank=True, help_text=_("For a guest, not an expert.")
    )
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)

    panels = [
        FieldPanel("role"),
        FieldPanel("expert"),
        FieldPanel("name"),
        FieldPanel("affiliation"),
    ]
    translatable_fields = [
        SynchronizedField("role", overridable=False),
        SynchronizedField("expert", overridable=False),
        TranslatableField("name"),
        TranslatableField("affiliation"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def clean(self) -> None:
        if not self.expert_id and not self.name.strip():
            raise ValidationError({"name": _("Choose an expert or write a guest's name.")})

    @property
    def display_name(self) -> str:
        if self.expert is not None:
            return str(self.expert.display_name)
        return self.name

    @property
    def display_affiliation(self) -> str:
        if self.affiliation:
            return self.affiliation
        if self.expert is not None:
            return str(getattr(self.expert, "shown_affiliation", "") or "")
        return ""

    def __str__(self) -> str:
        return self.display_name


class EventRelatedPage(Orderable):
    """A publication or article the event is about (or that came out of it)."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="related_pages")
    related = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )

    panels = [PageChooserPanel("related")]

    class Meta(Orderable.Meta):
        verbose_name = _("related page")

    def clean(self) -> None:
        if self.related_id:
            _check_related_type(self.related, "related")


class EventQuestion(TranslatableMixin, Orderable):
    """A question the registration form asks besides name, e-mail and organisation."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("required"), default=False)

    panels = [FieldPanel("label"), FieldPanel("required")]
    translatable_fields = [
        TranslatableField("label"),
        SynchronizedField("required", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label


class EventPhoto(TranslatableMixin, Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]
    translatable_fields = [
        SynchronizedField("image", overridable=False),
        TranslatableField("caption"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """One reader's registration for an event (its first-language page)."""

    event = models.ForeignKey(
        EventPage,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    name = models.CharField(_("name"), max_length=200)
    # Stored lower-cased (services.registration_create), so the unique
    # constraint below compares addresses case-insensitively.
    email = models.EmailField(_("e-mail"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, db_index=True
    )
    # The language the reader registered in: their e-mails are written in it.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            # One live registration per address per event; a cancelled one
            # does not stop the reader from registering again.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(status="cancelled"),
                name="events_one_registration_per_email",
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")),
                name="events_registration_email_lower_case",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def answers_text(self) -> str:
        """The answers in one cell of the export: «Question: answer; …»."""
        return "; ".join(f"{question}: {answer}" for question, answer in self.answers.items())
