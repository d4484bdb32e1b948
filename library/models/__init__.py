"""Library models, one module per concept, re-exported here.

Django keys models by app label and class name, so splitting this package
into modules costs no migration.
"""

from library.models.alerts import ConsentAlert
from library.models.catalogue_imports import CatalogueImport
from library.models.consent import ConsentForm, ConsentRecord
from library.models.coordinations import CoordinationContact, CoordinationIndexPage, CoordinationPage
from library.models.documents import GuideDocument
from library.models.films import FilmPage
from library.models.guides import GuideDocumentLink, GuidePage
from library.models.images import LibraryImage, LibraryRendition
from library.models.listing import ListingCard, ListingEntry, ListingKind
from library.models.partners import DownloadEvent, PartnerOrganisation, PartnerToken
from library.models.taxonomy import ActionType, AgeGroup, Audience, Genre, Theme
from library.models.uploads import UploadSession
from library.models.videos import ProcessingStatus, TextTrack, Video, VideoRendition
from library.models.workflows import NationalApprovalTask

__all__ = [
    "ActionType",
    "AgeGroup",
    "Audience",
    "CatalogueImport",
    "ConsentAlert",
    "ConsentForm",
    "ConsentRecord",
    "CoordinationContact",
    "CoordinationIndexPage",
    "CoordinationPage",
    "DownloadEvent",
    "FilmPage",
    "Genre",
    "GuideDocument",
    "GuideDocumentLink",
    "GuidePage",
    "LibraryImage",
    "LibraryRendition",
    "ListingCard",
    "ListingEntry",
    "ListingKind",
    "NationalApprovalTask",
    "PartnerOrganisation",
    "PartnerToken",
    "ProcessingStatus",
    "TextTrack",
    "Theme",
    "UploadSession",
    "Video",
    "VideoRendition",
]
