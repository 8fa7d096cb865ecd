"""Write the demo content into the site through the same services the importers use.

Idempotent by design, because `make run` loads the demo every time:

- an article, and an English translation, is recognised by its source
  fingerprint (a hash of its demo text), so a second run neither draws its
  images nor touches its page;
- experts, sections and the home pages are only filled where they are still
  empty, so what an editor changed in the admin survives the next run;
- vocabulary terms and accounts are created once and never modified.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale

from vestnik.articles.drafts import (
    ArticleDraft,
    BlockDraft,
    FootnoteDraft,
    ImageDraft,
    ParagraphDraft,
)
from vestnik.articles.models import ArticlePage, BlogPage
from vestnik.articles.services import (
    _blog_ensure,
    _fill,
    analysis_index_page,
    article_create_from_draft,
    article_slug,
)
from vestnik.authors.models import Expert
from vestnik.core.locales import in_language, language_of
from vestnik.core.text import latin_slug
from vestnik.site.demo import content
from vestnik.site.demo.images import render
from vestnik.site.demo.library import programme_ensure
from vestnik.site.demo.spec import (
    BodyItem,
    DemoArticle,
    DemoImage,
    DemoSectionTranslation,
    DemoTranslation,
)
from vestnik.site.models import SectionFeaturedArticle, SectionFeaturedExpert, SectionPage
from vestnik.site.services import SiteTree, site_tree_ensure, translation_ensure
from vestnik.vocabulary.models import Country, Region, Topic

PASSWORDS_FILE_NAME = "demo-passwords"
# Demo articles «appear» in the morning of their publication date.
PUBLICATION_TIME = datetime.time(10, 0)


@dataclass(frozen=True)
class DemoAccountInfo:
    username: str
    group: str
    password: str  # "" when it was created earlier and its password file is gone


@dataclass
class DemoSummary:
    experts_created: int = 0
    experts_completed: int = 0
    terms_created: int = 0
    articles_created: int = 0
    articles_revised: int = 0
    publications_created: int = 0
    events_created: int = 0
    translations_created: int = 0
    translations_revised: int = 0
    pages_filled: int = 0
    accounts_created: int = 0
    accounts: list[DemoAccountInfo] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            (
                self.experts_created,
                self.experts_completed,
                self.terms_created,
                self.articles_created,
                self.articles_revised,
                self.publications_created,
                self.events_created,
                self.translations_created,
                self.translations_revised,
                self.pages_filled,
                self.accounts_created,
            )
        )

    def __str__(self) -> str:
        if not self.changed:
            return "Demo content is already in place; nothing changed."
        return (
            f"Demo content loaded: {self.articles_created} new and {self.articles_revised} "
            f"revised articles, {self.publications_created} new publications, "
            f"{self.events_created} new events, {self.translations_created} new and "
            f"{self.translations_revised} revised translations, {self.experts_created} new "
            f"experts, {self.terms_created} new "
            f"tags, {self.pages_filled} pages filled, {self.accounts_created} new accounts."
        )


def passwords_file() -> Path:
    return Path(settings.VAR_DIR) / PASSWORDS_FILE_NAME


@transaction.atomic
def demo_content_ensure(tree: SiteTree | None = None) -> DemoSummary:
    """Load the demo experts, tags, articles, section curation and accounts where missing."""
    tree = tree or site_tree_ensure()
    summary = DemoSummary()
    experts = _experts_ensure(summary)
    vocabulary = _vocabulary_ensure(summary)
    articles = {
        spec.key: _article_ensure(spec, experts, vocabulary, summary) for spec in content.ARTICLES
    }
    translations = {
        (spec.source, spec.language): _translation_ensure(
            spec, articles, experts, vocabulary, summary
        )
        for spec in content.TRANSLATIONS
    }
    _sections_ensure(tree, articles, experts, summary)
    for section_spec in content.SECTION_TRANSLATIONS:
        _section_translation_ensure(section_spec, tree, translations, experts, summary)
    _home_intros_ensure(tree, summary)
    programme_summary = programme_ensure(tree.publications, tree.events, experts, vocabulary)
    summary.publications_created = programme_summary.publications_created
    summary.events_created = programme_summary.events_created
    summary.translations_created += programme_summary.translations_created
    summary.accounts = _accounts_ensure(experts, summary)
    return summary


# --- experts and vocabulary --------------------------------------------------


def _experts_ensure(summary: DemoSummary) -> dict[str, Expert]:
    experts: dict[str, Expert] = {}
    for spec in content.EXPERTS:
        profile = {
            "name_genitive": spec.name_genitive,
            "full_name_en": spec.full_name_en,
            "position": spec.position,
            "affiliation": spec.affiliation,
            "bio": spec.bio,
            "position_en": spec.position_en,
            "affiliation_en": spec.affiliation_en,
            "bio_en": spec.bio_en,
        }
        expert = Expert.objects.filter(full_name=spec.full_name).order_by("pk").first()
        if expert is None:
            expert = Expert.objects.create(
                full_name=spec.full_name, slug=_free_expert_slug(spec.full_name), **profile
            )
            summary.experts_created += 1
        else:
            blank = [name for name in profile if not getattr(expert, name)]
            for name in blank:
                setattr(expert, name, profile[name])
            if blank:
                expert.save(update_fields=blank)
                summary.experts_completed += 1
        experts[spec.key] = expert
    return experts


def _free_expert_slug(full_name: str) -> str:
    base = slug = latin_slug(full_name)
    number = 2
    while Expert.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@dataclass(frozen=True)
class _Vocabulary:
    countries: dict[str, Country]  # by ISO code
    regions: dict[str, Region]  # by slug
    topics: dict[str, Topic]  # by slug


def _vocabulary_ensure(summary: DemoSummary) -> _Vocabulary:
    countries: dict[str, Country] = {}
    for country_spec in content.COUNTRIES:
        country, created = Country.objects.get_or_create(
            iso_code=country_spec.iso_code,
            defaults={
                "slug": country_spec.slug,
                "name_ru": country_spec.name_ru,
                "name_en": country_spec.name_en,
                "aliases": country_spec.aliases,
            },
        )
        summary.terms_created += created
        countries[country.iso_code] = country
    regions: dict[str, Region] = {}
    for term in content.REGIONS:
        region, created = Region.objects.get_or_create(
            slug=term.slug, defaults={"name_ru": term.name_ru, "name_en": term.name_en}
        )
        summary.terms_created += created
        regions[region.slug] = region
    topics: dict[str, Topic] = {}
    for term in content.TOPICS:
        topic, created = Topic.objects.get_or_create(
            slug=term.slug, defaults={"name_ru": term.name_ru, "name_en": term.name_en}
        )
        summary.terms_created += created
        topics[topic.slug] = topic
    return _Vocabulary(countries=countries, regions=regions, topics=topics)


# --- articles ----------------------------------------------------------------


def _article_ensure(
    spec: DemoArticle,
    experts: dict[str, Expert],
    vocabulary: _Vocabulary,
    summary: DemoSummary,
) -> ArticlePage:
    fingerprint = spec.fingerprint
    existing = ArticlePage.objects.filter(source_fingerprint=fingerprint).order_by("pk").first()
    if existing is not None:
        return existing
    if spec.section == "analysis":
        return _analysis_article_create(spec, experts, vocabulary, summary)

    result = article_create_from_draft(draft=_article_draft(spec, experts, fingerprint))
    if not (result.created or result.changed):
        # Its latest revision already has this text (an editor unpublished it?): leave it.
        return result.article
    # A draft has no tags or co-authors: add them to the revision the service
    # saved and publish that, so the live page carries them from the start.
    page = result.article.get_latest_revision_as_object()
    _tags_set(page, spec, experts, vocabulary)
    page.save_revision(log_action=True).publish()
    _blog_publish(page)
    if result.created:
        first_published = datetime.datetime.combine(
            spec.publication_date, PUBLICATION_TIME, tzinfo=timezone.get_current_timezone()
        )
        ArticlePage.objects.filter(pk=page.pk).update(first_published_at=first_published)
        summary.articles_created += 1
    else:
        summary.articles_revised += 1
    return ArticlePage.objects.get(pk=page.pk)


def _analysis_article_create(
    spec: DemoArticle, experts: dict[str, Expert], vocabulary: _Vocabulary, summary: DemoSummary
) -> ArticlePage:
    """A piece of the analysis section: the institution's, by its co-authors, made once."""
    fingerprint = spec.fingerprint
    page = ArticlePage(slug=article_slug(spec.title), live=False)
    _fill(page, _article_draft(spec, experts, fingerprint), fingerprint, [])
    analysis_index_page().add_child(instance=page)
    _tags_set(page, spec, experts, vocabulary)
    page.save_revision(log_action=True).publish()
    first_published = datetime.datetime.combine(
        spec.publication_date, PUBLICATION_TIME, tzinfo=timezone.get_current_timezone()
    )
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=first_published)
    summary.articles_created += 1
    return ArticlePage.objects.get(pk=page.pk)


