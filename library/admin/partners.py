"""Partner organisations and the API tokens issued to their user accounts.

A token is Wagtail's own `APIToken` (only its digest is stored), tied to an
organisation by `PartnerToken`, which adds the expiry date. The plaintext is
shown once, right after creation, with Wagtail's "token created" page;
revoking keeps the row for the audit trail, as Wagtail's own token admin does.
"""

import django_filters

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.models import APIToken
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from library.admin.add_button import NamedAddButtonMixin
from library.admin.coordination_scope import (
    CoordinationChoiceForm,
    CoordinationScopedObjectMixin,
    CoordinationScopedViewSetMixin,
    ViewSetScopedChooserViewSet,
    coordination_choices,
    scope_queryset,
)
from library.admin.tables import LocalDateColumn, StateTagColumn
from library.models import PartnerOrganisation, PartnerToken


class PartnerOrganisationFilterSet(WagtailFilterSet):
    """By kind, and by coordination among the French ones (the organisations point at those), in dictionary order."""

    coordination = django_filters.ModelChoiceFilter(label=_("Coordination"), queryset=coordination_choices)

    class Meta:
        model = PartnerOrganisation
        fields = ["kind"]


class PartnerOrganisationViewSet(CoordinationScopedViewSetMixin, NamedAddButtonMixin, SnippetViewSet):
    model = PartnerOrganisation
    add_item_label = _("Add a partner organisation")
    icon = "group"
    menu_label = _("Partner organisations")
    menu_name = "partner_organisations"
    copy_view_enabled = False
    list_display = ["name", Column("get_kind_display", label=_("Type")), "coordination", "commune"]
    filterset_class = PartnerOrganisationFilterSet
    list_export = ["name", "kind", "coordination", "commune", "contact_name", "contact_email"]
    edit_handler = ObjectList(PartnerOrganisation.panels, base_form_class=CoordinationChoiceForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("coordination")


class PartnerTokenForm(forms.Form):
    """Issue a token to a member of a partner organisation."""

    organisation = forms.ModelChoiceField(label=_("Partner organisation"), queryset=PartnerOrganisation.objects.none())
    user = forms.ModelChoiceField(label=_("User account"), queryset=get_user_model().objects.none())
    name = forms.CharField(label=_("Name"), max_length=255, help_text=_("What the token is for, e.g. its portal."))
    expires_at = forms.DateTimeField(label=_("Expires at"), required=False)

    def __init__(self, *args, for_user=None, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        # Wagtail's create view shows side panels about `form.instance`.
        self.instance = PartnerToken()
        organisations = PartnerOrganisation.objects.order_by("name")
        if for_user is not None:
            organisations = scope_queryset(organisations, for_user)
        self.fields["organisation"].queryset = organisations
        # Only partner accounts, never editors or superusers: a token acts as its user.
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(partner_organisations__in=organisations, is_superuser=False, is_active=True)
            .distinct()
            .order_by("username")
        )

    def clean(self):
        data = super().clean()
        organisation, user = data.get("organisation"), data.get("user")
        if organisation and user and not organisation.members.filter(pk=user.pk).exists():
            self.add_error("user", _("This account is not a member of the organisation."))
        expires_at = data.get("expires_at")
        if expires_at and expires_at <= timezone.now():
            self.add_error("expires_at", _("The expiry date must be in the future."))
        return data


def issue_token(organisation, user, name, expires_at=None):
    """Create the APIToken and its PartnerToken; return (partner_token, plaintext)."""
    if not organisation.members.filter(pk=user.pk).exists():
        raise ValidationError(_("This account is not a member of the organisation."))
    with transaction.atomic():
        api_token, plaintext = APIToken.create_token(user=user, name=name)
        partner_token = PartnerToken.objects.create(
            api_token=api_token, organisation=organisation, expires_at=expires_at
        )
    return partner_token, plaintext


class TokenCreateView(snippet_views.CreateView):
    def get_form_class(self):
        return PartnerTokenForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs["for_user"] = self.request.user
        return kwargs

    def get_form(self, form_class=None):
        return PartnerTokenForm(**self.get_form_kwargs())

    def get_panel(self):
        return None

    def get_bound_panel(self, form):
        return None

    def form_valid(self, form):
        data = form.cleaned_data
        self.object, plaintext = issue_token(data["organisation"], data["user"], data["name"], data["expires_at"])
        log(self.object, "wagtail.create", user=self.request.user)
        context = self.get_context_data(form=form, token=plaintext)
        context["object"] = self.object.api_token
        context["back_url"] = self.get_success_url()
        context["page_title"] = context["header_title"] = _("API token created")
        return TemplateResponse(self.request, "library/admin/token_created.html", context)


class TokenScopeMixin(CoordinationScopedObjectMixin):
    def object_coordination_id(self, obj):
        return obj.organisation.coordination_id


class TokenRevokeView(TokenScopeMixin, snippet_views.DeleteView):
    """Revoke instead of deleting: the row stays for the download log and the audit trail."""

    template_name = "wagtailusers/api_tokens/confirm_revoke.html"
    page_title = _("Revoke")

    @property
    def confirmation_message(self):
        return _("Are you sure you want to revoke this API token?")

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.api_token.revoked_at is None:
            self.object.api_token.revoke()
            log(self.object, "wagtail.edit", user=request.user)
        messages.success(request, _("API token '%(name)s' revoked.") % {"name": self.object.api_token.name})
        return redirect(self.get_success_url())


class TokenEditView(TokenScopeMixin, snippet_views.EditView):
    pass


class TokenStateColumn(StateTagColumn):
    """Active (plain words), revoked or expired (a tag)."""

    states = {"active": _("Active"), "revoked": _("Revoked"), "expired": _("Expired")}
    calm_states = ("active",)

    def get_state(self, instance):
        if instance.api_token.revoked_at is not None:
            return "revoked"
        if not instance.is_valid:
            return "expired"
        return "active"


class PartnerTokenViewSet(NamedAddButtonMixin, SnippetViewSet):
    model = PartnerToken
    add_item_label = _("Add a partner token")
    icon = "key"
    menu_label = _("Partner tokens")
    menu_name = "partner_tokens"
    copy_view_enabled = False
    inspect_view_enabled = False
    chooser_viewset_class = ViewSetScopedChooserViewSet
    add_view_class = TokenCreateView
    edit_view_class = TokenEditView
    delete_view_class = TokenRevokeView
    list_display = [
        Column("api_token", label=_("Token")),
        Column("organisation", label=_("Partner organisation")),
        Column("api_token.user", label=_("User account")),
        LocalDateColumn("api_token.created", label=_("Created on")),
        LocalDateColumn("api_token.last_used_at", label=_("Last used"), empty_value_display=_("Never")),
        LocalDateColumn("expires_at", label=_("Expires at"), empty_value_display=_("No expiry")),
        TokenStateColumn("state", label=_("State")),
    ]
    list_filter = ["organisation"]
    edit_handler = ObjectList([FieldPanel("expires_at")])

    def get_queryset(self, request):
        queryset = PartnerToken.objects.select_related("api_token__user", "organisation").order_by(
            "-api_token__created"
        )
        return scope_queryset(queryset, request.user, field="organisation__coordination_id")
