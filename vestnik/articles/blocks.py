"""StreamField blocks of an article body."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

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
