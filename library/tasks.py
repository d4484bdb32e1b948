"""Background work of the library (django-tasks)."""

from django_tasks import task


@task()
def generate_named_renditions(image_id):
    """Create every named rendition of an image, outside any request."""
    from wagtail.images import get_image_model

    from library.renditions import NAMED_RENDITIONS

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return
    image.get_renditions(*NAMED_RENDITIONS.values())
