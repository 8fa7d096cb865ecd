"""StreamField blocks of an article body."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtail_localize.segments.types import StringSegmentValue

from vestnik.core.text import latin_slug

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]
FOOTNOTE_HELP = _("Reference a footnote by writing [^key] where the mark should be, e.g. [^1].")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=255)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section (h2)")), ("h3", _("Subsection (h3)"))],
        default="h2",
        label=_("level"),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"

    def get_context(
        self, value: Any, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        context = super().get_context(value, parent_context)
        context["anchor"] = heading_anchor(value["text"])
        return context


def heading_anchor(text: str) -> str:
    return latin_slug(text, max_length=60)


class ParagraphBlock(blocks.RichTextBlock):
    """Rich text that may carry footnote references ([^key])."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        kwargs.setdefault("help_text", FOOTNOTE_HELP)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        help_text=_(
            "What the image shows, for readers who cannot see it. Defaults to the caption."
        ),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)
    credit = blocks.CharBlock(
        label=_("credit / source"),
        required=False,
        help_text=_("Shown as «Источник: …». Defaults to the credit stored with the image."),
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("quote"), features=["bold", "italic", "link"])
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class ArticleTableBlock(TableBlock):
    """A table whose cells and caption are words to translate.

    wagtail-localize knows no table block: without these two methods it would
    copy the cells untranslated into the English version. Each cell with words is
    a segment at `row.column`, figures stay as they are; the caption at `caption`.
    """

    def get_translatable_segments(self, value: Any) -> list[StringSegmentValue]:
        segments = [
            StringSegmentValue(f"{row}.{column}", cell)
            for row, cells in enumerate((value or {}).get("data") or [])
            for column, cell in enumerate(cells)
            # Figures read the same in every language: only cells with words.
            if isinstance(cell, str) and any(char.isalpha() for char in cell)
        ]
        caption = (value or {}).get("table_caption")
        if caption:
            segments.append(StringSegmentValue("caption", caption))
        return segments

    def restore_translated_segments(self, value: Any, segments: list[Any]) -> Any:
        translated = {**value, "data": [list(cells) for cells in value.get("data") or []]}
        for segment in segments:
            text = segment.render_text()
            if segment.path == "caption":
                translated["table_caption"] = text
            else:
                row, column = (int(part) for part in segment.path.split("."))
                translated["data"][row][column] = text
        return translated

    class Meta:
        icon = "table"
        label = _("Table")
        template = "blocks/table.html"


class ArticleEmbedBlock(EmbedBlock):
    class Meta:
        icon = "media"
        label = _("Embed")
        template = "blocks/embed.html"


class PollBlock(blocks.StructBlock):
    """A poll placed in the body; the polls app renders it (`{% poll_block %}`).

    The poll is chosen by its model's label, so the body's schema needs nothing
    from the polls app, which stands a floor above articles.
    """

    poll = SnippetChooserBlock("polls.Poll", label=_("poll"))
    heading = blocks.CharBlock(
        label=_("heading"),
        required=False,
        max_length=120,
        help_text=_("Defaults to «Опрос», or «Прошедший опрос» once the poll has closed."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Poll")
        template = "components/poll_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    table = ArticleTableBlock(table_options={"contextMenu": True, "startRows": 3, "startCols": 3})
    embed = ArticleEmbedBlock()
    poll = PollBlock()

    class Meta:
        block_counts: dict[str, dict[str, int]] = {}