def _tags_set(
    page: ArticlePage, spec: DemoArticle, experts: dict[str, Expert], vocabulary: _Vocabulary
) -> None:
    page.co_authors = [experts[key] for key in spec.co_authors]  # type: ignore[assignment]
    page.countries = [vocabulary.countries[code] for code in spec.countries]  # type: ignore[assignment]
    page.regions = [vocabulary.regions[slug] for slug in spec.regions]  # type: ignore[assignment]
    page.topics = [vocabulary.topics[slug] for slug in spec.topics]  # type: ignore[assignment]


def _article_draft(spec: DemoArticle, experts: dict[str, Expert], fingerprint: str) -> ArticleDraft:
    author = experts[spec.author]
    return ArticleDraft(
        title=spec.title,
        author_name=author.full_name,
        author_name_genitive=author.name_genitive,
        publication_date=spec.publication_date,
        lead=spec.lead,
        blocks=[_block_draft(item) for item in spec.body],
        footnotes=[FootnoteDraft(key=key, html=html) for key, html in spec.footnotes],
        source_fingerprint=fingerprint,
    )


def _block_draft(item: BodyItem) -> BlockDraft:
    if isinstance(item, str):
        return ParagraphDraft(html=f"<p>{item}</p>")
    if isinstance(item, DemoImage):
        return ImageDraft(
            filename=item.filename,
            caption=item.caption,
            credit=item.credit,
            alt=item.alt,
            data=render(item.kind, item.seed),
        )
    return item


