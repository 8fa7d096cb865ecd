"""Experts: the people who write, with their profiles and links.

Their blogs are article containers and live in `articles`; the experts
directory that serves their profiles lives in `site`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from vestnik.authors.directory import expert_profile_url
from vestnik.core.locales import content_language
from vestnik.core.text import latin_name

# Who may edit every expert (editors); an author edits only their own profile.
EDITORS_PERMISSION = "authors.change_expert"


class Expert(index.Indexed, ClusterableModel):
    """A person who writes for the portal; the blog and every byline point here."""

    full_name = models.CharField(_("full name"), max_length=200, help_text=_("«Асан Жакупов»"))
    name_genitive = models.CharField(
        _("name in the genitive"),
        max_length=200,
        blank=True,
        help_text=_("«Асана Жакупова», for «Блог Асана Жакупова». Computed when left empty."),
    )
    full_name_en = models.CharField(
        _("name in English"),
        max_length=200,
        blank=True,
        # In the database too: the release still serving during an upgrade inserts without it.
        default="",
        db_default="",
        help_text=_(
            "As English texts spell it, e.g. «Asan Zhakupov». Transliterated when left empty."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=False)
    position = models.CharField(_("position"), max_length=255, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    bio = RichTextField(_("biography"), blank=True, features=["bold", "italic", "link", "ul"])
    # The English site shows these, and nothing in their place when they are empty:
    # never the Russian text inside English pages.
    position_en = models.CharField(
        _("position in English"), max_length=255, blank=True, default="", db_default=""
    )
    affiliation_en = models.CharField(
        _("affiliation in English"), max_length=255, blank=True, default="", db_default=""
    )
    bio_en = RichTextField(
        _("biography in English"),
        blank=True,
        default="",
        db_default="",
        features=["bold", "italic", "link", "ul"],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert",
        verbose_name=_("user account"),
        help_text=_(
            "The account this expert signs in with, if any: it may write in this expert's "
            "blog, edit their co-authored articles and this profile, and submit for review."
        ),
    )
    # Wagtail grants page permissions to groups only, so each author with an account
    # has a group of their own holding the rights on their blog (`articles.services`).
    account_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("account group"),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("full_name"),
                FieldPanel("name_genitive"),
                FieldPanel("full_name_en"),
                # The slug is the profile's and the blog's address, the account who signs
                # in as this expert a grant: editors' fields, not the expert's own.
                FieldPanel("slug", permission=EDITORS_PERMISSION),
            ],
            heading=_("Name"),
        ),
        FieldPanel("position"),
        FieldPanel("affiliation"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        MultiFieldPanel(
            [FieldPanel("position_en"), FieldPanel("affiliation_en"), FieldPanel("bio_en")],
            heading=_("In English"),
            help_text=_("What English pages show; left empty, they show nothing in its place."),
        ),
        InlinePanel("links", label=_("links")),
        FieldPanel("user", permission=EDITORS_PERMISSION),
    ]
    search_fields = [
        index.SearchField("full_name"),
        index.SearchField("full_name_en"),
        index.AutocompleteField("full_name"),
        index.SearchField("affiliation"),
    ]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.full_name

    @property
    def surname(self) -> str:
        return self.full_name.split()[-1] if self.full_name else ""

    @property
    def english_name(self) -> str:
        """«Asan Zhakupov»: the editors' spelling, else the transliteration."""
        return self.full_name_en or latin_name(self.full_name)

    @property
    def display_name(self) -> str:
        """The name in the language the reader reads (`core.locales`)."""
        return self.name_in(content_language())

    @property
    def shown_position(self) -> str:
        return self.position_en if content_language() == "en" else self.position

    @property
    def shown_affiliation(self) -> str:
        return self.affiliation_en if content_language() == "en" else self.affiliation

    @property
    def shown_bio(self) -> str:
        return self.bio_en if content_language() == "en" else self.bio

    def name_in(self, language: str) -> str:
        """The name as a text in `language` writes it."""
        return self.english_name if language == "en" else self.full_name

    @property
    def blog_title(self) -> str:
        return f"Блог {self.name_genitive or self.full_name}"

    def blog_title_in(self, language: str) -> str:
        """«Блог Асана Жакупова» / «Asan Zhakupov's Blog»."""
        if language == "en":
            return f"{self.english_name}'s Blog"
        return self.blog_title

    def get_profile_url(self) -> str | None:
        return expert_profile_url(self)


class ExpertLink(Orderable):
    expert = ParentalKey(Expert, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100)
    url = models.URLField(_("URL"))

    panels = [FieldPanel("label"), FieldPanel("url")]
