"""Articles and the blogs that hold them: body, footnotes, tags, share links.

Page types here hold data and cheap single-object reads. What their templates
need from other pages (bylines, related articles, share links) comes from
`selectors`, registered as context providers in `apps.py`; their extra routes
(print, citation files, PDF) live with the views in `routes.py`.
"""

from __future__ import annotations

import math
import unicodedata
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override as translation_override

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PagePermissionTester, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from vestnik.articles.blocks import ArticleBodyBlock, heading_anchor
from vestnik.articles.bylines import authors_in_order
from vestnik.articles.footnotes import KEY_MAX_CHARS, FootnoteIndex, marker
from vestnik.articles.routes import ArticleRoutes
from vestnik.articles.text import article_text
from vestnik.authors.cache_keys import EXPERT_DIRECTORY, expert_key
from vestnik.authors.models import Expert
from vestnik.core import front_cache
from vestnik.core.locales import language_of
from vestnik.core.pages import CachedPageMixin
from vestnik.core.review import ReviewedPermissions, ReviewedText, ReviewPermissionTester
from vestnik.core.text import word_count
from vestnik.vocabulary.cache_keys import TERM_INDEXES, term_key
from vestnik.vocabulary.widgets import VocabularyTagWidget

# Silent reading speed of Russian analytical prose, words per minute.
READING_WORDS_PER_MINUTE = 180


