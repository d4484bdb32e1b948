"""API field declarations shared by page models (v2 and v3 alike).

Wagtail's v3 API types an `APIField(serializer=...)` from the serializer's
`to_representation` return annotation, so one serializer field serves both
API versions with a typed OpenAPI schema.
"""

from rest_framework.fields import Field
from typing_extensions import TypedDict

from wagtail.api import APIField

from library.models.renditions import serialize_image


class RenditionDict(TypedDict):
    url: str
    width: int
    height: int


class NamedImageDict(TypedDict, total=False):
    id: int
    alt: str
    renditions: dict[str, RenditionDict]
    srcset: str


class NamedImageSerializerField(Field):
    """Serialises an image as a fixed set of named renditions."""

    def __init__(self, names=("card",), **kwargs):
        self.names = tuple(names)
        super().__init__(**kwargs)

    def to_representation(self, image) -> NamedImageDict | None:
        return serialize_image(image, names=self.names)


def NamedImageField(name, names=("card",), source=None):  # noqa: N802 - reads like the APIField it builds
    """`source`: the attribute read, when the field shows another than its name (a film's `shown_poster`)."""
    options = {"source": source} if source else {}
    return APIField(name, serializer=NamedImageSerializerField(names=names, read_only=True, **options))
