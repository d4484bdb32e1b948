"""Wagtail's logout view, answering only POST.

Django's LogoutView already refuses GET with 405, but Wagtail's subclass
deletes the session cookie and queues its "logged out" message after
whatever its parent answered: a GET (an `<img src="/admin/logout/">` on
any page an editor opens) still ended the session. Here any method other
than POST stops before Wagtail's side effects; the admin's own menu logs
out with a POST form.
"""

from wagtail.admin.views.account import LogoutView


class PostOnlyLogoutView(LogoutView):
    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":  # OPTIONS too: Wagtail would delete the cookie after answering it
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)
