"""The answer to a client that tried too often, shared by login lockout and password-reset throttling."""

import math

from django.forms.utils import ErrorDict
from django.utils.translation import ngettext


def retry_minutes(cool_off):
    """Whole minutes until the client may try again (a cool-off under a minute still says one)."""
    return max(1, math.ceil(cool_off.total_seconds() / 60))


def too_many_attempts(cool_off):
    minutes = retry_minutes(cool_off)
    return ngettext(
        "Too many attempts; try again in %(minutes)d minute.",
        "Too many attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def replace_form_errors(form, message):
    """Show `message` as the bound form's only error (its own, e.g. "wrong password", no longer matter)."""
    form.is_valid()  # cleaned_data must exist before add_error
    form._errors = ErrorDict()
    form.add_error(None, message)
