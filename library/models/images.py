"""The project's image model: Wagtail's, plus credits and a licence."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.images.models import AbstractImage, AbstractRendition, Image


class LibraryImage(AbstractImage):
    """Images of pages, posters and guide thumbnails.

    Wagtail's `description` field is the alt text; `credit` is shown next to
    the image on the public site.
    """

    credit = models.CharField(_("credit"), max_length=255, blank=True)

    admin_form_fields = Image.admin_form_fields + ("credit",)

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class LibraryRendition(AbstractRendition):
    image = models.ForeignKey(LibraryImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
