"""Wagtail's password-reset view, throttled per client and per address.

Each request counts against the client's address and against the address
it asks a mail for, within the login cool-off (AXES_COOLOFF_TIME). A client
over PASSWORD_RESET_LIMIT is told to retry later (429); an address over it
gets no further mail, but the client sees the usual "mail sent" page, so the
form neither floods a mailbox nor tells which addresses were asked for.
"""

import datetime
import hashlib

from django.conf import settings
from django.http import HttpResponseRedirect

from wagtail.admin.views.account import PasswordResetView

from cms.security.client_ip import client_ip
from cms.security.messages import replace_form_errors, too_many_attempts
from cms.security.throttle import Throttle

STATUS = 429


def _throttle(scope):
    return Throttle(scope, settings.PASSWORD_RESET_LIMIT, settings.AXES_COOLOFF_TIME)


def _address_key(email):
    # Hashed: cache keys must not carry personal data (nor spaces or odd characters).
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class ThrottledPasswordResetView(PasswordResetView):
    def post(self, request, *args, **kwargs):
        by_client = _throttle("password-reset-client")
        ip = client_ip(request) or "unknown"
        if not by_client.hit(ip):
            return self._refused(by_client.retry_after(ip))
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        by_address = _throttle("password-reset-address")
        if not by_address.hit(_address_key(form.cleaned_data["email"])):
            return HttpResponseRedirect(self.get_success_url())
        return self.form_valid(form)

    def _refused(self, retry_after):
        form = self.get_form()
        replace_form_errors(form, too_many_attempts(datetime.timedelta(seconds=retry_after)))
        response = self.render_to_response(self.get_context_data(form=form), status=STATUS)
        response["Retry-After"] = str(retry_after)
        return response