class ArticlePage(CachedPageMixin, ArticleRoutes, ReviewedText, Page):
    template = "pages/articles/article_page.html"
    # What a reader reads: an edit to any of these needs another editor's approval.
    reviewed_fields = ("title", "seo_title", "search_description", "lead", "body", "footnotes")

    publication_date = models.DateField(_("publication date"), default=timezone.localdate)
    lead = models.TextField(
        _("lead"),
        blank=True,
        help_text=_("One or two sentences shown under the title and in lists."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    co_authors = ParentalManyToManyField(
        "authors.Expert",
        blank=True,
        related_name="co_authored_articles",
        verbose_name=_("co-authors"),
        help_text=_(
            "In a blog: the authors besides the blog's expert. In the analysis section: "
            "every author of the piece (shown by surname)."
        ),
    )
    countries = ParentalManyToManyField(
        "vocabulary.Country", blank=True, related_name="articles", verbose_name=_("countries")
    )
    regions = ParentalManyToManyField(
        "vocabulary.Region", blank=True, related_name="articles", verbose_name=_("regions")
    )
    topics = ParentalManyToManyField(
        "vocabulary.Topic", blank=True, related_name="articles", verbose_name=_("topics")
    )
    source_fingerprint = models.CharField(
        _("source fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("SHA-256 of the file this article was imported from; re-imports compare it."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("publication_date"),
        FieldPanel("lead"),
        FieldPanel("body"),
        InlinePanel(
            "footnotes",
            label=_("footnote"),
            heading=_("Footnotes"),
            help_text=_(
                "Give each note a short key and write [^key] in the text where it is cited."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("co_authors"),
                # Tags come from the controlled vocabulary, suggested while typing.
                FieldPanel(
                    "countries",
                    widget=VocabularyTagWidget("countries"),
                    help_text=_("Type a name, «РФ», «США» or an ISO code and pick a suggestion."),
                ),
                FieldPanel("regions", widget=VocabularyTagWidget("regions")),
                FieldPanel("topics", widget=VocabularyTagWidget("topics")),
            ],
            heading=_("Authors and tags"),
        ),
        # Which languages the text exists in and whether each is behind its source
        # (`articles.selectors.translation_status`).
        HelpPanel(
            template="wagtailadmin/articles/translations_panel.html",
            heading=_("Translations"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("publication_date"),
    ]
    # An expert's blog, or the institution's analysis section (`AnalysisIndexPage`).
    parent_page_types = ["articles.BlogPage", "articles.AnalysisIndexPage"]
    subpage_types: list[str] = []

    # What wagtail-localize does with each field beyond its defaults (title, slug,
    # lead, body and the footnotes' text are segments to translate; the date is
    # copied). Bylines and tags are facts about the text, not words of it: a
    # translation carries its source's, and a translator may not change them.
    # `source_fingerprint` is not editable, so wagtail-localize leaves it alone.
    override_translatable_fields = [
        SynchronizedField("co_authors", overridable=False),
        SynchronizedField("countries", overridable=False),
        SynchronizedField("regions", overridable=False),
        SynchronizedField("topics", overridable=False),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def permissions_for_user(self, user: Any) -> PagePermissionTester:
        return CoAuthoredArticlePermissionTester(user, self)

    # --- cheap single-object reads -------------------------------------------

    @property
    def language(self) -> str:
        """The text's language is its locale's: 'ru' under /, 'en' under /en/.

        It sets `lang` for hyphenation, the search analyser, the insights
        extractor and the citation style.
        """
        return language_of(self.locale_id)

    @property
    def blog(self) -> BlogPage | None:
        """The blog the article lives in, with its expert, in one query."""
        return (
            BlogPage.objects.filter(path=self.path[: -self.steplen])
            .select_related("expert", "expert__photo")
            .first()
        )

    def authors_in_order(self) -> list[Expert]:
        """The byline: the blog's expert and co-authors, or an analysis piece's authors.

        The one reading of "who wrote this, first author first" for the byline,
        citations, PDF, print and the expert profile (`articles.bylines`).
        """
        blog = self.blog
        return authors_in_order(blog.expert if blog is not None else None, self.co_authors.all())

    def _texts_in_order(self) -> list[str]:
        texts: list[str] = []
        for block in self.body:
            if block.block_type == "paragraph":
                texts.append(block.value.source)
            elif block.block_type == "quote":
                texts.append(block.value["text"].source)
        return texts

    def text_author_ids(self) -> set[int]:
        """The accounts of the blog's expert and of the co-authors."""
        experts = list(self.co_authors.all())
        blog = self.blog
        if blog is not None:
            experts.append(blog.expert)
        return {expert.user_id for expert in experts if expert.user_id is not None}

    @cached_property
    def plain_text(self) -> str:
        """The article's words, as `articles.text` defines them (no footnotes)."""
        return article_text(self)

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(word_count(self.plain_text) / READING_WORDS_PER_MINUTE))

    @property
    def table_of_contents(self) -> list[dict[str, str]]:
        return [
            {
                "anchor": heading_anchor(block.value["text"]),
                "text": block.value["text"],
                "level": block.value["level"],
            }
            for block in self.body
            if block.block_type == "heading"
        ]

    def footnote_index(self) -> FootnoteIndex:
        notes = [(note.key, note.text) for note in self.footnotes.all()]
        return FootnoteIndex(notes, self._texts_in_order())

    # --- front cache ---------------------------------------------------------

    def front_cache_purge_keys(self) -> set[str]:
        """Also its authors' pages and its countries', regions' and topics' pages.

        Articles sharing a term list this one as related: they carry the term's
        key. Apps above add theirs (insights: the entities it mentions).
        """
        keys = super().front_cache_purge_keys()
        keys.add(TERM_INDEXES)
        blog = self.blog
        if blog is not None:
            keys.add(expert_key(blog.expert_id))
        keys.update(expert_key(pk) for pk in self.co_authors.values_list("pk", flat=True))
        for kind in ("countries", "regions", "topics"):
            keys.update(
                term_key(kind, pk) for pk in getattr(self, kind).values_list("pk", flat=True)
            )
        return keys


class CoAuthoredArticlePermissionTester(ReviewPermissionTester):
    """A right granted on the article itself, a co-author's, is a right to edit it and no more.

    On top of the review rule (`core.review`): publishing stays withheld from
    the text's own authors.

    Wagtail's `change_page` would also let a co-author delete or move an
    unpublished draft, or copy it into their own blog. An article has no
    children, so a grant on the article itself is a co-author's
    (`articles.services.article_co_author_permissions_sync`); deleting, moving
    and copying need a right from above it: the owner's blog, an editor's tree.
    """

    def _inherited_actions(self) -> set[str]:
        if not self.user.is_active:
            return set()
        return {
            perm.permission.codename.rsplit("_", maxsplit=1)[0]
            for perm in self.permission_policy.get_cached_permissions_for_user(self.user)
            if self.page.path.startswith(perm.page.path) and perm.page.path != self.page.path
        }

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        if not self.user.is_superuser and not self._inherited_actions():
            return False
        return bool(super().can_delete(ignore_bulk=ignore_bulk))

    def can_copy(self) -> bool:
        if not self.user.is_superuser and not self._inherited_actions():
            return False
        return bool(super().can_copy())


class ArticleFootnote(TranslatableMixin, Orderable):
    """A note of an article, in the article's language.

    Translatable so that wagtail-localize offers its text to translators and
    keeps a note and its translation paired by `translation_key`; its locale is
    its page's (Wagtail sets it from the parental key on the first save).
    """

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="footnotes")
    key = models.CharField(
        _("key"),
        max_length=KEY_MAX_CHARS,
        help_text=_("Short and unique within the article, e.g. 1 or imf-2024; cite it as [^key]."),
    )
    text = RichTextField(_("note"), features=["bold", "italic", "link"])

    panels = [FieldPanel("key"), FieldPanel("text")]
    # The key is what the text's [^key] markers cite: the same in every language.
    translatable_fields = [SynchronizedField("key", overridable=False), TranslatableField("text")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        constraints = [
            models.UniqueConstraint(fields=["page", "key"], name="unique_footnote_key_per_article")
        ]

    def __str__(self) -> str:
        return marker(self.key)


class BlogPage(CachedPageMixin, ReviewedPermissions, Page):
    """One expert's blog: «Блог Асана Жакупова», their articles newest first.

    Its own intro is not reviewed text, but articles are created here, and
    `ReviewedPermissions` keeps their creators from publishing them in one go.
    """

    template = "pages/articles/blog_page.html"

    # One blog per expert in each language: the English blog is the Russian one's
    # translation (`clean` keeps it to one per locale; the locale is on Page's table).
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="blogs", verbose_name=_("expert")
    )
    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        # The author may edit their blog's intro, not hand the blog to another expert.
        FieldPanel("expert", permission="authors.change_expert"),
        FieldPanel("intro"),
    ]
    parent_page_types = ["site.BlogIndexPage"]
    subpage_types = ["articles.ArticlePage"]

    articles_per_page = 10

    class Meta:
        db_table = "authors_blogpage"
        verbose_name = _("expert blog")

    def copy_for_translation(
        self,
        locale: Any,
        copy_parents: bool = False,
        alias: bool = False,
        exclude_fields: list[str] | None = None,
    ) -> BlogPage:
        """The expert's blog in another language: «Asan Zhakupov's Blog», never an alias.

        Wagtail (and wagtail-localize, translating an article of an untranslated
        blog) would copy the blog as an alias, live with the Russian title under
        /en/. A blog is the expert's name and a list: its translation is made
        whole, titled in its language, and published when the source is.
        """
        translation = super().copy_for_translation(
            locale, copy_parents=copy_parents, alias=False, exclude_fields=exclude_fields
        )
        language = language_of(translation.locale_id)
        translation.title = self.expert.blog_title_in(language)
        translation.draft_title = translation.title
        if language != language_of(self.locale_id):
            translation.intro = ""
        translation.save()
        revision = translation.save_revision(log_action=True)
        if self.live:
            revision.publish()
        return translation  # type: ignore[no-any-return]

    def clean(self) -> None:
        super().clean()
        others = BlogPage.objects.filter(expert_id=self.expert_id, locale_id=self.locale_id)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        if self.expert_id is not None and others.exists():
            raise ValidationError(
                {"expert": _("This expert already has a blog in this language.")},
                code="blog_exists",
            )

    def front_cache_keys(self) -> set[str]:
        return {
            *super().front_cache_keys(),
            front_cache.under_key(self.pk),
            expert_key(self.expert_id),
        }

    def front_cache_purge_keys(self) -> set[str]:
        return {*super().front_cache_purge_keys(), EXPERT_DIRECTORY}


class AnalysisIndexPage(CachedPageMixin, ReviewedPermissions, Page):
    """/analytics/: the institution's analysis, articles by one or more of its experts.

    Not any one expert's: editors create and publish pieces here, and the
    experts named as authors (`ArticlePage.co_authors`) may edit a piece that
    names them (`articles.services.article_co_author_permissions_sync`), never
    publish it (`core.review`). Authors hold no right on the section itself.
    """

    template = "pages/articles/analysis_index_page.html"

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["site.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    max_count_per_parent = 1
    show_in_menus_default = True

    articles_per_page = 10

    class Meta:
        verbose_name = _("analysis section")
        verbose_name_plural = _("analysis sections")

    def copy_for_translation(
        self,
        locale: Any,
        copy_parents: bool = False,
        alias: bool = False,
        exclude_fields: list[str] | None = None,
    ) -> AnalysisIndexPage:
        """The section in another language, titled in it («Analysis»), never an alias.

        wagtail-localize copies the parent of the first analysis piece it
        translates; as an alias the section would be live under /en/ with its
        Russian title. It is published when its source is.
        """
        translation = super().copy_for_translation(
            locale, copy_parents=copy_parents, alias=False, exclude_fields=exclude_fields
        )
        language = language_of(translation.locale_id)
        if language != language_of(self.locale_id):
            with translation_override(language):
                translation.title = str(_("Analysis"))
            translation.intro = ""
        translation.draft_title = translation.title
        translation.save()
        revision = translation.save_revision(log_action=True)
        if self.live:
            revision.publish()
        return translation  # type: ignore[no-any-return]

    def front_cache_keys(self) -> set[str]:
        # A piece published, changed or taken down under it changes the list.
        return {*super().front_cache_keys(), front_cache.under_key(self.pk)}


@register_setting(icon="link")
class ShareSettings(ClusterableModel, BaseSiteSetting):
    """Share links an editor manages: plain links, no third-party scripts or trackers."""

    panels = [
        MultiFieldPanel(
            [InlinePanel("networks", label=_("network"))],
            heading=_("Share networks"),
            help_text=_(
                "URL templates may use {url} and {title}; both are URL-encoded. "
                "A legal label is shown beside the link, e.g. where a network is banned."
            ),
        )
    ]

    class Meta:
        db_table = "core_sharesettings"
        verbose_name = _("share links")


# A share link is followed by the reader's browser, so its template may only name a
# scheme that opens a page or a mail client, never one that runs code (javascript:,
# data:, vbscript:). mailto: stays: the shipped «E-mail» network uses it.
SHARE_URL_SCHEMES = ("https", "http", "mailto")


def share_url_template_is_safe(template: str) -> bool:
    """Whether a share URL template yields an http(s) or mailto link and nothing else.

    Browsers drop tabs and newlines inside a URL and spaces around it, so
    «java\tscript:» is refused as well as «javascript:».
    """
    url = template.replace("{url}", "url").replace("{title}", "title")
    if any(char.isspace() or unicodedata.category(char)[0] == "C" for char in url):
        return False
    scheme, colon, _rest = url.partition(":")
    if not colon or scheme.lower() not in SHARE_URL_SCHEMES:
        return False
    if scheme.lower() == "mailto":
        return True
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


def validate_share_url_template(value: str) -> None:
    if not share_url_template_is_safe(value):
        raise ValidationError(
            _(
                "Enter an address that starts with https://, http:// or mailto:, "
                "without spaces, for example https://t.me/share/url?url={url}&text={title}. "
                "Other schemes, such as javascript: or data:, would run code in the "
                "reader's browser."
            ),
            code="unsafe_share_url",
        )


class ShareNetwork(Orderable):
    settings = ParentalKey(ShareSettings, on_delete=models.CASCADE, related_name="networks")
    name = models.CharField(_("name"), max_length=60)
    url_template = models.CharField(
        _("URL template"),
        max_length=500,
        validators=[validate_share_url_template],
        help_text=_("For example https://t.me/share/url?url={url}&text={title}"),
    )
    legal_label = models.CharField(
        _("legal label"),
        max_length=255,
        blank=True,
        help_text=_("Shown beside the link, e.g. «Социальная сеть запрещена в РФ»."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("url_template"),
        FieldPanel("legal_label"),
        FieldPanel("enabled"),
    ]

    class Meta(Orderable.Meta):
        db_table = "core_sharenetwork"
        verbose_name = _("share network")

    def __str__(self) -> str:
        return self.name
