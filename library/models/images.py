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


def delete_derived_image(image_id):
    """Delete an image derived from an asset that is being deleted (poster frame, first page).

    Left behind, it would no longer be marked as derived (`library.access`
    reads the mark from the asset) and would become ordinary public media.
    Kept only when a film or guide shows it directly: it then follows them.
    """
    from library.models import FilmPage, GuidePage

    if image_id is None:
        return
    if FilmPage.objects.filter(poster_id=image_id).exists() or GuidePage.objects.filter(cover_id=image_id).exists():
        return
    LibraryImage.objects.filter(pk=image_id).delete()


class LibraryRendition(AbstractRendition):
    image = models.ForeignKey(LibraryImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
