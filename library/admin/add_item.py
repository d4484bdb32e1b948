"""Where "Ajouter un film" / "Ajouter un guide" leads: the editor's own coordination, not a tree picker.

Wagtail's flat listings send their add button to a choose-parent view whose
form is a page chooser opening at the tree's root: editors had to walk from
"Root" down to their coordination. Films and guides can only be created under
a coordination, so this view offers the French coordinations where the user
may add one (Wagtail's own "add" permission, as its creation view checks it):

- one: straight to the creation form under it (the common case, a regional
  editor);
- several (a national editor): a short list, each coordination a link to its
  creation form;
- none: a message saying so.

Items are created in the default language and translated from there, so the
English copy of a coordination is never offered, whatever locale the listing
shows. The creation view still checks the permission on the parent it is
given: a link here is only a shortcut, never a grant.

The creation form itself is Wagtail's, served at the listing's own address
(`/admin/films/add/<coordination>/`, `films:add`) rather than under
`/admin/pages/add/...`: the sidebar highlights the menu item whose URL the
address starts with, so the editor who clicked "Films" stays under "Films",
not "Pages". The form still posts to Wagtail's own creation URL.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views.pages.choose_parent import ChooseParentView
from wagtail.admin.views.pages.create import CreateView
from wagtail.models import Locale

from library.models import CoordinationPage
from library.models.forms import name_key


def creation_view(model):
    """Wagtail's creation form for `model` under a coordination, at the listing's own URL (`<listing>:add`)."""
    opts = model._meta
    create = CreateView.as_view()

    def add(request, parent_page_id):
        if not CoordinationPage.objects.filter(pk=parent_page_id).exists():
            raise Http404
        return create(request, opts.app_label, opts.model_name, parent_page_id)

    return add


class CoordinationChooseParentView(ChooseParentView):
    template_name = "library/admin/choose_coordination.html"
    page_title = _("Choose a coordination")
    #: Above the list, and instead of it when the user may add nowhere; set by each viewset.
    choose_message = ""
    nowhere_message = ""
    #: The listing's creation URL (`creation_view`), given by the viewset.
    add_url_name = None

    def get_locale(self):
        return Locale.get_default()

    def coordinations(self):
        """The default-locale coordinations the user may add this model under, in dictionary order."""
        parents = self.get_valid_parent_pages(self.request.user).specific()
        return sorted(parents, key=lambda parent: name_key(parent.title))

    def add_url(self, parent):
        return reverse(self.add_url_name, args=[parent.pk])

    def get(self, request, *args, **kwargs):
        coordinations = self.coordinations()
        if len(coordinations) == 1:
            return redirect(self.add_url(coordinations[0]))
        return self.render_to_response(self.get_context_data(coordinations=coordinations))

    def post(self, request, *args, **kwargs):
        """Wagtail's parent-chooser form is not offered here; a POST shows the list again."""
        return self.get(request, *args, **kwargs)

    def get_context_data(self, coordinations=(), **kwargs):
        # Skip ChooseParentView's context, which builds the page chooser form this view replaces.
        context = super(ChooseParentView, self).get_context_data(form=None, **kwargs)
        context["choices"] = [
            {"title": parent.title, "detail": getattr(parent, "carrying_structure", ""), "url": self.add_url(parent)}
            for parent in coordinations
        ]
        context["choose_message"] = self.choose_message
        context["nowhere_message"] = self.nowhere_message
        return context


class FilmChooseParentView(CoordinationChooseParentView):
    choose_message = _("Choose the coordination of the film:")
    nowhere_message = _(
        "You may add a film to no coordination. A coordination's editors add its films: "
        "ask the national coordination to add you to your coordination's editors."
    )


class GuideChooseParentView(CoordinationChooseParentView):
    choose_message = _("Choose the coordination of the guide:")
    nowhere_message = _(
        "You may add a guide to no coordination. A coordination's editors add its guides: "
        "ask the national coordination to add you to your coordination's editors."
    )
