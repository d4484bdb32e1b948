"""The image form of Wagtail's image admin (`WAGTAILIMAGES_IMAGE_FORM_BASE`).

Wagtail's own form, with the collection refused by an error when an edited
request names one the editor does not hold (see `collection_forms`).
"""

from wagtail.images.forms import BaseImageForm

from library.admin.collection_forms import CollectionScopedFormMixin


class LibraryImageForm(CollectionScopedFormMixin, BaseImageForm):
    pass
