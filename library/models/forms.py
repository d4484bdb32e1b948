"""The film edit form: a film's consent record must be one of its own coordination.

A consent record of another coordination would let an editor borrow someone
else's authorisation and publish her film wider than its own participants
allowed. Imported by `library.models.films`, so it imports only the coordination model.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from library.models.coordinations import CoordinationPage


class FilmPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("consent")
        coordination = self.film_coordination()
        if field is None or coordination is None:
            return
        ids = coordination.get_translations(inclusive=True).values_list("pk", flat=True)
        field.queryset = field.queryset.filter(coordination_id__in=ids)
        field.error_messages["invalid_choice"] = _(
            "Choose a consent record of this film's coordination: another coordination's authorisation does not "
            "cover these participants."
        )

    def film_coordination(self):
        """The coordination the film belongs to, or will belong to once created under `parent_page`."""
        if self.instance.coordination_id:
            return self.instance.coordination
        parent = getattr(self, "parent_page", None)
        if parent is None:
            return None
        parent = parent.specific_deferred
        if isinstance(parent, CoordinationPage):
            return parent
        return CoordinationPage.objects.ancestor_of(parent, inclusive=True).first()
