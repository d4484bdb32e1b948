"""The film and guide edit forms (the pages' `base_form_class`).

Taxonomy in the page's language. Each term exists once per locale (linked by
its `translation_key`), so a plain model field would offer the French and the
English version of every term side by side. These forms offer only the terms
of the page's locale (a new page's comes from its parent), sorted as a reader
sorts names, in widgets an editor uses without Ctrl-click: checkboxes for
themes, audiences and age groups (and a guide's related films, named with
their coordination), a plain list for the genre and the action type. The
rule for what is saved:

- a page links the versions of its own locale: the French source (what the
  API and the listing read model read) links French terms, as before, and an
  English translation links English terms, as wagtail-localize already does
  for the genre and action type foreign keys when it translates a page;
- a stored link to another locale's version (an English translation copied
  from its French source by wagtail-localize keeps the French themes) is shown
  as the page-locale version of the same term, so saving the form moves it to
  the page's locale and loses nothing;
- a stored link to a term that has no version in the page's locale yet stays
  offered, ticked and labelled with its language, so that saving never drops it
  silently and the editor may untick it;
- any other term of another locale is refused with an error that says so.

The film's consent record must be one of its own coordination: a consent
record of another coordination would let an editor borrow someone else's
authorisation and publish her film wider than its own participants allowed.

Spoken languages are a JSON list of codes; the form offers them as named
choices and stores the same list, in the order it had.

Imported by `library.models.films` and `library.models.guides`, so it imports
only the coordination and taxonomy models.
"""

import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale

from library.models.choices import LANGUAGE_CHOICES
from library.models.coordinations import CoordinationPage
from library.models.taxonomy import AgeGroup


def name_key(name):
    """Sort key of a term's name: accents and case ignored, as in a dictionary ("Éducation" before "Fiction")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class TermChoiceIterator(ModelChoiceIterator):
    """The page's terms sorted by name (age groups by age), then the kept terms of another locale.

    PostgreSQL's ordering follows the database collation (code points here),
    which puts "Éducation" after "Territoire"; taxonomies are a few dozen
    rows, so they are sorted here.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        terms = list(self.queryset)
        foreign = [term for term in terms if term.locale_id != self.field.locale.pk]
        own = [term for term in terms if term.locale_id == self.field.locale.pk]
        if not issubclass(self.queryset.model, AgeGroup):  # age groups keep their order by age
            own.sort(key=lambda term: name_key(self.field.name_of(term)))
        for term in own + foreign:
            yield self.choice(term)


class PageLocaleTermsMixin:
    """A taxonomy form field limited to `locale`'s terms and to the other-locale terms in `kept`."""

    iterator = TermChoiceIterator

    def __init__(self, model, locale, kept=(), **kwargs):
        self.locale = locale
        self.kept_ids = {term.pk for term in kept}
        queryset = model.objects.filter(Q(locale=locale) | Q(pk__in=self.kept_ids)).select_related("locale")
        super().__init__(queryset, **kwargs)

    @staticmethod
    def name_of(obj):
        return obj.name

    def label_from_instance(self, obj):
        if obj.locale_id == self.locale.pk:
            return self.name_of(obj)
        return _("%(term)s (%(language)s, not translated yet)") % {
            "term": self.name_of(obj),
            "language": obj.locale.get_display_name(),
        }

    def refuse_other_locales(self, error):
        """Turn "not a valid choice" into "a term in another language" when the id is another locale's term."""
        value = (getattr(error, "params", None) or {}).get("value")
        model = self.queryset.model
        try:
            term = model.objects.filter(pk=value).first() if value not in (None, "") else None
        except (ValueError, TypeError):
            term = None
        if term is None:
            return error
        return ValidationError(
            _("“%(term)s” is a term in another language than this page’s: choose one from the list."),
            code="other_locale",
            params={"term": self.name_of(term)},
        )


class PageLocaleTermField(PageLocaleTermsMixin, forms.ModelChoiceField):
    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            raise self.refuse_other_locales(error) from error


