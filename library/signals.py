"""Signal handlers of the library."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from library.models import LibraryImage


@receiver(post_save, sender=LibraryImage)
def schedule_named_renditions(sender, instance, created, update_fields=None, **kwargs):
    """Pre-generate named renditions once the image row is committed."""
    if update_fields and "file" not in update_fields:
        return
    from library.tasks import generate_named_renditions

    transaction.on_commit(lambda: generate_named_renditions.enqueue(instance.pk))
