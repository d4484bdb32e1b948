from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from library.models.renditions import serialize_image


class ImageBlock(blocks.StructBlock):
    """An image with its own alt text and an optional caption.

    The API returns named renditions (never a filter spec taken from the
    request), so a front end cannot make the server resize on demand.
    """

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        help_text=_("Describe the image for people who cannot see it. Leave empty to use the image's description."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    def get_api_representation(self, value, context=None):
        image = value.get("image")
        data = serialize_image(image, names=("card", "hero"))
        if data is not None and value.get("alt_text"):
            data["alt"] = value["alt_text"]
        return {"image": data, "caption": value.get("caption", "")}

    class Meta:
        icon = "image"
        label = _("Image")
        template = "home/blocks/image.html"