class PageLocaleTermsField(PageLocaleTermsMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as error:
            raise self.refuse_other_locales(error) from error


class FilterableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes under a search box that narrows them as one types (`library/js/checkbox_filter.js`)."""

    template_name = "library/widgets/filterable_checkbox_select.html"

    def __init__(self, *args, placeholder="", **kwargs):
        super().__init__(*args, **kwargs)
        self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["filter_placeholder"] = self.placeholder
        return context

    @property
    def media(self):
        return forms.Media(js=["library/js/checkbox_filter.js"])


class RelatedFilmsField(PageLocaleTermsField):
    """A guide's related films: the films of the guide's language, by title, each named with its coordination."""

    def __init__(self, model, locale, kept=(), **kwargs):
        kwargs["widget"] = FilterableCheckboxSelectMultiple(placeholder=_("Filter the films…"))
        super().__init__(model, locale, kept, **kwargs)
        self.queryset = self.queryset.select_related("coordination")

    @staticmethod
    def name_of(obj):
        return obj.title

    def label_from_instance(self, obj):
        label = super().label_from_instance(obj)
        if obj.coordination_id is None:
            return label
        return f"{label} — {obj.coordination.title}"


class LibraryItemForm(WagtailAdminPageForm):
    """What the film and guide forms share: taxonomy fields in the page's locale."""

    #: The page's foreign keys and many-to-many fields to taxonomy terms (or, for a guide, to films).
    term_fields = ()
    #: The form field class of a many-to-many field in `term_fields`, when not `PageLocaleTermsField`.
    multiple_field_classes = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = self.page_locale()
        for name in self.term_fields:
            if name in self.fields:
                self.localise_term_field(name, locale)

    def page_locale(self):
        """The page's locale; for a page being created, its parent's (Wagtail sets it from there too)."""
        if self.instance.locale_id:
            return self.instance.locale
        parent = getattr(self, "parent_page", None)
        if parent is not None:
            return parent.locale
        return Locale.get_default()

    def stored_terms(self, name):
        """The terms the page links today, through foreign key or many-to-many `name`."""
        value = getattr(self.instance, name)
        if hasattr(value, "all"):
            return list(value.all())
        return [value] if value is not None else []

    def localise_term_field(self, name, locale):
        original = self.fields[name]
        model = original.queryset.model
        stored = self.stored_terms(name)
        keys = {term.translation_key for term in stored if term.locale_id != locale.pk}
        versions = {
            term.translation_key: term for term in model.objects.filter(locale=locale, translation_key__in=keys)
        }
        shown, kept = [], []
        for term in stored:
            version = term if term.locale_id == locale.pk else versions.get(term.translation_key)
            if version is None:
                kept.append(term)
                version = term
            if version.pk not in shown:
                shown.append(version.pk)
        options = {"label": original.label, "help_text": original.help_text, "required": original.required}
        if isinstance(original, forms.ModelMultipleChoiceField):
            field_class = self.multiple_field_classes.get(name, PageLocaleTermsField)
            field = field_class(model, locale, kept, widget=forms.CheckboxSelectMultiple, **options)
            self.initial[name] = shown
        else:
            field = PageLocaleTermField(model, locale, kept, widget=forms.Select, **options)
            self.initial[name] = shown[0] if shown else None
        self.fields[name] = field


#: The attribute of the parent page that holds a video to start a new film with (`library.admin.film_from_video`).
FILM_PRESET_ATTRIBUTE = "film_preset_video"


class FilmPageForm(LibraryItemForm):
    term_fields = ("genre", "action_type", "themes", "audiences")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_spoken_languages()
        self.start_with_preset_video()
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

    def start_with_preset_video(self):
        """A new film made from a video's page ("Create a film with this video") starts with the video and its title."""
        video = getattr(getattr(self, "parent_page", None), FILM_PRESET_ATTRIBUTE, None)
        if video is None or self.is_bound or self.instance.pk is not None or "video" not in self.fields:
            return
        self.initial["video"] = video.pk
        if not self.initial.get("title"):
            self.initial["title"] = video.title
            self.initial["slug"] = slugify(
                video.title, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
            )

    def name_spoken_languages(self):
        """The JSON list of codes as a choice of named languages (the same list is stored)."""
        original = self.fields.get("spoken_languages")
        if original is None:
            return
        self.fields["spoken_languages"] = forms.MultipleChoiceField(
            label=original.label,
            help_text=original.help_text,
            required=False,
            choices=LANGUAGE_CHOICES,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean_spoken_languages(self):
        """The ticked codes, those already stored first in their stored order, then the new ones."""
        ticked = self.cleaned_data.get("spoken_languages") or []
        stored = [code for code in self.instance.spoken_languages or [] if code in ticked]
        return stored + [code for code, _label in LANGUAGE_CHOICES if code in ticked and code not in stored]


class GuidePageForm(LibraryItemForm):
    """Its taxonomy in the guide's language, and its related films as a checkbox list of the films in that language.

    The films were a multiple select box (Ctrl-click) of every film in every
    language; the same rule as for terms applies (a link to another
    language's version shows as this language's version of the film).
    """

    term_fields = ("themes", "audiences", "age_groups", "related_films")
    multiple_field_classes = {"related_films": RelatedFilmsField}
