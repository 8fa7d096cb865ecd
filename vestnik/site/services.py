"""Writes that set up a Vestnik site: page tree, groups, workflow, share links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from vestnik.articles.models import AnalysisIndexPage, ShareNetwork, ShareSettings

# «Авторы» is named where an author's rights are granted; re-exported for the callers of setup.
from vestnik.articles.services import AUTHORS_GROUP as AUTHORS_GROUP
from vestnik.articles.services import author_permissions_sync
from vestnik.authors.models import Expert
from vestnik.core.locales import content_languages, language_of
from vestnik.core.permissions import permission
from vestnik.core.site_identity import english_site_name
from vestnik.core.workflows import PeerReviewTask
from vestnik.events.models import EventIndexPage
from vestnik.publications.models import PublicationIndexPage
from vestnik.site.models import BlogIndexPage, ExpertIndexPage, HomePage, SectionPage

EDITORS_GROUP = "Редакторы"
# Wagtail checks images against `wagtailimages.Image`'s permissions whatever the
# image model is (`auth_model=Image` in `wagtail.images.permissions`), so these,
# not `core.*_vestnikimage`, are the ones that let a group upload and choose.
IMAGE_PERMISSIONS = {
    AUTHORS_GROUP: ("add_image", "choose_image"),
    EDITORS_GROUP: ("add_image", "change_image", "choose_image"),
}
# Documents (reports, annexes an article links to) are editorial: authors get none.
DOCUMENT_PERMISSIONS = {
    AUTHORS_GROUP: (),
    EDITORS_GROUP: ("add_document", "change_document", "choose_document"),
}
AUDIENCE_SECTIONS = (
    ("business", "Бизнесу"),
    ("researchers", "Исследователям"),
    ("students", "Учащимся"),
)
DEFAULT_SHARE_NETWORKS = (
    ("ВКонтакте", "https://vk.com/share.php?url={url}&title={title}", ""),
    ("Telegram", "https://t.me/share/url?url={url}&text={title}", ""),
    ("Одноклассники", "https://connect.ok.ru/offer?url={url}&title={title}", ""),
    (
        "Facebook",
        "https://www.facebook.com/sharer/sharer.php?u={url}",
        "Социальная сеть запрещена в РФ",
    ),
    ("X", "https://x.com/intent/post?url={url}&text={title}", "Социальная сеть запрещена в РФ"),
    ("E-mail", "mailto:?subject={title}&body={url}", ""),
)


# The English site's own pages; its sections and blogs are translations editors
# (and `load_demo`) make of the Russian ones.
ENGLISH_TITLES = {
    "experts": "Experts",
    "blogs": "Blogs",
    "analytics": "Analysis",
    "publications": "Publications",
    "events": "Events",
}


@dataclass(frozen=True)
class SiteTree:
    home: HomePage
    blogs: BlogIndexPage
    experts: ExpertIndexPage
    sections: dict[str, SectionPage]
    analysis: AnalysisIndexPage
    publications: PublicationIndexPage
    events: EventIndexPage
    # The home page of each other content language (English), translated from `home`.
    translated_homes: tuple[HomePage, ...] = ()

    @property
    def homes(self) -> tuple[HomePage, ...]:
        return (self.home, *self.translated_homes)


def _child(parent: Page, model: type[Page], *, slug: str, title: str, **fields: object) -> Page:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, title=title, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def site_tree_ensure() -> SiteTree:
    """Create the home page, audience sections, experts, blogs and analysis once."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a "Welcome" page; the home page replaces it.
        placeholders = [p for p in root.get_children() if p.specific_class is Page]
        Site.objects.filter(root_page__in=placeholders).delete()
        for placeholder in placeholders:
            placeholder.delete()
        root.refresh_from_db()
        home = HomePage(title=settings.WAGTAIL_SITE_NAME, slug="home")
        root.add_child(instance=home)
        home.save_revision().publish()
        # The public address comes from WAGTAILADMIN_BASE_URL, so absolute links
        # (feeds, share links, citations) are right from the first run.
        base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": base_url.hostname or "localhost",
                "port": base_url.port or (443 if base_url.scheme == "https" else 80),
                "root_page": home,
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
    # Creation order is menu order: audience sections first, then experts, blogs,
    # analysis, publications, events.
    sections = {
        slug: _child(home, SectionPage, slug=slug, title=title, show_in_menus=True)
        for slug, title in AUDIENCE_SECTIONS
    }
    experts = _child(home, ExpertIndexPage, slug="experts", title="Эксперты", show_in_menus=True)
    blogs = _child(home, BlogIndexPage, slug="blogs", title="Блоги", show_in_menus=True)
    analysis = _child(
        home, AnalysisIndexPage, slug="analytics", title="Аналитика", show_in_menus=True
    )
    publications = _child(
        home, PublicationIndexPage, slug="publications", title="Публикации", show_in_menus=True
    )
    events = _child(home, EventIndexPage, slug="events", title="Мероприятия", show_in_menus=True)
    translated_homes = tuple(
        _english_tree_ensure(home, (experts, blogs, analysis, publications, events))
        for code in content_languages()
        if code == "en" and language_of(home.locale_id) != "en"
    )
    return SiteTree(
        home=home,
        blogs=blogs,  # type: ignore[arg-type]
        experts=experts,  # type: ignore[arg-type]
        sections=sections,  # type: ignore[arg-type]
        analysis=analysis,  # type: ignore[arg-type]
        publications=publications,  # type: ignore[arg-type]
        events=events,  # type: ignore[arg-type]
        translated_homes=translated_homes,
    )


