"""Article writes: an `ArticleDraft` from any importer → a page revision in its author's blog.

One mapper for every source (saved page text, HTML, .docx, demo content), so
an article looks the same whichever way it arrived. The identity of an
imported article is its blog and its slug (transliterated from the title):
importing the same text again changes nothing; importing a changed text adds a
revision to the same page, so editors see the difference in the page history.
"The same text" is decided here, for every source, by `drafts.draft_fingerprint`.

A translation's identity is its source and its language (the shared
`translation_key`): `article_translation_from_draft` attaches a draft to an
existing article as its version in another language, the same way.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from PIL import Image as PillowImage
from PIL import UnidentifiedImageError

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wagtail.models import GroupPagePermission, Locale, Page, Revision
from wagtail.utils.file import hash_filelike

from vestnik.articles.drafts import (
    ArticleDraft,
    BlockDraft,
    FootnoteDraft,
    HeadingDraft,
    ImageDraft,
    ParagraphDraft,
    QuoteDraft,
    TableDraft,
    draft_fingerprint,
)
from vestnik.articles.footnotes import KEY_MAX_CHARS, MARKER, is_valid_key, key_normalise, marker
from vestnik.articles.models import AnalysisIndexPage, ArticleFootnote, ArticlePage, BlogPage
from vestnik.authors.models import Expert
from vestnik.authors.morphology import name_genitive
from vestnik.core.locales import content_languages, in_language, language_of
from vestnik.core.models import User, VestnikImage
from vestnik.core.permissions import permission
from vestnik.core.text import latin_slug

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Wide enough for any column, 16:9 like most press photos.
PLACEHOLDER_SIZE = (1200, 675)
PLACEHOLDER_COLOUR = (204, 204, 204)
ARTICLE_SLUG_MAX_CHARS = 80
_TITLE_MAX_CHARS = 255
_HEADING_MAX_CHARS = 255
_SHORT_TEXT_MAX_CHARS = 255


@dataclass
class ArticleImportResult:
    article: ArticlePage
    created: bool
    changed: bool
    warnings: list[str] = field(default_factory=list)


def article_create_from_draft(
    *,
    draft: ArticleDraft,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    expert: Expert | None = None,
    language: str | None = None,
) -> ArticleImportResult:
    """Create the article (and its expert and blog when new), or revise it when the source changed.

    With `expert`, the article goes to that expert's blog whatever the draft
    names, and no expert is created: an author importing their own text.
    `language` (the site's first by default) picks the expert's blog in that
    language: an English text with no Russian version lives in the English blog.
    The draft's warnings come back with the mapper's own (placeholder images,
    shortened fields); nothing in a draft makes the mapper fail except data the
    page itself refuses (`ValidationError` from the page's `full_clean`).
    """
    warnings = list(draft.warnings)
    fingerprint = draft.source_fingerprint or draft_fingerprint(draft)
    language = language_check(language)
    with transaction.atomic():
        if expert is None:
            expert = _expert_ensure(draft, language)
        blog = _blog_ensure(expert, publish=publish, language=language)
        slug = article_slug(draft.title)
        existing = ArticlePage.objects.child_of(blog).filter(slug=slug).first()

        if existing is not None:
            latest = existing.get_latest_revision_as_object()
            if latest.source_fingerprint == fingerprint:
                return _unchanged(existing, publish=publish, user=user, warnings=warnings)
            page = latest
        else:
            page = ArticlePage(slug=slug, live=False, owner=user)

        _fill(page, draft, fingerprint, warnings)
        if existing is None:
            blog.add_child(instance=page)
        revision = page.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
        article = ArticlePage.objects.get(pk=page.pk)
    return ArticleImportResult(
        article=article, created=existing is None, changed=existing is not None, warnings=warnings
    )


def _unchanged(
    existing: ArticlePage, *, publish: bool, user: AbstractBaseUser | None, warnings: list[str]
) -> ArticleImportResult:
    # Nothing new to save; publishing still means "make this article live
    # as it stands in the CMS" (the imported text plus any corrections).
    revision = existing.get_latest_revision()
    if publish and revision is not None and (not existing.live or existing.has_unpublished_changes):
        revision.publish(user=user)
        existing.refresh_from_db()
    return ArticleImportResult(article=existing, created=False, changed=False, warnings=warnings)


class TranslationRefused(ValueError):
    """A draft cannot become the translation asked for; the message says why."""


def language_check(language: str | None) -> str:
    """The language code itself, or `TranslationRefused` for one the site does not publish in."""
    language = language or settings.LANGUAGE_CODE
    if language not in content_languages():
        raise TranslationRefused(
            f"The site has no language «{language}»: it publishes in "
            f"{', '.join(content_languages())}."
        )
    return language


def article_translation_check(*, source: Page, language: str | None) -> ArticlePage:
    """The article a translation into `language` may be attached to, or `TranslationRefused`.

    The source is an article in the site's first language: translations are
    made from the Russian text, never from another translation.
    """
    language = language_check(language)
    specific = source.specific
    if not isinstance(specific, ArticlePage):
        raise TranslationRefused(
            f"«{source.title}» (page {source.pk}) is not an article, so it cannot have a "
            "translation."
        )
    source_language = language_of(specific.locale_id)
    if source_language != settings.LANGUAGE_CODE:
        raise TranslationRefused(
            f"«{specific.title}» is itself in «{source_language}», not in the site's first "
            f"language «{settings.LANGUAGE_CODE}»: attach the translation to the original."
        )
    if language == source_language:
        raise TranslationRefused(
            f"«{specific.title}» is already in «{language}»: a translation needs another "
            "language (e.g. --language en)."
        )
    return specific


def article_translation_from_draft(
    *,
    source: ArticlePage,
    draft: ArticleDraft,
    language: str,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
) -> ArticleImportResult:
    """Make the draft `source`'s version in `language`, or revise that version when it changed.

    A new translation is Wagtail's `copy_for_translation` of the source (so it
    shares the `translation_key`, the tags and the byline) in the expert's blog
    in that language, made if need be; then the draft's title, slug, lead, body
    and notes replace the copied text. Notes keep the source's keys, and an
    image that is the same file as one of the source's reuses the source's
    image (`_source_images`). The same draft again is «unchanged»; a changed
    one is a new revision of the same translation, as for a first import.
    """
    source = article_translation_check(source=source, language=language)
    warnings = list(draft.warnings)
    fingerprint = draft.source_fingerprint or draft_fingerprint(draft)
    with transaction.atomic():
        locale, _ = Locale.objects.get_or_create(language_code=language)
        existing = source.get_translation_or_none(locale)
        if existing is not None:
            existing = existing.specific
            latest = existing.get_latest_revision_as_object()
            if latest.source_fingerprint == fingerprint:
                return _unchanged(existing, publish=publish, user=user, warnings=warnings)
            page = latest
        else:
            blog = _home_ensure(source, publish=publish, language=language)
            page = source.copy_for_translation(locale)
            taken = blog.get_children().exclude(pk=page.pk).values_list("slug", flat=True)
            page.slug = _unique_slug(article_slug(draft.title), taken)
            page.owner = user  # type: ignore[assignment]
        _fill(page, _footnote_keys_as_in(source, draft, warnings), fingerprint, warnings, source)
        if existing is None:
            # The copy holds the source's text until now: store the translation's own.
            page.save()
        revision = page.save_revision(user=user, log_action=True)
        if publish:
            if not page.get_parent().live:
                _home_ensure(source, publish=True, language=language)
            revision.publish(user=user)
        article = ArticlePage.objects.get(pk=page.pk)
    return ArticleImportResult(
        article=article, created=existing is None, changed=existing is not None, warnings=warnings
    )


def _home_ensure(source: ArticlePage, *, publish: bool, language: str) -> Page:
    """Where the translation of `source` lives: its blog or the analysis section in `language`."""
    home = source.get_parent().specific
    if isinstance(home, BlogPage):
        return _blog_ensure(home.expert, publish=publish, language=language)
    if isinstance(home, AnalysisIndexPage):
        locale, _ = Locale.objects.get_or_create(language_code=language)
        translated = home.get_translation_or_none(locale)
        translated = (
            translated.specific if translated is not None else home.copy_for_translation(locale)
        )
        if publish and not translated.live:
            (translated.get_latest_revision() or translated.save_revision()).publish()
            translated.refresh_from_db()
        return translated  # type: ignore[no-any-return]
    raise TranslationRefused(  # pragma: no cover (parent_page_types)
        f"«{source.title}» is neither in an expert's blog nor in the analysis section."
    )


def _footnote_keys_as_in(
    source: ArticlePage, draft: ArticleDraft, warnings: list[str]
) -> ArticleDraft:
    """The draft with its notes keyed as the source's, so a note is the same note in both.

    Keys the source also has are kept. A file numbers its notes 1, 2, 3 whatever
    the editors of the source called them: when both have as many notes, the
    translation's n-th note takes the source's n-th key (and so do its
    references); otherwise the file's keys stay, with a warning.
    """
    source_keys = list(source.footnotes.order_by("sort_order").values_list("key", flat=True))
    draft_keys = [note.key for note in draft.footnotes]
    if not draft_keys or set(draft_keys) <= set(source_keys):
        return draft
    if len(draft_keys) != len(source_keys) or len(set(draft_keys)) != len(draft_keys):
        warnings.append(
            f"The translation has {len(draft_keys)} notes and the source {len(source_keys)}: "
            "the notes are keyed as the file numbers them."
        )
        return draft
    keys = dict(zip(draft_keys, source_keys, strict=True))

    def rekey(match: re.Match[str]) -> str:
        key: str = match.group(1)
        return marker(keys.get(key) or key)

    def rekeyed(rich_text: str) -> str:
        # One pass, so that swapped keys (1 → 2, 2 → 1) do not run into each other.
        return MARKER.sub(rekey, rich_text)

    blocks: list[BlockDraft] = []
    for block in draft.blocks:
        if isinstance(block, ParagraphDraft | QuoteDraft):
            block = dataclasses.replace(block, html=rekeyed(block.html))
        blocks.append(block)
    footnotes = [
        FootnoteDraft(key=keys[note.key], html=rekeyed(note.html)) for note in draft.footnotes
    ]
    return dataclasses.replace(draft, blocks=blocks, footnotes=footnotes)


def article_slug(title: str) -> str:
    """The title transliterated and cut at a word boundary: the article's identity in its blog."""
    return latin_slug(title, max_length=ARTICLE_SLUG_MAX_CHARS)


# --- author and blog --------------------------------------------------------


def _expert_ensure(draft: ArticleDraft, language: str | None = None) -> Expert:
    full_name = " ".join(draft.author_name.split())
    if language is not None and language != settings.LANGUAGE_CODE:
        return _expert_ensure_by_english_name(full_name)
    expert = Expert.objects.filter(full_name=full_name).order_by("pk").first()
    if expert is not None:
        if not expert.name_genitive and draft.author_name_genitive:
            expert.name_genitive = draft.author_name_genitive
            expert.save(update_fields=["name_genitive"])
        return expert
    base = latin_slug(full_name)
    return Expert.objects.create(
        full_name=full_name,
        name_genitive=draft.author_name_genitive or name_genitive(full_name),
        slug=_unique_slug(
            base, Expert.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        ),
    )


def _expert_ensure_by_english_name(name: str) -> Expert:
    """The expert an English text names («Igor Sokolov»), made if nobody answers to it.

    The English name is compared as written (`Expert.english_name`, stated or
    transliterated) and by its first and last words, since English texts drop
    the patronymic. A new expert has only the English name until an editor
    adds the Russian one.
    """
    wanted = name.casefold().split()
    for expert in Expert.objects.order_by("pk"):
        words = expert.english_name.casefold().split()
        if words == wanted or (
            len(wanted) >= 2 and words and (words[0], words[-1]) == (wanted[0], wanted[-1])
        ):
            return expert
    base = latin_slug(name)
    return Expert.objects.create(
        full_name=name,
        full_name_en=name,
        name_genitive=name,
        slug=_unique_slug(
            base, Expert.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        ),
    )


class SiteNotSetUp(RuntimeError):
    """The page tree has no place for blogs yet (`manage.py setup_site` makes one)."""


def blogs_index_page(language: str | None = None) -> Page:
    """The page that holds experts' blogs in `language` (the site's first by default).

    Found by the blog's own `parent_page_types`, so this floor never names the
    page type of the floor above that lists every blog.
    """
    index = in_language(
        Page.objects.type(*BlogPage.allowed_parent_page_models()),
        language or settings.LANGUAGE_CODE,
    ).first()
    if index is None:
        raise SiteNotSetUp(
            "The site has no blogs index yet: run `python manage.py setup_site` first."
        )
    return index.specific


def analysis_index_page(language: str | None = None) -> AnalysisIndexPage:
    """The analysis section (/analytics/, /en/analytics/) in `language` (default: the first).

    `site.services.site_tree_ensure` makes it (the page above it is the site's);
    here it is only found.
    """
    index = in_language(AnalysisIndexPage.objects.all(), language or settings.LANGUAGE_CODE).first()
    if index is None:
        raise SiteNotSetUp(
            "The site has no analysis section yet: run `python manage.py setup_site` first."
        )
    return index


def _blog_ensure(expert: Expert, *, publish: bool, language: str | None = None) -> BlogPage:
    """The expert's blog in `language` (the site's first by default), made if missing.

    A blog in another language is the translation of the expert's first-language
    blog (`BlogPage.copy_for_translation`), which is made, unpublished, if need be.
    """
    language = language or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE:
        blog = in_language(BlogPage.objects.filter(expert=expert), language).first()
        if blog is None:
            source = _blog_ensure(expert, publish=False)
            locale, _ = Locale.objects.get_or_create(language_code=language)
            blog = source.copy_for_translation(locale)
        if publish and not blog.live:
            (blog.get_latest_revision() or blog.save_revision()).publish()
            blog.refresh_from_db()
        return blog
    blog = in_language(BlogPage.objects.filter(expert=expert), language).first()
    if blog is None:
        blogs_index = blogs_index_page()
        sibling_slugs = (
            blogs_index.get_children()
            .filter(slug__startswith=expert.slug)
            .values_list("slug", flat=True)
        )
        blog = BlogPage(
            title=expert.blog_title,
            slug=_unique_slug(expert.slug, sibling_slugs),
            expert=expert,
            live=False,
        )
        blogs_index.add_child(instance=blog)
        revision = blog.save_revision(log_action=True)
        if publish:
            revision.publish()
    elif publish and not blog.live:
        # A published article in an unpublished blog would be unreachable from /blogs/.
        latest = blog.get_latest_revision()
        (latest or blog.save_revision()).publish()
        blog.refresh_from_db()
    return blog


def _unique_slug(base: str, taken: Iterable[str]) -> str:
    taken_slugs = set(taken)
    if base not in taken_slugs:
        return base
    number = 2
    while f"{base}-{number}" in taken_slugs:
        number += 1
    return f"{base}-{number}"


# --- page fields ------------------------------------------------------------


def _fill(
    page: ArticlePage,
    draft: ArticleDraft,
    fingerprint: str,
    warnings: list[str],
    source: ArticlePage | None = None,
) -> None:
    page.title = _shortened(draft.title, _TITLE_MAX_CHARS, "The title", warnings)
    page.draft_title = page.title
    page.lead = draft.lead
    if draft.publication_date is not None:
        page.publication_date = draft.publication_date
    elif page.pk is None:
        page.publication_date = timezone.localdate()
    page.source_fingerprint = fingerprint
    footnotes, renamed = _footnotes(draft.footnotes, warnings)
    images = _source_images(source) if source is not None else None
    page.body = [_stream_item(block, renamed, warnings, images) for block in draft.blocks]  # type: ignore[assignment]
    page.footnotes = footnotes  # type: ignore[assignment]


def _stream_item(
    block: BlockDraft,
    renamed: dict[str, str],
    warnings: list[str],
    source_images: _SourceImages | None = None,
) -> dict[str, Any]:
    value: Any
    if isinstance(block, HeadingDraft):
        block_type = "heading"
        value = {
            "text": _shortened(block.text, _HEADING_MAX_CHARS, "A heading", warnings),
            "level": block.level,
        }
    elif isinstance(block, ParagraphDraft):
        block_type, value = "paragraph", _references_renamed(block.html, renamed)
    elif isinstance(block, ImageDraft):
        block_type = "image"
        reused = source_images.match(block) if source_images is not None else None
        image, credit = reused or (_image_ensure(block, warnings), "")
        value = {
            "image": image.pk,
            "alt": _shortened(block.alt, _SHORT_TEXT_MAX_CHARS, "Alt text", warnings),
            "caption": _shortened(block.caption, _SHORT_TEXT_MAX_CHARS, "A caption", warnings),
            # A translation's own credit («Source: …» in English) wins over the source's.
            "credit": _shortened(
                block.credit or credit, _SHORT_TEXT_MAX_CHARS, "A credit", warnings
            ),
        }
    elif isinstance(block, QuoteDraft):
        block_type = "quote"
        value = {
            "text": _references_renamed(block.html, renamed),
            "attribution": block.attribution,
        }
    elif isinstance(block, TableDraft):
        block_type = "table"
        value = {
            "data": block.rows,
            "first_row_is_table_header": block.has_header_row,
            "first_col_is_header": False,
            "table_caption": block.caption,
        }
    else:  # pragma: no cover (the union above is exhaustive)
        raise TypeError(f"Unknown block draft: {block!r}")
    return {"type": block_type, "value": value}


def _footnotes(
    notes: list[FootnoteDraft], warnings: list[str]
) -> tuple[list[ArticleFootnote], dict[str, str]]:
    """The notes to store, and the new key of each note whose key could not be cited.

    A key the renderer would not read (`footnotes.MARKER`) is renamed rather
    than refused: the note and its references survive, and the editor is told.
    """
    footnotes: list[ArticleFootnote] = []
    renamed: dict[str, str] = {}
    reserved = {note.key for note in notes if is_valid_key(note.key)}
    keys: set[str] = set()
    for note in notes:
        if note.key in keys or note.key in renamed:
            warnings.append(f"Footnote key «{note.key}» is repeated; the second note was skipped.")
            continue
        key = note.key
        if not is_valid_key(key):
            key = key_normalise(key, taken=reserved | keys)
            renamed[note.key] = key
            warnings.append(
                f"Footnote key «{note.key}» cannot be cited (a key is 1–{KEY_MAX_CHARS} "
                f"letters, digits, «-» or «_»): it is now «{key}», and so are its references."
            )
        keys.add(key)
        footnotes.append(ArticleFootnote(key=key, text=note.html, sort_order=len(footnotes)))
    return footnotes, renamed


def _references_renamed(rich_text: str, renamed: dict[str, str]) -> str:
    for old, new in renamed.items():
        # Rich text holds the old key as the source wrote it, HTML-escaped or not.
        for written in dict.fromkeys([old, html.escape(old, quote=False)]):
            rich_text = rich_text.replace(marker(written), marker(new))
    return rich_text


def _shortened(text: str, limit: int, what: str, warnings: list[str]) -> str:
    if len(text) <= limit:
        return text
    warnings.append(f"{what} was cut to {limit} characters: «{text[:40]}…».")
    return text[: limit - 1].rstrip() + "…"


# --- images -----------------------------------------------------------------


@dataclass
class _SourceImages:
    """The images of a translation's source, by file hash and by file name, with their credits."""

    by_hash: dict[str, tuple[VestnikImage, str]]
    by_title: dict[str, tuple[VestnikImage, str]]

    def match(self, draft: ImageDraft) -> tuple[VestnikImage, str] | None:
        """The source's image that is the same file as the draft's, and its credit there.

        "The same file" is the same bytes (`hash_filelike`, as `_image_ensure`
        dedups); a file that carries no images (saved page text) can only say
        the file's name, and the source's placeholder of that name is the one.
        """
        if draft.data is not None and _is_readable_image(draft.data):
            return self.by_hash.get(hash_filelike(io.BytesIO(draft.data)))
        if draft.data is None:
            return self.by_title.get(draft.filename)
        return None


def _source_images(source: ArticlePage) -> _SourceImages:
    by_hash: dict[str, tuple[VestnikImage, str]] = {}
    by_title: dict[str, tuple[VestnikImage, str]] = {}
    for block in source.body:
        if block.block_type != "image" or block.value["image"] is None:
            continue
        image = block.value["image"]
        credit = block.value.get("credit") or image.credit
        if image.file_hash:
            by_hash.setdefault(image.file_hash, (image, credit))
        by_title.setdefault(image.title, (image, credit))
    return _SourceImages(by_hash=by_hash, by_title=by_title)


def _image_ensure(draft: ImageDraft, warnings: list[str]) -> VestnikImage:
    """The stored image for a draft; the same file imported again reuses the first copy."""
    data = draft.data
    if data is not None and not _is_readable_image(data):
        warnings.append(
            f"Image {draft.filename} could not be read; a placeholder stands in for it."
        )
        data = None
    if data is None:
        if draft.data is None:
            warnings.append(
                f"Image {draft.filename} is not in the source; a grey placeholder stands in "
                "for it until an editor uploads the original."
            )
        data = placeholder_image_bytes()
        filename = f"{PurePath(draft.filename).stem or 'image'}-placeholder.png"
    else:
        filename = PurePath(draft.filename).name or "image"
    title = _shortened(draft.filename, _SHORT_TEXT_MAX_CHARS, "An image file name", warnings)
    file_hash = hash_filelike(io.BytesIO(data))
    image = VestnikImage.objects.filter(title=title, file_hash=file_hash).order_by("pk").first()
    credit = draft.credit[:_SHORT_TEXT_MAX_CHARS]
    if image is not None:
        if credit and not image.credit:
            image.credit = credit
            image.save(update_fields=["credit"])
        return image
    image = VestnikImage(
        title=title,
        credit=credit,
        file=ImageFile(io.BytesIO(data), name=filename),
        file_size=len(data),
        file_hash=file_hash,
    )
    image.save()
    return image


def _is_readable_image(data: bytes) -> bool:
    try:
        with PillowImage.open(io.BytesIO(data)) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def placeholder_image_bytes() -> bytes:
    """A plain grey PNG: the same bytes every time, so repeated imports share one file."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", PLACEHOLDER_SIZE, PLACEHOLDER_COLOUR).save(buffer, format="PNG")
    return buffer.getvalue()


# --- author accounts --------------------------------------------------------
#
# An author is an expert with a user account. Wagtail grants page permissions to
# groups only, so each author has a group of their own (`Expert.account_group`)
# holding exactly: add and change on their blog, change on every article they
# co-author. The shared «Авторы» group gives admin access and images
# (`site.services.editorial_groups_ensure`); nobody in either may publish, so
# every text an author writes goes through the editors' review.

AUTHORS_GROUP = "Авторы"
_PERSONAL_GROUP_PREFIX = "Автор: "
_GROUP_NAME_MAX_CHARS = 150
AUTHOR_BLOG_PERMISSIONS = ("add_page", "change_page")
CO_AUTHOR_PERMISSIONS = ("change_page",)


class AccountRefused(ValueError):
    """An account cannot be linked as asked; the message says why, for the person asking."""


def author_account_ensure(*, username: str, expert: Expert, email: str = "") -> tuple[User, bool]:
    """Create (or find) the account `username`, link it to `expert` and grant an author's rights.

    A new account has no usable password: `core.accounts.password_set_url`
    gives the one-time link to choose one. Returns the account and whether it
    is new.
    """
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if expert.user_id is not None and (user is None or expert.user_id != user.pk):
            raise AccountRefused(
                f"The expert «{expert.slug}» is already linked to the account "
                f"«{expert.user.username}»; unlink it in the admin first."  # type: ignore[union-attr]
            )
        if user is not None:
            other = Expert.objects.filter(user=user).exclude(pk=expert.pk).first()
            if other is not None:
                raise AccountRefused(
                    f"The account «{username}» already belongs to the expert «{other.slug}»."
                )
        created = user is None
        if user is None:
            try:
                User.username_validator(username)
            except ValidationError as exc:
                raise AccountRefused(f"«{username}»: {' '.join(exc.messages)}") from exc
            user = User(username=username, email=email)
            user.set_unusable_password()
            user.save()
        elif email and user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        expert.user = user
        # A queryset update, not `save()`: the grant below is the whole effect, and
        # the post_save handler would only run it a second time.
        Expert.objects.filter(pk=expert.pk).update(user=user)
        author_permissions_sync(expert=expert)
    return user, created


def author_permissions_sync(*, expert: Expert) -> None:
    """Make the expert's account hold an author's rights, and a former account none.

    Decided from the state alone (who `expert.user` is now, which articles name
    the expert), so it is safe to run after any change and again on every
    `setup_site`. An expert without a blog gets an unpublished one: an author
    must have somewhere to write; an editor publishes it with the first article.
    """
    with transaction.atomic():
        group = expert.account_group
        if expert.user_id is None:
            if group is not None:
                former = list(group.user_set.values_list("pk", flat=True))
                group.user_set.clear()
                _authors_group_leave(former)
            return
        group = _personal_group_ensure(expert)
        former = list(group.user_set.exclude(pk=expert.user_id).values_list("pk", flat=True))
        group.user_set.set([expert.user_id])
        _authors_group_leave(former)
        Group.objects.get_or_create(name=AUTHORS_GROUP)[0].user_set.add(expert.user_id)

        wanted: set[tuple[int, int]] = set()
        # Their blog in every language: the English one is a translation of the first.
        blog = _author_blog(expert)
        blog_ids = set(BlogPage.objects.filter(expert=expert).values_list("pk", flat=True))
        if blog is not None:
            blog_ids.add(blog.pk)
        for blog_id in blog_ids:
            wanted |= {(blog_id, _page_permission(name).pk) for name in AUTHOR_BLOG_PERMISSIONS}
        for article_id in _articles_co_authored_by(expert):
            wanted |= {(article_id, _page_permission(name).pk) for name in CO_AUTHOR_PERMISSIONS}
        _group_page_permissions_set(group, wanted)


def article_co_author_permissions_sync(*, article_id: int, co_author_ids: Iterable[int]) -> None:
    """Each co-author with an account may edit the article; a name taken off the byline may not.

    Called with the co-authors of the article's newest revision, so a co-author
    named in a draft can work on that draft before it is published.
    """
    change = _page_permission("change_page")
    wanted = set(
        Expert.objects.filter(pk__in=list(co_author_ids), account_group__isnull=False).values_list(
            "account_group_id", flat=True
        )
    )
    with transaction.atomic():
        GroupPagePermission.objects.filter(
            page_id=article_id,
            permission=change,
            group__in=Expert.objects.filter(account_group__isnull=False).values("account_group"),
        ).exclude(group_id__in=wanted).delete()
        for group_id in wanted:
            GroupPagePermission.objects.get_or_create(
                group_id=group_id, page_id=article_id, permission=change
            )


def _personal_group_ensure(expert: Expert) -> Group:
    name = f"{_PERSONAL_GROUP_PREFIX}{expert.full_name}"[:_GROUP_NAME_MAX_CHARS]
    group = expert.account_group
    taken = Group.objects.filter(name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        # Two experts of the same name: the slug tells their groups apart.
        name = f"{name[: _GROUP_NAME_MAX_CHARS - len(expert.slug) - 3]} ({expert.slug})"
    if group is None:
        group = Group.objects.create(name=name)
        expert.account_group = group
        # Not `save()`: an expert's post_save runs this very sync.
        Expert.objects.filter(pk=expert.pk).update(account_group=group)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    return group


def _authors_group_leave(user_ids: Iterable[int]) -> None:
    """Take former authors out of «Авторы» unless they still speak for another expert."""
    leaving = [pk for pk in user_ids if not Expert.objects.filter(user_id=pk).exists()]
    group = Group.objects.filter(name=AUTHORS_GROUP).first()
    if group is not None and leaving:
        group.user_set.remove(*leaving)


def _author_blog(expert: Expert) -> BlogPage | None:
    try:
        return _blog_ensure(expert, publish=False)
    except SiteNotSetUp:
        # No blogs index yet: `setup_site` syncs every author once it has made one.
        return None


def _articles_co_authored_by(expert: Expert) -> set[int]:
    """The articles whose newest version names the expert as a co-author.

    A published article without a newer draft answers from its stored
    co-authors; a draft, or a live article with unpublished changes, from its
    newest revision, which is what its editors are working on.
    """
    pending = ArticlePage.objects.filter(Q(live=False) | Q(has_unpublished_changes=True))
    article_ids = set(
        ArticlePage.objects.filter(co_authors=expert)
        .exclude(pk__in=pending.values("pk"))
        .values_list("pk", flat=True)
    )
    revisions = Revision.objects.filter(pk__in=pending.values("latest_revision_id")).only(
        "object_id", "content"
    )
    for revision in revisions:
        if expert.pk in (revision.content.get("co_authors") or []):
            article_ids.add(int(revision.object_id))
    return article_ids


def _group_page_permissions_set(group: Group, wanted: set[tuple[int, int]]) -> None:
    existing = {
        (page_id, permission_id): pk
        for pk, page_id, permission_id in GroupPagePermission.objects.filter(
            group=group
        ).values_list("pk", "page_id", "permission_id")
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    GroupPagePermission.objects.filter(pk__in=stale).delete()
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group=group, page_id=page_id, permission_id=permission_id)
        for page_id, permission_id in wanted - existing.keys()
    )


def _page_permission(codename: str) -> Permission:
    return permission(f"wagtailcore.{codename}")
