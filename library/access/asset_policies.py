"""Who may add, change, delete and choose videos: per collection, as for images.

Wagtail's `CollectionOwnershipPermissionPolicy` gives regional editors'
groups rights on their coordination's collection only, and lets an uploader
edit their own videos.
"""

from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy

from library.models import Video

video_permission_policy = CollectionOwnershipPermissionPolicy(
    Video, auth_model=Video, owner_field_name="uploaded_by_user"
)
register_permission_policy(Video, video_permission_policy)
