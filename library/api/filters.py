"""Query parameters of the list endpoints, validated (bad input is a 422, never a 500)."""

from typing import Annotated, Literal

from ninja import Field, Schema

from django.conf import settings
from django.db.models import Q, Subquery

from library.core.tiers import Tier
from library.models import AgeGroup
from library.models.choices import Licence

#: The largest page a client may ask for (a bigger `limit` is a 422).
MAX_PAGE_SIZE = 100

#: Taxonomy slugs (letters, digits, hyphens, underscores): anything else is a 422 before the database sees it.
Slug = Annotated[str, Field(max_length=120, pattern=r"^[-\w]+$")]
#: Language codes of `spoken_languages` (e.g. fr, ar, rcf).
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,8}$")]
#: Page and document ids: positive 32-bit integers (anything else is a 422, never a 500).
ItemId = Annotated[int, Field(ge=1, le=2**31 - 1)]
LicenceLiteral = Literal[tuple(Licence.values)]  # type: ignore[valid-type]
TierLiteral = Literal[tuple(Tier.values)]  # type: ignore[valid-type]


class Page(Schema):
    limit: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"Page size, at most {MAX_PAGE_SIZE}.")
    offset: int = Field(0, ge=0, le=1_000_000)


#: The content languages (settings, read once at start-up), as an enum in the OpenAPI document.
LocaleLiteral = Literal[tuple(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)]  # type: ignore[valid-type]


class Localised(Schema):
    locale: LocaleLiteral | None = Field(
        None, description="Language of the items (falls back to French field by field)."
    )


ORDERINGS = {
    "date": ("first_published_at", "pk"),
    "-date": ("-first_published_at", "-pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "year": ("year", "pk"),
    "-year": ("-year", "-pk"),
}


class CommonFilters(Localised, Page):
    coordination: int | None = Field(None, ge=1, le=2**31 - 1, description="Coordination page id.")
    theme: Slug | None = None
    audience: Slug | None = None
    age_group: Slug | None = None
    tier: TierLiteral | None = Field(None, description="Only items of this tier (partners and editors).")

    def common_q(self):
        condition = Q()
        if self.coordination:
            condition &= Q(coordination_id=self.coordination)
        if self.theme:
            condition &= Q(themes__slug=self.theme)
        if self.audience:
            condition &= Q(audiences__slug=self.audience)
        if self.tier:
            condition &= Q(effective_tier=self.tier)
        return condition


class FilmFilters(CommonFilters):
    genre: Slug | None = None
    action_type: Slug | None = None
    year_min: int | None = Field(None, ge=1900, le=2100)
    year_max: int | None = Field(None, ge=1900, le=2100)
    spoken_language: LanguageCode | None = None
    has_captions: bool | None = None
    has_audio_description: bool | None = None
    has_sign_language: bool | None = None
    licence: LicenceLiteral | None = None
    ordering: Literal[tuple(ORDERINGS)] = "-date"  # type: ignore[valid-type]

    def q(self):
        condition = self.common_q()
        if self.genre:
            condition &= Q(genre__slug=self.genre)
        if self.action_type:
            condition &= Q(action_type__slug=self.action_type)
        if self.year_min:
            condition &= Q(year__gte=self.year_min)
        if self.year_max:
            condition &= Q(year__lte=self.year_max)
        if self.spoken_language:
            condition &= Q(spoken_languages__contains=[self.spoken_language])
        for flag in ("has_captions", "has_audio_description", "has_sign_language"):
            if getattr(self, flag) is not None:
                condition &= Q(**{flag: getattr(self, flag)})
        if self.licence:
            condition &= Q(licence=self.licence)
        if self.age_group:
            # Films whose participants' ages overlap the group's range, in the same query.
            group = AgeGroup.objects.filter(slug=self.age_group).order_by("pk")
            min_age = Subquery(group.values("min_age")[:1])
            max_age = Subquery(group.values("max_age")[:1])
            condition &= Q(participants_age_max__gte=min_age) & Q(participants_age_min__lte=max_age)
        return condition


class GuideFilters(CommonFilters):
    ordering: Literal[tuple(k for k in ORDERINGS if "year" not in k)] = "-date"  # type: ignore[valid-type]

    def q(self):
        condition = self.common_q()
        if self.age_group:
            condition &= Q(age_groups__slug=self.age_group)
        return condition


class CoordinationFilters(Localised, Page):
    pass


TaxonomyKind = Literal["themes", "audiences", "genres", "action-types", "age-groups"]
