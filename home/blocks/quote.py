from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class QuoteBlock(blocks.StructBlock):
    """A quotation with its attribution (a participant, a facilitator...)."""

    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "home/blocks/quote.html"
