"""Import writes: a saved page, a saved HTML page or a Word manuscript → an article, all or nothing.

Every source goes the same way: the file is checked and parsed into an
`ArticleDraft` before the first query (HTML and .docx in the sandbox of
`importers.safety`), then `draft_import` hands the draft to the one shared
mapper, `articles.services.article_create_from_draft`, in one transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_save
from django.utils import translation

from modelcluster.fields import ParentalKey
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

from vestnik.articles.models import ArticlePage
from vestnik.articles.services import (
    ArticleImportResult,
    SiteNotSetUp,
    TranslationRefused,
    article_create_from_draft,
    article_translation_check,
    article_translation_from_draft,
)
from vestnik.core.locales import content_languages
from vestnik.importers.decoding import MAX_BYTES as TEXT_MAX_BYTES
from vestnik.importers.decoding import text_decode, text_file_read
from vestnik.importers.errors import ImportFailed
from vestnik.importers.parsers.docx import parse_docx_checked
from vestnik.importers.parsers.html import parse_html_checked
from vestnik.importers.parsers.page_text import parse_page_text
from vestnik.importers.safety import (
    Limits,
    docx_sniff,
    html_sniff,
    limits,
    sandboxed,
    size_check,
)
from vestnik.polls.services import poll_create_from_draft

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from vestnik.articles.drafts import ArticleDraft
    from vestnik.authors.models import Expert

logger = logging.getLogger(__name__)

ImportKind = Literal["docx", "html", "page"]
# What an upload's name says it is; the content is checked before it is believed.
UPLOAD_KINDS: dict[str, ImportKind] = {
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".txt": "page",
}


def import_page_file(
    *,
    path: Path | str,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> ArticleImportResult:
    """Import one saved page's text file; `ImportFailed` before anything is written."""
    return import_page_text(
        text=text_file_read(Path(path)),
        publish=publish,
        user=user,
        language=language,
        translation_of=translation_of,
    )


def import_page_bytes(
    *, data: bytes, publish: bool = False, user: AbstractBaseUser | None = None
) -> ArticleImportResult:
    """The same for an upload held in memory (the admin's import form)."""
    return import_page_text(text=text_decode(data), publish=publish, user=user)


