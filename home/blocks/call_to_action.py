from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class CallToActionBlock(blocks.StructBlock):
    """A button to an internal page or an external address.

    The API gives one `url`: the public site's path for a page (in the
    language being served, when the page is translated), the address itself
    for an external link.
    """

    label = blocks.CharBlock(label=_("button label"), max_length=80)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    external_url = blocks.URLBlock(label=_("external address"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("external_url")):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose either a page or an external address."))}
            )
        return value

    def get_api_representation(self, value, context=None):
        page = value.get("page")
        if page is not None:
            page = page.localized
        request = (context or {}).get("request")
        url = page.get_url(request=request) if page else value.get("external_url")
        return {"label": value.get("label"), "url": url, "page_id": page.pk if page else None}

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "home/blocks/call_to_action.html"