def translation_ensure(page: Page, language: str, *, title: str) -> Page:
    """`page` in `language`: its translation if one exists, else a published copy titled `title`.

    For the site's structural pages (home, directories), whose only text is a
    title; texts are translated in the admin (wagtail-localize) or imported.
    """
    # get_or_create: a database flushed by tests or restored from an old backup may lack it.
    locale, _ = Locale.objects.get_or_create(language_code=language)
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific  # type: ignore[no-any-return]
    translation = page.copy_for_translation(locale)
    translation.title = translation.draft_title = title
    if hasattr(translation, "intro"):
        translation.intro = ""
    translation.save()
    translation.save_revision().publish()
    return translation.specific  # type: ignore[no-any-return]


def _english_tree_ensure(home: Page, directories: tuple[Page, ...]) -> HomePage:
    english_home = translation_ensure(home, "en", title=english_site_name())
    for directory in directories:
        translation_ensure(directory, "en", title=ENGLISH_TITLES[directory.slug])
    return english_home  # type: ignore[return-value]


def _permissions(*labels: str) -> list[Permission]:
    return [permission(label) for label in labels]


@transaction.atomic
def editorial_groups_ensure(tree: SiteTree) -> tuple[Group, Group]:
    """Authors write in their own blogs and submit; editors review, publish and run the site.

    «Авторы» holds what every author shares: admin access and images. The pages an
    author may write are granted to their own group (`articles.services`), never
    to «Авторы»: earlier releases gave it the whole /blogs/ tree, and running
    this again takes that grant away.
    """
    authors, _ = Group.objects.get_or_create(name=AUTHORS_GROUP)
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    authors.permissions.add(
        *_permissions(
            "wagtailadmin.access_admin",
            # The readership reports, of the pages the author may edit: their own
            # (`readership.reports.readable_pages`).
            "readership.view_readership",
        )
    )
    # Start a translation; which pages is decided by the page rights
    # (`articles.translation_admin`): an author's own articles only.
    authors.permissions.add(submit_translation_permission())
    editors.permissions.add(submit_translation_permission())
    editors.permissions.add(
        *_permissions(
            "wagtailadmin.access_admin",
            "articles.change_sharesettings",
            "authors.add_expert",
            "authors.change_expert",
            "vocabulary.add_country",
            "vocabulary.change_country",
            "vocabulary.add_region",
            "vocabulary.change_region",
            "vocabulary.add_topic",
            "vocabulary.change_topic",
            # Editors correct what insights extracted: hide, merge, alias.
            "insights.add_entity",
            "insights.change_entity",
            "insights.change_mention",
            # Editors run the polls (and download their results); earlier releases
            # forgot these, so only superusers could add a poll to an article.
            "polls.add_poll",
            "polls.change_poll",
            "polls.view_poll",
            # The publications library's series («Доклады», «Рабочие тетради»).
            "publications.add_publicationseries",
            "publications.change_publicationseries",
            "publications.delete_publicationseries",
            # Registrations for events: seen and exported, cancelled or moved by
            # editors; readers add them, never the admin.
            "events.view_registration",
            "events.change_registration",
            # Newsletters: subscribers seen, exported and deleted on a reader's request
            # (never added or edited in the admin); special issues composed and sent.
            "newsletters.view_subscriber",
            "newsletters.change_subscriber",
            "newsletters.delete_subscriber",
            "newsletters.add_mailing",
            "newsletters.change_mailing",
            "newsletters.send_mailing",
            # API keys for the JSON API's clients: made and revoked, never deleted.
            "api.view_apikey",
            "api.add_apikey",
            "api.change_apikey",
            # The readership reports of every page (`readership.reports.readable_pages`).
            "readership.view_readership",
        )
    )
    GroupPagePermission.objects.filter(group=authors).delete()
    for home in tree.homes:
        for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
            GroupPagePermission.objects.get_or_create(
                group=editors,
                page=home,
                permission=permission(f"wagtailcore.{codename}"),
            )
    root_collection = Collection.get_first_root_node()
    for group in (authors, editors):
        # Earlier releases granted the image model's own permissions, which Wagtail never reads.
        GroupCollectionPermission.objects.filter(
            group=group, permission__content_type__app_label="core"
        ).delete()
        grants = [("wagtailimages", codename) for codename in IMAGE_PERMISSIONS[group.name]]
        grants += [("wagtaildocs", codename) for codename in DOCUMENT_PERMISSIONS[group.name]]
        for app_label, codename in grants:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=permission(f"{app_label}.{codename}"),
            )
    return authors, editors


