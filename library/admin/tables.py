"""Table columns shared by the library's admin listings.

Wagtail's `DateColumn` writes a time relative to now ("3 days ago"), with the
date itself only in a tooltip, and words any future moment as "0 minutes ago":
an expiry in 2031 reads "Il y a 0 minute". Expiry dates are ahead of us, so
the listings write dates as dates, in the admin's language (`15/11/2031`, and
`15/11/2031 14:05` for a moment, in the site's time zone).
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format

from wagtail.admin.ui.tables import Column


def format_admin_date(value):
    """A date as `SHORT_DATE_FORMAT`, a moment as `SHORT_DATETIME_FORMAT` in local time; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


class LocalDateColumn(Column):
    """A date (or date and time) written out in the admin's format, in a `<time>` element.

    `empty_value_display` says what an empty cell reads ("Never" for a token
    never used); it is blank by default.
    """

    cell_template_name = "library/admin/tables/date_cell.html"

    def __init__(self, name, empty_value_display="", **kwargs):
        super().__init__(name, **kwargs)
        self.empty_value_display = empty_value_display

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        if value is None:
            context["value"], context["datetime"] = self.empty_value_display, ""
        else:
            context["value"], context["datetime"] = format_admin_date(value), value.isoformat()
        return context


class StateTagColumn(Column):
    """A row's state in words, as a status tag when it needs attention (expired, revoked...), plain otherwise.

    `states` maps each state to its label; `get_state(instance)` gives the
    row's state and `calm_states` the states written plainly.
    """

    cell_template_name = "library/admin/tables/state_cell.html"
    states = {}
    calm_states = ()

    def get_state(self, instance):
        raise NotImplementedError

    def get_value(self, instance):
        state = self.get_state(instance)
        return self.states.get(state, state)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["tagged"] = self.get_state(instance) not in self.calm_states
        return context
