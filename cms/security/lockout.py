"""What a locked-out client sees (django-axes' AXES_LOCKOUT_CALLABLE): 429, when to retry, in the admin's language.

Axes calls this from its middleware once a failed attempt reaches the limit,
and for every attempt during the lock-out. Attempts during the lock-out do not
start the cool-off again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off):
otherwise one request every few minutes would keep an editor's account locked
for good. The wait shown is therefore what is left of the cool-off since the
last failure that counted. On a login page (a template response with a form) the
page is shown again with the message in place of the form's error; anything
else gets the message as plain text.
"""

import datetime
import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt

from django.db.models import Max, Q
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse, TemplateResponse
from django.utils import timezone

from cms.security.messages import replace_form_errors, too_many_attempts

STATUS = 429


def time_left(request, credentials=None):
    """What is left of the cool-off since the last counted failure of this account or this address."""
    cool_off = get_cool_off(request)
    matching = Q(ip_address=getattr(request, "axes_ip_address", None))
    username = get_client_username(request, credentials)
    if username:
        matching |= Q(username=username)
    last = AccessAttempt.objects.filter(matching).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return cool_off
    return max(cool_off - (timezone.now() - last), datetime.timedelta(0))


def lockout_response(request, original_response=None, credentials=None):
    wait = time_left(request, credentials)
    message = too_many_attempts(wait)
    form = None
    if isinstance(original_response, SimpleTemplateResponse) and original_response.context_data:
        form = original_response.context_data.get("form")
    if form is not None and hasattr(form, "add_error"):
        replace_form_errors(form, message)
        response = TemplateResponse(
            request, original_response.template_name, original_response.context_data, status=STATUS
        )
        response.render()
    else:
        response = HttpResponse(message, status=STATUS, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return response
