"""The publications library: series of reports and working papers, their pages, downloads.

`PublicationIndexPage` lists them at /publications/; each `PublicationPage` is
one numbered issue of a `PublicationSeries` («Рабочая тетрадь № 91/2025») with
its PDF. The PDF's page count and text are read by `publications.pdf` when the
file changes (the admin form; `services.publication_pdf_refresh` for code), and
stored on the page so that
search and insights read a column, not the file. Downloads are counted per
page and day (`DownloadCount`) by the download view, which the front cache
never keeps.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from vestnik.articles.blocks import CaptionedImageBlock, HeadingBlock, ParagraphBlock, QuoteBlock
from vestnik.authors.cache_keys import expert_key
from vestnik.core import front_cache
from vestnik.core.locales import language_of
from vestnik.core.pages import CachedPageMixin
from vestnik.core.review import ReviewedText
from vestnik.core.text import latin_name
from vestnik.publications.cache_keys import PUBLICATION_FILTERS, series_key
from vestnik.publications.forms import PDF_PROBLEM_MESSAGES, PublicationPageForm
from vestnik.publications.pdf import PdfInfo, pdf_inspect
from vestnik.publications.text import publication_text
from vestnik.vocabulary.cache_keys import TERM_INDEXES, term_key
from vestnik.vocabulary.widgets import VocabularyTagWidget


def this_year() -> int:
    return timezone.localdate().year


class PublicationSeries(TranslatableMixin, models.Model):
    """«Рабочие тетради», «Доклады»: a numbered series, kept by editors as a snippet."""

    name = models.CharField(_("name"), max_length=150, help_text=_("Plural, e.g. «Доклады»."))
    item_name = models.CharField(
        _("name of one issue"),
        max_length=150,
        blank=True,
        help_text=_(
            "Singular, as in «Рабочая тетрадь № 91/2025»; the name is used when left empty."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=150, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("item_name"),
        FieldPanel("slug"),
        FieldPanel("description"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("publication series")
        verbose_name_plural = _("publication series")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_publication_series_slug_per_locale"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def singular(self) -> str:
        return self.item_name or self.name


class PublicationIndexPage(CachedPageMixin, Page):
    """/publications/: every public publication, newest first, with filters (`selectors`)."""

    template = "pages/publications/publication_index_page.html"

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["site.HomePage"]
    subpage_types = ["publications.PublicationPage"]
    max_count_per_parent = 1

    publications_per_page = 12

    class Meta:
        verbose_name = _("publications library")

    def front_cache_keys(self) -> set[str]:
        # Every card is a child; a filter's choices change with any series.
        return {*super().front_cache_keys(), front_cache.under_key(self.pk), PUBLICATION_FILTERS}


class PublicationBodyBlock(blocks.StreamBlock):
    """The web version's text: the article body's text blocks, without polls and embeds."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()