def _translation_ensure(
    spec: DemoTranslation,
    articles: dict[str, ArticlePage],
    experts: dict[str, Expert],
    vocabulary: _Vocabulary,
    summary: DemoSummary,
) -> ArticlePage:
    """The source article's translation with this text: made, revised, or left as it is.

    A translation is the source page copied into the other locale
    (`copy_for_translation`), so the two share a `translation_key` and the
    language switch and hreflang join them; its text is mapped by the same
    `_fill` that maps an imported article, so the two stay alike.
    """
    source = articles[spec.source]
    source_spec = next(item for item in content.ARTICLES if item.key == spec.source)
    locale, _ = Locale.objects.get_or_create(language_code=spec.language)
    fingerprint = spec.fingerprint
    existing = (
        ArticlePage.objects.filter(translation_key=source.translation_key, locale=locale)
        .order_by("pk")
        .first()
    )
    if existing is not None and existing.source_fingerprint == fingerprint:
        return existing

    if existing is None:
        # The blog first: an article's translation goes under its blog's translation.
        _blog_ensure(experts[source_spec.author], publish=True, language=spec.language)
        page = source.copy_for_translation(locale)
    else:
        page = existing.get_latest_revision_as_object()
        if page.source_fingerprint == fingerprint:
            # Its latest revision already has this text (an editor unpublished it?): leave it.
            return existing
    warnings: list[str] = []
    _fill(page, _translation_draft(spec, source_spec, experts, fingerprint), fingerprint, warnings)
    page.slug = article_slug(page.title)
    _tags_set(page, source_spec, experts, vocabulary)
    if existing is None:
        # The copy is a draft that no revision describes yet: its row takes the text first.
        page.save()
    page.save_revision(log_action=True).publish()
    if existing is None:
        ArticlePage.objects.filter(pk=page.pk).update(first_published_at=source.first_published_at)
        summary.translations_created += 1
    else:
        summary.translations_revised += 1
    return ArticlePage.objects.get(pk=page.pk)


def _translation_draft(
    spec: DemoTranslation, source: DemoArticle, experts: dict[str, Expert], fingerprint: str
) -> ArticleDraft:
    author = experts[source.author]
    return ArticleDraft(
        title=spec.title,
        author_name=author.name_in(spec.language),
        publication_date=source.publication_date,
        lead=spec.lead,
        blocks=[_block_draft(item) for item in spec.body],
        footnotes=[FootnoteDraft(key=key, html=html) for key, html in spec.footnotes],
        source_fingerprint=fingerprint,
    )


def _blog_publish(article: ArticlePage) -> None:
    blog = BlogPage.objects.get(path=article.path[: -ArticlePage.steplen])
    if not blog.live:
        (blog.get_latest_revision() or blog.save_revision()).publish()


# --- curation ----------------------------------------------------------------


