"""Wagtail's admin API endpoints for images and documents, limited to the user's collections.

`/admin/api/main/images/` and `/documents/` (registered by Wagtail for any
admin user) list every item, and the image detail even renders a thumbnail,
whatever its collection. These subclasses keep the items the user may
choose or change, as the choosers do; another collection's item is a 404.
Registered after Wagtail's (`library.admin.registration`), they replace them.
"""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry


class CollectionScopedAPIMixin:
    reach_actions = ["change", "choose"]

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        reachable = policy.instances_user_has_any_permission_for(self.request.user, self.reach_actions)
        return super().get_queryset().filter(pk__in=reachable.values("pk"))


class CollectionScopedImagesAdminAPIViewSet(CollectionScopedAPIMixin, ImagesAdminAPIViewSet):
    pass


class CollectionScopedDocumentsAdminAPIViewSet(CollectionScopedAPIMixin, DocumentsAdminAPIViewSet):
    pass