class PublicationPage(CachedPageMixin, ReviewedText, Page):
    template = "pages/publications/publication_page.html"
    base_form_class = PublicationPageForm
    reviewed_fields = ("title", "seo_title", "search_description", "abstract", "body")

    series = models.ForeignKey(
        PublicationSeries,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("series"),
    )
    number = models.CharField(_("number"), max_length=20, help_text=_("e.g. 91"))
    year = models.PositiveSmallIntegerField(_("year"), default=this_year)
    publication_date = models.DateField(_("publication date"), default=timezone.localdate)
    abstract = models.TextField(_("abstract"), blank=True)
    cover = models.ForeignKey(
        "core.VestnikImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    pdf = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PDF file"),
    )
    # Read from the PDF (`publications.pdf`), never typed in.
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    pdf_text = models.TextField(_("text of the PDF"), blank=True, editable=False)
    pdf_problem = models.CharField(_("PDF problem"), max_length=20, blank=True, editable=False)
    # Which file the three fields above were read from: «<document id>:<file name>».
    pdf_source = models.CharField(max_length=300, blank=True, editable=False)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        help_text=_("Without https://doi.org/, e.g. 10.1234/abc"),
    )
    place = models.CharField(
        _("place of publication"), max_length=100, blank=True, help_text=_("e.g. Москва")
    )
    print_edition = models.CharField(
        _("print edition"),
        max_length=255,
        blank=True,
        help_text=_("As printed, e.g. «М.: Вестник, 2025. 48 с.»"),
    )
    body = StreamField(PublicationBodyBlock(), verbose_name=_("full text for the web"), blank=True)
    countries = ParentalManyToManyField(
        "vocabulary.Country", blank=True, related_name="publications", verbose_name=_("countries")
    )
    regions = ParentalManyToManyField(
        "vocabulary.Region", blank=True, related_name="publications", verbose_name=_("regions")
    )
    topics = ParentalManyToManyField(
        "vocabulary.Topic", blank=True, related_name="publications", verbose_name=_("topics")
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("series"),
                FieldRowPanel([FieldPanel("number"), FieldPanel("year")]),
                FieldPanel("publication_date"),
            ],
            heading=_("Series and number"),
        ),
        InlinePanel("authors", label=_("author"), heading=_("Authors"), min_num=0),
        FieldPanel("abstract"),
        FieldPanel("cover"),
        FieldPanel("pdf", help_text=_("The page count and text are read from the file.")),
        HelpPanel(template="wagtailadmin/publications/pdf_panel.html", heading=_("PDF status")),
        MultiFieldPanel(
            [
                FieldPanel("print_edition"),
                FieldPanel("place"),
                FieldRowPanel([FieldPanel("isbn"), FieldPanel("doi")]),
            ],
            heading=_("Bibliographic data"),
        ),
        MultiFieldPanel(
            [
                FieldPanel(
                    "countries",
                    widget=VocabularyTagWidget("countries"),
                    help_text=_("Type a name, «РФ», «США» or an ISO code and pick a suggestion."),
                ),
                FieldPanel("regions", widget=VocabularyTagWidget("regions")),
                FieldPanel("topics", widget=VocabularyTagWidget("topics")),
            ],
            heading=_("Tags"),
        ),
        FieldPanel("body"),
    ]
    # Wagtail's own index serves the admin's page search; readers' search is
    # discovery's, which reads `publication_text` (with the PDF's text).
    search_fields = [
        *Page.search_fields,
        index.SearchField("abstract"),
        index.SearchField("body"),
        index.FilterField("publication_date"),
        index.FilterField("year"),
    ]
    parent_page_types = ["publications.PublicationIndexPage"]
    subpage_types: list[str] = []

    # The series, number, file, authors and tags are facts about the publication,
    # not words of it: a translation carries its source's. A translated PDF may
    # replace the file (overridable); the text read from it goes with it.
    override_translatable_fields = [
        SynchronizedField("series", overridable=False),
        SynchronizedField("number", overridable=False),
        SynchronizedField("year", overridable=False),
        SynchronizedField("authors", overridable=False),
        SynchronizedField("countries", overridable=False),
        SynchronizedField("regions", overridable=False),
        SynchronizedField("topics", overridable=False),
        SynchronizedField("cover"),
        SynchronizedField("pdf"),
        SynchronizedField("isbn"),
        SynchronizedField("doi"),
    ]

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    # --- cheap single-object reads -------------------------------------------

    @property
    def language(self) -> str:
        return language_of(self.locale_id)

    def series_in_language(self) -> PublicationSeries:
        """The series as the page's language names it: its translation, else the source."""
        series = self.series
        if series.locale_id != self.locale_id:
            translated = series.get_translation_or_none(self.locale)
            if translated is not None:
                return translated
        return series

    def label_with(self, series: PublicationSeries) -> str:
        with translation.override(self.language):
            return gettext("%(series)s No. %(number)s/%(year)s") % {
                "series": series.singular,
                "number": self.number,
                "year": self.year,
            }

    @property
    def label(self) -> str:
        """«Рабочая тетрадь № 91/2025», «Working Paper No. 91/2025»."""
        return self.label_with(self.series_in_language())

    @property
    def report_number(self) -> str:
        """«91/2025»: the number as catalogues and `citation_technical_report_number` write it."""
        return f"{self.number}/{self.year}"

    def text_author_ids(self) -> set[int]:
        return {
            author.expert.user_id
            for author in self.authors.select_related("expert")
            if author.expert is not None and author.expert.user_id is not None
        }

    @property
    def plain_text(self) -> str:
        return publication_text(self)

    def get_admin_display_title(self) -> str:
        title: str = super().get_admin_display_title()
        try:
            return f"{self.label}. {title}"
        except PublicationSeries.DoesNotExist:
            return title

    # --- the PDF -------------------------------------------------------------

    def pdf_refresh(self) -> PdfInfo | None:
        """Read the page count and text from the PDF if it is not the file they came from.

        Returns what was read, or None when nothing had to be (same file, or none).
        """
        document = self.pdf
        if document is None:
            self.page_count, self.pdf_text, self.pdf_problem, self.pdf_source = None, "", "", ""
            return None
        source = f"{document.pk}:{document.file.name}"[:300]
        if source == self.pdf_source:
            return None
        try:
            with document.open_file() as stream:
                info = pdf_inspect(stream)
        except OSError:
            info = PdfInfo(page_count=None, text="", problem="malformed")
        self.page_count, self.pdf_text, self.pdf_problem = info.page_count, info.text, info.problem
        self.pdf_source = source
        return info

    @property
    def pdf_problem_message(self) -> str:
        return str(PDF_PROBLEM_MESSAGES.get(self.pdf_problem, ""))

    def downloads_total(self) -> int:
        if self.pk is None:
            return 0
        total = self.download_counts.aggregate(total=models.Sum("count"))["total"]
        return int(total or 0)

    # --- front cache ---------------------------------------------------------

    def front_cache_keys(self) -> set[str]:
        return {*super().front_cache_keys(), series_key(self.series_id)}

    def front_cache_purge_keys(self) -> set[str]:
        keys = super().front_cache_purge_keys()
        keys.update({TERM_INDEXES, PUBLICATION_FILTERS})
        # Through `.all()`: on a page just built in memory, modelcluster's
        # stand-in querysets know their objects but not `values_list`.
        keys.update(
            expert_key(author.expert_id)
            for author in self.authors.all()
            if author.expert_id is not None
        )
        for kind in ("countries", "regions", "topics"):
            keys.update(term_key(kind, term.pk) for term in getattr(self, kind).all())
        return keys


