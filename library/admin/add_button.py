"""An add button that names its item as French says it ("Ajouter un thème").

Wagtail builds the label from the model's name, and its French writes both
genders at once ("Ajouter un(e) thème"); a viewset with `add_item_label`
gives its own words instead.
"""


class NamedAddButtonMixin:
    add_item_label = None

    def get_index_view_kwargs(self, **kwargs):
        if self.add_item_label:
            kwargs["add_item_label"] = self.add_item_label
        return super().get_index_view_kwargs(**kwargs)
