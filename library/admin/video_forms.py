"""The video edit form: title, collection, sign-language version, within the editor's reach.

Like Wagtail's image and document forms (`BaseCollectionMemberForm`), it
offers only the collections the editor may add to, and refuses another one
with an error (`collection_forms`). The sign-language version is picked with
the video chooser among the videos she may choose (her collections), so the
form neither lists nor accepts another coordination's videos; a version
already linked (by the national team, say) stays valid.
"""

from django.db.models import Q

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.collections import BaseCollectionMemberForm

from library.access.asset_policies import video_permission_policy
from library.admin.collection_forms import CollectionScopedFormMixin
from library.models import Video


class VideoForm(CollectionScopedFormMixin, BaseCollectionMemberForm, WagtailAdminModelForm):
    permission_policy = video_permission_policy

    class Meta(WagtailAdminModelForm.Meta):  # Wagtail's form field overrides, the video chooser among them
        model = Video
        fields = list(Video.admin_form_fields)

    def __init__(self, *args, **kwargs):
        # Wagtail's generic views pass `for_user`; BaseCollectionMemberForm reads `user`.
        kwargs.setdefault("user", kwargs.get("for_user"))
        super().__init__(*args, **kwargs)
        field = self.fields.get("sign_language_video")
        if field is not None and self.for_user is not None:
            choosable = video_permission_policy.instances_user_has_permission_for(self.for_user, "choose")
            queryset = Video.objects.filter(
                Q(pk__in=choosable.values("pk")) | Q(pk=self.instance.sign_language_video_id)
            )
            if self.instance.pk:
                queryset = queryset.exclude(pk=self.instance.pk)
            field.queryset = queryset