class PublicationAuthor(Orderable):
    """One author of a publication, in order: an expert of the institute or a name from outside."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="authors")
    expert = models.ForeignKey(
        "authors.Expert",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publication_authorships",
        verbose_name=_("expert"),
    )
    name = models.CharField(
        _("outside author"),
        max_length=200,
        blank=True,
        help_text=_("Full name, «Имя Фамилия», when the author is not one of the experts."),
    )
    name_en = models.CharField(_("outside author (English)"), max_length=200, blank=True)

    panels = [FieldPanel("expert"), FieldPanel("name"), FieldPanel("name_en")]

    class Meta(Orderable.Meta):
        verbose_name = pgettext_lazy("publication", "author")
        verbose_name_plural = pgettext_lazy("publication", "authors")

    def __str__(self) -> str:
        return self.name_in("ru")

    def clean(self) -> None:
        super().clean()
        if (self.expert_id is None) == (not self.name.strip()):
            raise ValidationError(
                _("Choose an expert or write an outside author's name, not both."),
                code="author_expert_or_name",
            )

    def name_in(self, language: str) -> str:
        if self.expert is not None:
            return self.expert.name_in(language)
        if language == "en":
            # As an expert's: the editors' spelling, else the transliteration.
            return self.name_en or latin_name(self.name)
        return self.name

    def get_profile_url(self) -> str | None:
        return self.expert.get_profile_url() if self.expert is not None else None


class DownloadCount(models.Model):
    """How many times a publication's PDF was downloaded on a day (server time zone)."""

    page = models.ForeignKey(
        PublicationPage, on_delete=models.CASCADE, related_name="download_counts"
    )
    date = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("download count")
        verbose_name_plural = _("download counts")
        constraints = [
            models.UniqueConstraint(fields=["page", "date"], name="unique_download_count_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.date}: {self.count}"
