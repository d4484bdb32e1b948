"""The admin's login form, with its password field labelled in the admin's language.

Wagtail's `LoginForm` declares `password` again without a label, so Django
derives one from the field name: "Password", untranslated, on the French
login page next to "Nom d'utilisateur".
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm


class LabelledLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
