"""What a locked-out client sees (django-axes' AXES_LOCKOUT_CALLABLE): 429, when to retry, in the admin's language.

Axes calls this from its middleware once a failed attempt reaches the limit,
and for every attempt during the lock-out. Each of those attempts starts the
cool-off again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the wait
is the whole cool-off. On a login page (a template response with a form) the
page is shown again with the message in place of the form's error; anything
else gets the message as plain text.
"""

from axes.helpers import get_cool_off

from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse, TemplateResponse

from cms.security.messages import replace_form_errors, too_many_attempts

STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    message = too_many_attempts(cool_off)
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
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