def import_page_text(
    *,
    text: str,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    author: str | None = None,
    expert: Expert | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> ArticleImportResult:
    draft = parse_page_text(text)
    if author and author.strip():
        draft.author_name, draft.author_name_genitive = " ".join(author.split()), ""
    return draft_import(
        draft=draft,
        publish=publish,
        user=user,
        expert=expert,
        language=language,
        translation_of=translation_of,
    )


def import_docx_file(
    *,
    path: Path | str,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    author: str | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> ArticleImportResult:
    """Import a Word manuscript; `author` overrides the one the document names."""
    path = Path(path)
    data = file_read(path, limits())
    return import_docx_bytes(
        data=data,
        filename=path.name,
        publish=publish,
        user=user,
        author=author,
        language=language,
        translation_of=translation_of,
    )


def import_docx_bytes(
    *,
    data: bytes,
    filename: str,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    author: str | None = None,
    expert: Expert | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> ArticleImportResult:
    # The sniff is cheap and spares a child process for a PDF or a .doc.
    return _import_in_sandbox(
        data,
        filename,
        docx_sniff,
        parse_docx_checked,
        publish=publish,
        user=user,
        author=author,
        expert=expert,
        language=language,
        translation_of=translation_of,
    )


def import_html_file(
    *,
    path: Path | str,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    author: str | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> ArticleImportResult:
    """Import a page saved as HTML from a legacy portal."""
    path = Path(path)
    data = file_read(path, limits())
    return import_html_bytes(
        data=data,
        filename=path.name,
        publish=publish,
        user=user,
        author=author,
        language=language,
        translation_of=translation_of,
    )


def import_html_bytes(
    *,
    data: bytes,
    filename: str,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    author: str | None = None,
    expert: Expert | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> ArticleImportResult:
    return _import_in_sandbox(
        data,
        filename,
        html_sniff,
        parse_html_checked,
        publish=publish,
        user=user,
        author=author,
        expert=expert,
        language=language,
        translation_of=translation_of,
    )


def _import_in_sandbox(
    data: bytes,
    filename: str,
    sniff: Callable[[bytes], object],
    parse: Callable[..., ArticleDraft],
    *,
    publish: bool,
    user: AbstractBaseUser | None,
    author: str | None,
    expert: Expert | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> ArticleImportResult:
    """Check size and format here, parse in a child process with limits, then import."""
    current = limits()
    size_check(len(data), current)
    sniff(data)
    draft = sandboxed(parse, data, filename=filename, author=author, limits=current, within=current)
    return draft_import(
        draft=draft,
        publish=publish,
        user=user,
        expert=expert,
        language=language,
        translation_of=translation_of,
    )


def import_upload(
    *,
    data: bytes,
    filename: str,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    author: str | None = None,
    expert: Expert | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> ArticleImportResult:
    """An uploaded .docx, .html or .txt, by its name (the admin's import form).

    With `expert` (an author importing), the article goes to that expert's blog
    whoever the file or `author` names, and no expert is created.
    """
    kind = UPLOAD_KINDS.get(Path(filename).suffix.lower())
    common: dict[str, Any] = {
        "publish": publish,
        "user": user,
        "author": author,
        "expert": expert,
        "language": language,
        "translation_of": translation_of,
    }
    if kind == "docx":
        return import_docx_bytes(data=data, filename=filename, **common)
    if kind == "html":
        return import_html_bytes(data=data, filename=filename, **common)
    if kind == "page":
        # A saved page's text has its own, smaller limit (as for `import_page`).
        size_check(len(data), Limits(max_bytes=min(limits().max_bytes, TEXT_MAX_BYTES)))
        return import_page_text(text=text_decode(data), **common)
    raise ImportFailed(
        "Only Word manuscripts (.docx), saved pages (.html, .htm) and saved page text (.txt) "
        "can be imported."
    )


def draft_import(
    *,
    draft: ArticleDraft,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    expert: Expert | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> ArticleImportResult:
    """Any importer's draft → the article (and its poll), in one transaction: the shared path.

    With `translation_of`, the draft becomes that article's version in
    `language` (`articles.services.article_translation_from_draft`); its poll
    is not imported, since a translated poll is the source's poll in another
    language and shares its ballots.
    """
    try:
        with transaction.atomic(), reference_index_batched():
            if translation_of is not None:
                result = article_translation_from_draft(
                    source=translation_of,
                    draft=draft,
                    language=language or settings.LANGUAGE_CODE,
                    publish=publish,
                    user=user,
                )
                if draft.poll is not None and result.created:
                    result.warnings.append(
                        "The file's poll was not imported: a translation shows its "
                        "source's poll, translated in the admin."
                    )
                return result
            result = article_create_from_draft(
                draft=draft, publish=publish, user=user, expert=expert, language=language
            )
            # An unchanged page keeps the poll it already has.
            if draft.poll is not None and (result.created or result.changed):
                poll = poll_create_from_draft(draft=draft.poll, article=result.article)
                result.warnings.extend(poll.warnings)
    except ValidationError as exc:
        raise ImportFailed(f"The article does not validate: {'; '.join(exc.messages)}") from exc
    except (SiteNotSetUp, TranslationRefused) as exc:
        raise ImportFailed(str(exc)) from exc
    return result


def translation_source(*, reference: str, language: str | None) -> ArticlePage:
    """The article `--translation-of` names, checked to take a translation into `language`.

    `reference` is a page id («42»), a path on the site
    («/blogs/asan-zhakupov/slug/», «/en/…») or a full URL; `ImportFailed`
    says why when it names no page, or a page that cannot have this translation.
    """
    reference = reference.strip()
    page = (
        Page.objects.filter(pk=int(reference)).first()
        if reference.isdigit()
        else _page_at(reference)
    )
    if page is None:
        raise ImportFailed(
            f"«{reference}» is not a page of this site: give an article's id or its URL, "
            "such as /blogs/<blog>/<article>/."
        )
    try:
        return article_translation_check(source=page, language=language)
    except TranslationRefused as exc:
        raise ImportFailed(str(exc)) from exc


def _page_at(url: str) -> Page | None:
    """The page served at a URL or path, in whichever language its prefix (/en/) says."""
    parts = urlsplit(url if "://" in url else "//host" + ("" if url.startswith("/") else "/") + url)
    components = [component for component in parts.path.split("/") if component]
    site = (
        Site.objects.filter(hostname=parts.hostname).first()
        or Site.objects.filter(is_default_site=True).first()
    )
    if site is None:
        return None
    root = site.root_page
    if components and components[0] in content_languages():
        locale = Locale.objects.filter(language_code=components.pop(0)).first()
        root = root.get_translation_or_none(locale) if locale is not None else None
        if root is None:
            return None
    url_path = root.url_path + "".join(f"{component}/" for component in components)
    return Page.objects.filter(url_path=url_path).first()


@contextmanager
def reference_index_batched() -> Iterator[None]:
    """Index the references of each object an import saves once, at the end.

    Wagtail re-indexes a page's references after every save of the page or of
    one of its child objects; an import saves a page three times and each of
    its footnotes once, so a manuscript with a hundred notes would have its
    whole body indexed a hundred times. Saves made by this thread are noted
    instead (child objects as their parent page), and each object is indexed
    once when the block ends, as Wagtail's own handler would have done.
    """
    thread = threading.get_ident()
    saved: dict[tuple[str, str, str], None] = {}

    def note(sender: type[Model], instance: Model, raw: bool = False, **kwargs: Any) -> None:
        if raw or threading.get_ident() != thread or sender not in ReferenceIndex.tracked_models:
            return
        indexed = _reference_index_owner(instance)
        if indexed is not None and indexed.pk is not None:
            saved[(indexed._meta.app_label, str(indexed._meta.model_name), str(indexed.pk))] = None

    post_save.connect(note, weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(note)
    for app_label, model_name, pk in saved:
        update_reference_index_task.enqueue(app_label, model_name, pk)


def _reference_index_owner(instance: Model) -> Model | None:
    """The object whose references an instance belongs to: a footnote's page, say."""
    while True:
        keys = [field for field in instance._meta.get_fields() if isinstance(field, ParentalKey)]
        if not keys:
            return instance
        parent = getattr(instance, keys[0].name, None)
        if parent is None:
            return None
        instance = parent


def file_read(path: Path, current: Limits) -> bytes:
    """A file's bytes; its size is checked before it is read."""
    try:
        if path.is_dir():
            raise ImportFailed(f"{path} is a directory, not a file.")
        size_check(path.stat().st_size, current)
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(f"No such file: {path}") from exc
    except OSError as exc:
        raise ImportFailed(f"Cannot read {path}: {exc.strerror or exc}") from exc


# --- batches ----------------------------------------------------------------


@dataclass
class ImportOutcome:
    """One file of a batch: the result, or the reason it was not imported."""

    path: Path
    result: ArticleImportResult | None = None
    error: str = ""

    @property
    def url_path(self) -> str:
        return article_url_path(self.result.article) if self.result is not None else ""


def files_expand(arguments: Iterable[str | Path], suffixes: Sequence[str]) -> list[Path]:
    """Files as given, and each directory's files with one of `suffixes` (sorted, not recursive).

    Word's lock files (`~$name.docx`) and hidden files are skipped.
    """
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            paths.extend(
                sorted(
                    child
                    for child in path.iterdir()
                    if child.is_file()
                    and child.suffix.lower() in suffixes
                    and not child.name.startswith(("~$", "."))
                )
            )
        else:
            paths.append(path)
    return paths


def import_files(
    *,
    paths: Sequence[Path],
    kind: Literal["docx", "html"],
    publish: bool = False,
    user: AbstractBaseUser | None = None,
    author: str | None = None,
    progress: Callable[[int, Path], None] | None = None,
    language: str | None = None,
    translation_of: ArticlePage | None = None,
) -> list[ImportOutcome]:
    """Import each file on its own: a bad file is reported and the next one goes on.

    Each import is one transaction, so a file that fails leaves nothing behind.
    `progress(done, path)` is called after each file.
    """
    importer = import_docx_file if kind == "docx" else import_html_file
    outcomes: list[ImportOutcome] = []
    for done, path in enumerate(paths, start=1):
        try:
            result = importer(
                path=path,
                publish=publish,
                user=user,
                author=author,
                language=language,
                translation_of=translation_of,
            )
        except ImportFailed as exc:
            outcomes.append(ImportOutcome(path=path, error=exc.message))
        # One file's bug must not stop a batch of hundreds: it is logged with its
        # traceback and reported in the summary, and the next file goes on.
        except Exception as exc:
            logger.exception("Import of %s failed unexpectedly", path)
            outcomes.append(
                ImportOutcome(path=path, error=f"Unexpected error ({type(exc).__name__}: {exc}).")
            )
        else:
            outcomes.append(ImportOutcome(path=path, result=result))
        if progress is not None:
            progress(done, path)
    return outcomes


def article_url_path(article: ArticlePage) -> str:
    """The path the article is (or, once published, will be) served at, e.g. /blogs/<blog>/<slug>/.

    Computed in the site's default language, so it does not depend on whichever
    language happens to be active (the command runs outside any request).
    """
    with translation.override(settings.LANGUAGE_CODE):
        parts = article.get_url_parts()
    if parts is not None and parts[2] is not None:
        return str(parts[2])
    # No site serves this part of the tree: fall back to the path below the home page.
    return "/" + article.url_path.strip("/").partition("/")[2] + "/"
