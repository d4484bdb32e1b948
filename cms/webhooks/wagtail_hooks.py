from wagtail import hooks

from cms.webhooks.views import WebhooksViewSetGroup


@hooks.register("register_admin_viewset")
def register_webhooks():
    return WebhooksViewSetGroup()
