"""Wagtail's bulk actions on images and documents, without the titles of items out of reach.

Wagtail's confirmation page lists the selected items the user may not act
on, by title, under "You don't have permission to...". The selection comes
from the URL (`?id=...`), so a regional editor naming another coordination's
ids would read their titles there. These subclasses leave out the items she
holds no permission on at all (neither change nor choose, i.e. another
collection's); the ones she may act on are unchanged. Registered after
Wagtail's own (`library.admin.registration`), they replace them.
"""

from wagtail.documents.views import bulk_actions as document_actions
from wagtail.images.views import bulk_actions as image_actions
from wagtail.permissions import policy_registry


class UnreachableItemsLeftOutMixin:
    reach_actions = ["change", "choose"]

    def get_actionable_objects(self):
        objects, context = super().get_actionable_objects()
        policy = policy_registry.get_by_type(self.model)
        user = self.request.user
        context["items_with_no_access"] = [
            item
            for item in context["items_with_no_access"]
            if policy.user_has_any_permission_for_instance(user, self.reach_actions, item)
        ]
        return objects, context


class ImageAddTagsBulkAction(UnreachableItemsLeftOutMixin, image_actions.AddTagsBulkAction):
    pass


class ImageAddToCollectionBulkAction(UnreachableItemsLeftOutMixin, image_actions.AddToCollectionBulkAction):
    pass


class ImageDeleteBulkAction(UnreachableItemsLeftOutMixin, image_actions.DeleteBulkAction):
    pass


class DocumentAddTagsBulkAction(UnreachableItemsLeftOutMixin, document_actions.AddTagsBulkAction):
    pass


class DocumentAddToCollectionBulkAction(UnreachableItemsLeftOutMixin, document_actions.AddToCollectionBulkAction):
    pass


class DocumentDeleteBulkAction(UnreachableItemsLeftOutMixin, document_actions.DeleteBulkAction):
    pass


SCOPED_BULK_ACTIONS = [
    ImageAddTagsBulkAction,
    ImageAddToCollectionBulkAction,
    ImageDeleteBulkAction,
    DocumentAddTagsBulkAction,
    DocumentAddToCollectionBulkAction,
    DocumentDeleteBulkAction,
]
