"""What the admin's page edit form posts, for tests that submit it as an editor would."""

from django.forms import CheckboxInput


def edit_form_data(page, user, **changes):
    """The POST body the admin's edit form would send for `page` unchanged, plus `changes`."""
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=user, parent_page=page.get_parent())
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if value is None:
            continue
        data[bound.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for formset in form.formsets.values():
        for bound in formset.management_form:
            data[bound.html_name] = str(bound.value())
    data.update(changes)
    return data
