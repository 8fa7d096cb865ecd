"""What extraction found in published articles, and the corrections editors made to it.

An `Entity` is a country, organisation, person or other place, known across
articles; a `Mention` counts how often one article names it. Timelines and key
figures belong to the article they were read from. Editors' corrections are
data on these rows, never on the extraction's output, which is why they survive
every re-run:

- `Entity.merged_into`: this entity is another one («Анкара» → «Турция»);
  extraction resolves names through the chain, so a merged name never comes
  back on its own;
- `Entity.aliases`: more names for the entity, looked up before anything else;
- `Entity.hidden`: not an entity at all («СВО»), dropped from every article;
- `Mention.hidden`: wrong in this article only; the row stays when a re-run no
  longer finds the name, so it stays hidden if a later edit brings it back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vestnik.insights.extractors.base import PartialDate
from vestnik.insights.extractors.entities import name_key


class Entity(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("country")
        ORGANISATION = "organisation", _("organisation")
        PERSON = "person", _("person")
        LOCATION = "location", _("place")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    name = models.CharField(
        _("name"), max_length=255, help_text=_("In the nominative, as readers should see it.")
    )
    short_name = models.CharField(
        _("abbreviation"), max_length=60, blank=True, help_text=_("ОДКБ, TUSAŞ …")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    aliases = models.TextField(
        _("aliases"),
        blank=True,
        help_text=_(
            "Comma-separated names that mean this entity, e.g. a capital for its state "
            "(«Анкара» for Turkey). Used by every later extraction."
        ),
    )
    country = models.OneToOneField(
        "vocabulary.Country",
        verbose_name=_("country in the vocabulary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insights_entity",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_entities",
        help_text=_("This entity is the same as another one: its mentions count there."),
    )
    hidden = models.BooleanField(
        _("not an entity"),
        default=False,
        help_text=_("Hide it in every article, now and after every re-extraction."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="insights_entity_not_merged_into_itself",
            ),
            # Extraction finds an entity by its name; two of one kind would split its mentions.
            models.UniqueConstraint(fields=["kind", "name"], name="insights_entity_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def clean(self) -> None:
        if self.merged_into_id is not None and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": _("An entity cannot be merged into itself.")})

    def name_in(self, language: str) -> str:
        """The name for readers of `language`: a country's English name under /en/.

        Other entities have one name, the one extraction first met (Russian
        for most, English for those only English articles name).
        """
        if language == "en" and self.country is not None and self.country.name_en:
            return str(self.country.name_en)
        return self.name

    def alias_list(self) -> list[str]:
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]

    def names(self) -> list[str]:
        """Every name that resolves to this entity."""
        return [self.name, self.short_name, *self.alias_list()]

    def has_name(self, name: str) -> bool:
        key = name_key(name)
        return any(name_key(own) == key for own in self.names() if own)


class Mention(models.Model):
    # Any page of a type registered with `core.indexing` (an article, a publication, an event).
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="insight_mentions",
    )
    # The page's date (its describer's): entity pages count mentions per month of it.
    date = models.DateField(null=True, editable=False)
    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.CASCADE, related_name="mentions"
    )
    count = models.PositiveIntegerField(_("mentions"), default=0)
    hidden = models.BooleanField(
        _("hidden"), default=False, help_text=_("Wrong in this article; kept hidden after re-runs.")
    )
    # The words the article used: «Турции, Турцию, Анкарой». For editors checking a mention.
    forms = models.TextField(_("as written"), blank=True, editable=False)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["-count"]
        constraints = [
            models.UniqueConstraint(fields=["page", "entity"], name="insights_one_mention_per_page")
        ]
        indexes = [models.Index(fields=["entity", "hidden"], name="insights_mention_entity")]

    def __str__(self) -> str:
        return f"{self.entity} × {self.count}"


class TimelineEvent(models.Model):
    """A dated sentence of an article: «в марте 1992 г. …» at 1992-03."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="insight_timeline"
    )
    # The page's date: events of one day are listed in the order they were written about.
    page_date = models.DateField(null=True, editable=False)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    day = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(null=True, blank=True)
    end_day = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField()
    position = models.PositiveIntegerField(help_text="Sentence number in the article.")
    # The entities named in the same sentence: an entity's page shows their timeline.
    entities = models.ManyToManyField(Entity, related_name="timeline_events", blank=True)

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["year", "month", "day", "position"]
        indexes = [models.Index(fields=["page", "year"], name="insights_event_page")]

    def __str__(self) -> str:
        return f"{self.iso()}: {self.text[:60]}"

    @property
    def date(self) -> PartialDate:
        return PartialDate(self.year, self.month, self.day)

    @property
    def end(self) -> PartialDate | None:
        if self.end_year is None:
            return None
        return PartialDate(self.end_year, self.end_month, self.end_day)

    def iso(self) -> str:
        end = self.end
        return self.date.iso() if end is None else f"{self.date.iso()}/{end.iso()}"


class KeyFigure(models.Model):
    """A sum of money or a percentage, and what it measures."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="insight_figures"
    )
    value = models.FloatField(help_text="In units: 2.5e9 for «2,5 млрд долл.».")
    unit = models.CharField(max_length=8, help_text="USD, RUB, EUR, KZT … or %.")
    display = models.CharField(max_length=80)
    label = models.CharField(max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sentence = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["page", "position"], name="insights_figure_page")]

    def __str__(self) -> str:
        return self.display