def _sections_ensure(
    tree: SiteTree,
    articles: dict[str, ArticlePage],
    experts: dict[str, Expert],
    summary: DemoSummary,
) -> None:
    for spec in content.SECTIONS:
        section = tree.sections[spec.slug]
        curated = (
            section.intro or section.featured_articles.exists() or section.featured_experts.exists()
        )
        if curated:
            continue
        page: Any = section.get_latest_revision_as_object()
        page.intro = spec.intro
        page.featured_articles = [
            SectionFeaturedArticle(article=articles[key], note=note, sort_order=order)
            for order, (key, note) in enumerate(spec.articles)
        ]
        page.featured_experts = [
            SectionFeaturedExpert(expert=experts[key], sort_order=order)
            for order, key in enumerate(spec.experts)
        ]
        page.save_revision(log_action=True).publish()
        summary.pages_filled += 1


def _section_translation_ensure(
    spec: DemoSectionTranslation,
    tree: SiteTree,
    translations: dict[tuple[str, str], ArticlePage],
    experts: dict[str, Expert],
    summary: DemoSummary,
) -> None:
    """The section in another language, featuring the translations of its articles.

    Filled once, like the Russian sections: a translation an editor has
    curated (an intro, or an article in its own language) is left alone.
    """
    source = tree.sections[spec.slug]
    locale, _ = Locale.objects.get_or_create(language_code=spec.language)
    new = source.get_translation_or_none(locale) is None
    section: Any = translation_ensure(source, spec.language, title=spec.title)
    if new:
        # Menus list a home's children in tree order: sections come before the
        # experts and blogs directories, in every language.
        directories = section.get_siblings().not_type(SectionPage).order_by("path").first()
        if directories is not None and directories.path < section.path:
            section.move(directories, pos="left")
            section.refresh_from_db()
    own_articles = in_language(ArticlePage.objects.all(), spec.language)
    if section.intro or section.featured_articles.filter(article__in=own_articles).exists():
        return
    source_spec = next(item for item in content.SECTIONS if item.slug == spec.slug)
    page: Any = section.get_latest_revision_as_object()
    page.title = page.draft_title = spec.title
    page.intro = spec.intro
    page.featured_articles = [
        SectionFeaturedArticle(
            article=translations[(key, spec.language)], note=note, sort_order=order
        )
        for order, (key, note) in enumerate(spec.articles)
    ]
    page.featured_experts = [
        SectionFeaturedExpert(expert=experts[key], sort_order=order)
        for order, key in enumerate(source_spec.experts)
    ]
    page.save_revision(log_action=True).publish()
    summary.pages_filled += 1


def _home_intros_ensure(tree: SiteTree, summary: DemoSummary) -> None:
    """The home page's intro, and the English home's when the Russian one has one."""
    home = tree.home
    if not home.intro:
        home = home.get_latest_revision_as_object()
        home.intro = content.HOME_INTRO
        home.save_revision(log_action=True).publish()
        summary.pages_filled += 1
    if not home.intro:
        return
    for translated_home in tree.translated_homes:
        if translated_home.intro or language_of(translated_home.locale_id) != "en":
            continue
        page: Any = translated_home.get_latest_revision_as_object()
        page.intro = content.HOME_INTRO_EN
        page.save_revision(log_action=True).publish()
        summary.pages_filled += 1


# --- accounts ----------------------------------------------------------------


def _accounts_ensure(experts: dict[str, Expert], summary: DemoSummary) -> list[DemoAccountInfo]:
    user_model = get_user_model()
    passwords = _passwords_read()
    created: dict[str, str] = {}
    for spec in content.ACCOUNTS:
        user = user_model.objects.filter(username=spec.username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_user(
                username=spec.username,
                email=spec.email,
                password=password,
                first_name=spec.first_name,
                last_name=spec.last_name,
            )
            group, _ = Group.objects.get_or_create(name=spec.group)
            user.groups.add(group)
            created[spec.username] = password
        if spec.expert:
            expert = experts[spec.expert]
            if expert.user_id is None and not Expert.objects.filter(user=user).exists():
                expert.user = user
                expert.save(update_fields=["user"])
    if created:
        passwords.update(created)
        _passwords_write(passwords)
        summary.accounts_created += len(created)
    return [
        DemoAccountInfo(
            username=spec.username, group=spec.group, password=passwords.get(spec.username, "")
        )
        for spec in content.ACCOUNTS
    ]


def _passwords_read() -> dict[str, str]:
    path = passwords_file()
    if not path.exists():
        return {}
    pairs = (line.split(maxsplit=1) for line in path.read_text().splitlines())
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def _passwords_write(passwords: dict[str, str]) -> None:
    path = passwords_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text("".join(f"{user} {password}\n" for user, password in passwords.items()))
