"""Background work of the library (django-tasks)."""

from django_tasks import task


@task()
def generate_named_renditions(image_id):
    """Create every named rendition of an image, outside any request."""
    from wagtail.images import get_image_model

    from library.listing.build import refresh
    from library.listing.triggers import items_using_images
    from library.renditions import NAMED_RENDITIONS

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return
    before = image.renditions.count()
    image.get_renditions(*NAMED_RENDITIONS.values())
    if image.renditions.count() != before:
        # The cards of the films and guides showing it list its renditions.
        refresh(items_using_images([image_id]))


@task()
def refresh_listing(page_ids):
    """Rewrite the listing entries and cards of these films and guides (`library.listing`)."""
    from library.listing.build import refresh

    refresh(page_ids)
