"""Images derived from an asset (a video's poster frame, a guide document's first page)."""

from library.models.films import FilmPage
from library.models.guides import GuidePage
from library.models.images import LibraryImage


def delete_derived_image(image_id):
    """Delete an image derived from an asset that is being deleted (poster frame, first page).

    Left behind, it would no longer be marked as derived (`library.access.rules`
    reads the mark from the asset) and would become ordinary public media.
    Kept only when a film or guide shows it directly: it then follows them.
    """
    if image_id is None:
        return
    if FilmPage.objects.filter(poster_id=image_id).exists() or GuidePage.objects.filter(cover_id=image_id).exists():
        return
    LibraryImage.objects.filter(pk=image_id).delete()
