"""Asset forms refuse, with an error, a collection the editor does not hold.

Wagtail's `BaseCollectionMemberForm` offers only the collections the user
may add to (plus the item's own), so a regional editor cannot move an image
or a document into, or out to, another coordination's collection. When she
holds a single collection, Wagtail drops the field and keeps the item where
it is whatever the POST says; an edited request naming another collection
would then pass unnoticed. This mixin reports it as a form error instead,
with the same message as a refused choice in the select.
"""

from django.utils.translation import gettext_lazy as _

COLLECTION_REFUSED = _("You may only put this item in one of your own collections.")


class CollectionScopedFormMixin:
    """Mixed into a `BaseCollectionMemberForm` subclass (images, documents, videos)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("collection")
        if field is not None:
            field.error_messages["invalid_choice"] = COLLECTION_REFUSED

    def clean(self):
        cleaned_data = super().clean()
        if "collection" not in self.fields and self.is_bound:
            posted = self.data.get(self.add_prefix("collection"))
            if posted not in (None, "") and str(posted) != str(self.collections[0].pk):
                self.add_error(None, COLLECTION_REFUSED)
        return cleaned_data
