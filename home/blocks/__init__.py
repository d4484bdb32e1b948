"""StreamField blocks of content pages, one per module."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from home.blocks.call_to_action import CallToActionBlock
from home.blocks.heading import HeadingBlock
from home.blocks.image import ImageBlock
from home.blocks.quote import QuoteBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Rich text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()


__all__ = ["BodyBlock", "CallToActionBlock", "HeadingBlock", "ImageBlock", "QuoteBlock"]