def submit_translation_permission() -> Permission:
    """wagtail-localize's «Can submit translations», made if missing.

    wagtail-localize creates it in a data migration rather than on a model, so
    a database emptied and rebuilt without migrations (a flush, a restore of
    data only) lacks it; Django's own permissions come back, this one would not.
    """
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    found, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    return found


def author_accounts_sync() -> None:
    """Give every expert with an account an author's rights (after an upgrade, among others)."""
    for expert in Expert.objects.filter(user__isnull=False).select_related("account_group"):
        author_permissions_sync(expert=expert)


@transaction.atomic
def editorial_workflow_ensure(tree: SiteTree, editors: Group) -> Workflow:
    workflow, created = Workflow.objects.get_or_create(name="Редакционная проверка")
    if created or not workflow.workflow_tasks.exists():
        task = PeerReviewTask.objects.create(name="Проверка редактором")
        task.groups.set([editors])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for home in tree.homes:
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def share_networks_ensure() -> None:
    site = Site.objects.get(is_default_site=True)
    share_settings = ShareSettings.for_site(site)
    if share_settings.networks.exists():
        return
    for order, (name, template, label) in enumerate(DEFAULT_SHARE_NETWORKS):
        ShareNetwork.objects.create(
            settings=share_settings,
            sort_order=order,
            name=name,
            url_template=template,
            legal_label=label,
        )


def site_setup() -> SiteTree:
    """Everything a fresh install needs before the first article; safe to run again."""
    tree = site_tree_ensure()
    _, editors = editorial_groups_ensure(tree)
    author_accounts_sync()
    editorial_workflow_ensure(tree, editors)
    share_networks_ensure()
    return tree
