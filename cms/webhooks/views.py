"""Admin views: endpoints are edited; the delivery log is read-only."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link-external"
    menu_label = _("Endpoints")
    form_fields = ["name", "url", "events", "is_active", "secret"]
    list_display = ["name", "url", "is_active", "created_at"]
    list_filter = ["is_active"]
    inspect_view_enabled = True


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Deliveries are written by the sender only: nobody adds or edits them by hand."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "list-ul"
    menu_label = _("Delivery log")
    list_display = ["event_type", "endpoint", "status", "attempts", "response_status", "created_at", "delivered_at"]
    list_filter = ["status", "event_type", "endpoint"]
    inspect_view_enabled = True
    form_fields = ["status"]


register_permission_policy(WebhookDelivery, ReadOnlyPolicy(WebhookDelivery), exact_class=True)


class WebhooksViewSetGroup(ViewSetGroup):
    menu_label = _("Webhooks")
    menu_icon = "resubmit"
    items = (WebhookEndpointViewSet("webhook_endpoints"), WebhookDeliveryViewSet("webhook_deliveries"))
