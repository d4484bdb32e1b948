"""Every admin URL that takes an object, asked by an editor of coordination A for coordination B's items.

The list of URLs is not written here: it comes from Django's URL resolver
(`get_resolver().url_patterns`, walked recursively), so a view added to the
admin by Wagtail, wagtail-localize or the project is swept without a test of
its own. Each URL argument is filled with B's items of the right model:

- a page argument (`page_id`, `parent_page_id`, `page_to_move_id`,
  `destination_id`, `page_pk`, or `pk` of a page view) gets each of B's pages:
  its coordination page, a draft film, an internal film, an internal guide and
  a live network guide; secondary arguments (revision, workflow and task
  state, translation, editing session) come from the same page;
- `pk` / `object_id` get B's object of the view's model (the view's `model`,
  else the model of the viewset owning the URL namespace, else the model the
  URL names with `app_label` / `model_name`); other id arguments
  (`image_id`, `document_id`, `alert_id`, `uploaded_file_id`...) are mapped
  to their model in `ARGUMENT_MODELS`;
- a URL that only names a model (`<app_label>/<model_name>/`: page type
  usage, bulk actions, localize's snippet API listing) gets the model of each
  of B's items, and the item's id as `?id=` (Wagtail's bulk action
  convention).

Rules for what is not swept, each checked rather than assumed:
- URLs that take no object at all (the password reset link) are skipped;
- objects no coordination owns (`NETWORK_WIDE`: sites, locales, workflows
  and tasks, redirects, webhooks, settings, the shared taxonomy) are the
  same for every editor: their arguments get an existing one (the default
  site, the national workflow), and a URL needing one where none exists is
  skipped;
- a URL whose arguments can be filled neither way fails the
  classification test: a new kind of object must be given to the sweep
  (a model in `ARGUMENT_MODELS`, an item of B) or declared network-wide.

What may be seen: `library.access.rules` lets an editor see another
coordination's live public and network items, by their live title. So B's
coordination page and its live network guide may be reachable; their
*draft* titles, B's draft and internal items, and everything of B kept per
coordination (consent records, partner organisations and tokens, alerts,
uploads) must not. Every request is made as `editor_a`: GET, then POST with
an empty body (the form of a "confirm" view; views that say they have no
POST are asked GET only). No response (whatever its status), and no
redirect's Location, may contain one of B's secrets (a title, a slug, a
file name, a token prefix). Each request runs in a savepoint rolled back
afterwards, and PostgreSQL's write counters of the transaction
(`pg_stat_xact_user_tables`) must not move: the request wrote no row. A control run as a
national editor proves the sweep is not blind: each of B's secrets is shown
by some swept URL to someone allowed to see it.

No request answers with a server error, whoever makes it: editor_a, and
the editors who get past the permission checks and reach the views' work
(a national editor, B's own editor), where an empty POST is a forged form
(a missing field, a delete of an item in use). Those get a 4xx with a
message (`library.admin.bad_request`) or their form back with its errors.
"""

import itertools
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.signals import got_request_exception
from django.db import connection, models, transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from wagtail.admin.models import EditingSession
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Revision, Site, Task, TaskState, UploadedFile, Workflow
from wagtail.models import WorkflowState as WagtailWorkflowState
from wagtail.users.models import UserProfile
from wagtail_localize.models import (
    OverridableSegment,
    StringSegment,
    Translation,
    TranslationSource,
)

from cms.webhooks.models import WebhookDelivery, WebhookEndpoint
from library.access.network import coordination_collection, ensure_coordination_group
from library.core.tiers import ConsentScope, Tier
from library.models import (
    ActionType,
    AgeGroup,
    Audience,
    CatalogueImport,
    ConsentAlert,
    Genre,
    PartnerToken,
    TextTrack,
    Theme,
    Video,
)
from library.models.uploads import UploadSession
from tests.factories import (
    make_consent,
    make_film,
    make_guide,
    make_image,
    make_partner,
    make_pdf,
    make_token,
    make_user,
)
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

ADMIN_ROUTE = "admin/"

#: Arguments that qualify a request rather than name an object.
MODIFIER_VALUES = {
    "filter_spec": ["original"],
    "mode": ["default"],
    "action": ["delete", "publish", "unpublish", "move", "add_to_collection", "add_tags"],
    "action_name": ["approve", "reject", "publish", "copy", "move", "delete"],
    "revision_id_a": ["earliest"],
    "revision_id_b": ["latest"],
}
#: Arguments that name a model, not an object.
MODEL_ARGUMENTS = (
    ("app_label", "model_name"),
    ("content_type_app_name", "content_type_model_name"),
    ("app_name", "model_name"),
)
#: URLs that take no object at all: nothing of B to put in them.
NO_OBJECT_ARGUMENTS = {"uidb64", "token"}

#: URLs whose argument names no stored object: the editors' guide's pages are files of the
#: project's documentation, the same for every editor (`cms.editors_guide`).
NO_OBJECT_URL_NAMES = {"editors_guide_page"}

#: The model an id argument names, when the view does not say (function views, page views).
ARGUMENT_MODELS = {
    "page_id": Page,
    "parent_page_id": Page,
    "page_to_move_id": Page,
    "destination_id": Page,
    "page_pk": Page,
    "image_id": get_image_model(),
    "document_id": get_document_model(),
    "doc_id": get_document_model(),
    "collection_id": Collection,
    "alert_id": ConsentAlert,
    "uploaded_file_id": UploadedFile,
    "track_id": TextTrack,
    "revision_id": Revision,
    "workflow_state_id": WagtailWorkflowState,
    "task_state_id": TaskState,
    "task_id": Task,
    "workflow_pk": Workflow,
    "redirect_id": Redirect,
    "translation_id": Translation,
    "translation_source_id": TranslationSource,
    "string_segment_id": StringSegment,
    "overridable_segment_id": OverridableSegment,
    ("session_id", "uuid"): UploadSession,
    ("session_id", "int"): EditingSession,
}

#: The model of `pk` for views that do not say (function views, Wagtail's page views), by URL name
#: (a name ending in ":" covers its whole namespace).
UNSAID_MODELS = {
    "wagtailadmin_pages:": Page,
    "library_catalogue_import:": CatalogueImport,
    "wagtailadmin_workflows:enable": Workflow,
    "wagtailadmin_workflows:edit_task": Task,
    "wagtailadmin_workflows:enable_task": Task,
    "wagtaildocs_chooser:": get_document_model(),
}

#: Objects no coordination owns: every editor sees the same ones. Their arguments are
#: filled with the network's own objects (`shared_values`); with none, their URLs are skipped.
NETWORK_WIDE = (
    # Catalogue imports belong to the national coordination, not to a coordination: regional
    # editors are refused every import screen (tests/library/test_admin_catalogue_import.py).
    CatalogueImport,
    Site,
    Locale,
    WebhookEndpoint,
    WebhookDelivery,
    Workflow,
    Task,
    Redirect,
    Theme,
    Audience,
    ActionType,
    Genre,
    AgeGroup,
    *settings_registry,
)


@dataclass
class Subject:
    """One of B's objects and the URL arguments it can fill."""

    obj: object
    values: dict = field(default_factory=dict)  # argument name -> list of values

    @property
    def model(self):
        return type(self.obj)


@dataclass
class Request:
    url: str
    family: str
    pattern: str
    accepts_post: bool


@dataclass
class SweepResult:
    patterns: int = 0
    requests: int = 0
    leaks: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    seen: set = field(default_factory=set)


# --- B's items -------------------------------------------------------------------------------


def _revise_title(page, title, user):
    """A draft revision with a new title on a live page: the live title stays, the draft one is B's work."""
    page = page.specific
    page.title = title
    page.save_revision(user=user)
    page.refresh_from_db()
    return page


def _video(title, collection):
    video = Video(title=title, original_filename=f"{title.lower().replace(' ', '-')}-master.mp4", status="ready")
    video.collection = collection
    video.file = ContentFile(b"\x00" * 64, name="master.mp4")
    video.save()
    TextTrack.objects.create(
        video=video,
        language="fr",
        kind="subtitles",
        label="Sous-titres Zanzibar",
        file=ContentFile(b"WEBVTT\n", "t.vtt"),
    )
    return video


def _translation(page, english):
    """wagtail-localize's translation of `page` into English, with its target page, as the "Translate" action makes."""
    if not page.has_translation(english):
        page.copy_for_translation(english, copy_parents=True, exclude_fields=["editors_group"])
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=english)
    return translation


def build_other_coordination(network):
    """B's items that editor_a must not see, and the subjects that put them in URLs.

    Returns (subjects, secrets): `secrets` maps each string that must not
    reach editor_a to what it is.
    """
    coord_a, coord_b = network.coord_a, network.coord_b
    editor_b = network.users["editor_b"]
    english = Locale.objects.get_or_create(language_code="en")[0]
    # As in the demo: coordinations are translated, so A's editors' explorable root is the tree's root.
    coord_a.copy_for_translation(english, copy_parents=True, exclude_fields=["editors_group"])
    ensure_coordination_group(coord_a)

    collection = coordination_collection(coord_b)
    consent = make_consent(coord_b, ConsentScope.PUBLIC, label="Consentement Zanzibar")
    poster = make_image("Affiche Zanzibar interne", collection=collection)
    video = _video("Video Zanzibar", collection)
    internal_film = make_film(coord_b, "Film interne Zanzibar", Tier.INTERNAL, consent, poster=poster)
    internal_film.video = video
    internal_film.save_revision(user=editor_b).publish()
    draft_film = make_film(coord_b, "Film brouillon Zanzibar", Tier.PUBLIC, consent, live=False)
    draft_film.get_workflow().start(draft_film, editor_b)
    document = make_pdf("Document Zanzibar interne", collection=collection)
    cover = make_image("Couverture Zanzibar interne", collection=collection)
    internal_guide = make_guide(coord_b, "Guide interne Zanzibar", Tier.INTERNAL, cover=cover, document=document)
    network_guide = make_guide(coord_b, "Guide reseau Beta", Tier.NETWORK)
    network_guide = _revise_title(network_guide, "Guide brouillon Zanzibar", editor_b)
    coord_page = _revise_title(coord_b, "Coordination brouillon Zanzibar", editor_b)

    partner_user = make_user("partenaire-b", Group.objects.get(name="Partenaires"))
    organisation = make_partner(coord_b, partner_user, name="Structure Zanzibar")
    make_token(partner_user, organisation)
    partner_token = PartnerToken.objects.get(organisation=organisation)
    alert = ConsentAlert.objects.create(
        film=internal_film, coordination=coord_b, reason="withdrawn", old_tier=Tier.PUBLIC, new_tier=Tier.INTERNAL
    )
    upload = UploadSession.objects.create(
        mode="s3",
        state="completed",  # finished: its status needs no multipart upload on the storage
        user=editor_b,
        collection=collection,
        title="Envoi Zanzibar",
        original_filename="envoi-zanzibar.mp4",
        size=64,
        storage_prefix=uuid.uuid4().hex,
        key="uploads/envoi-zanzibar.mp4",
    )
    staged = [
        UploadedFile.objects.create(
            file=ContentFile(b"staged", name=f"televersement-zanzibar.{ext}"),
            for_content_type=ContentType.objects.get_for_model(model),
            uploaded_by_user=editor_b,
        )
        for model, ext in ((get_image_model(), "png"), (get_document_model(), "pdf"))
    ]

    secrets = {
        "Film brouillon Zanzibar": "a draft film's title",
        "film-brouillon-zanzibar": "a draft film's slug",
        "Film interne Zanzibar": "an internal film's title",
        "film-interne-zanzibar": "an internal film's slug",
        "Guide interne Zanzibar": "an internal guide's title",
        "guide-interne-zanzibar": "an internal guide's slug",
        "Guide brouillon Zanzibar": "the draft title of a live network guide",
        "Coordination brouillon Zanzibar": "the draft title of a live coordination page",
        "Affiche Zanzibar interne": "an internal film's poster",
        "Couverture Zanzibar interne": "an internal guide's cover",
        "Document Zanzibar interne": "an internal guide's document",
        Path(poster.file.name).stem: "an internal film's poster file",
        "Video Zanzibar": "an internal film's video",
        "video-zanzibar-master": "an internal film's video file",
        "Sous-titres Zanzibar": "an internal film's text track",
        "Consentement Zanzibar": "a consent record",
        "Structure Zanzibar": "a partner organisation",
        partner_token.api_token.prefix: "a partner token's prefix",
        "envoi-zanzibar": "an upload in progress",
    }

    subjects = []
    for page in (coord_page, draft_film, internal_film, internal_guide, network_guide):
        subjects.append(_page_subject(page.specific, english, editor_b, own_page=coord_a))
    subjects += [
        Subject(poster, {"image_id": [poster.pk]}),
        Subject(cover, {"image_id": [cover.pk]}),
        Subject(document, {"document_id": [document.pk], "doc_id": [document.pk]}),
        Subject(video, {"track_id": list(video.text_tracks.values_list("pk", flat=True))}),
        Subject(consent),
        Subject(organisation),
        Subject(partner_token),
        Subject(partner_token.api_token),
        Subject(alert, {"alert_id": [alert.pk]}),
        Subject(upload, {("session_id", "uuid"): [upload.pk]}),
        Subject(collection, {"collection_id": [collection.pk]}),
        Subject(editor_b),
        Subject(coord_b.editors_group),
        *[Subject(upload, {"uploaded_file_id": [upload.pk]}) for upload in staged],
    ]
    return subjects, secrets


def _page_subject(page, english, owner, own_page):
    values = {name: [page.pk] for name, model in ARGUMENT_MODELS.items() if model is Page and isinstance(name, str)}
    # Moving one's own page under B's, and B's page under one's own.
    values["page_to_move_id"] = [page.pk, own_page.pk]
    values["destination_id"] = [page.pk]
    values["revision_id"] = [page.latest_revision_id]
    state = page.current_workflow_state
    if state is not None:
        values["workflow_state_id"] = [state.pk]
        values["task_state_id"] = [state.current_task_state.pk]
        values["task_id"] = [state.current_task_state.task_id]
    translation = _translation(page, english)
    values["translation_id"] = [translation.pk]
    values["translation_source_id"] = [translation.source_id]
    values["string_segment_id"] = list(translation.source.stringsegment_set.values_list("pk", flat=True)[:1])
    values["overridable_segment_id"] = list(translation.source.overridablesegment_set.values_list("pk", flat=True)[:1])
    session = EditingSession.objects.create(
        user=owner,
        content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        last_seen_at=timezone.now(),
        is_editing=True,
    )
    values[("session_id", "int")] = [session.pk]
    return Subject(page, {key: value for key, value in values.items() if value})


# --- The URL patterns --------------------------------------------------------------------------


@dataclass
class Pattern:
    route: str
    name: str  # namespaced, for reverse()
    arguments: dict  # name -> converter name ("int", "str", "uuid", "regex"...)
    model: type | None  # the model of `pk` / `object_id`, when the view says
    accepts_post: bool

    @property
    def key(self):
        """Two patterns may share a route (the project mounts some first, to shadow Wagtail's): name and route."""
        return f"{self.name} {self.route}"

    @property
    def family(self):
        """The route up to its first argument: the family of URLs it belongs to."""
        head = self.route.split("<", 1)[0].split("(?P", 1)[0].replace("^", "")
        return "/" + head


def _converter_name(converter):
    return type(converter).__name__.replace("Converter", "").lower()


def _pattern_arguments(resolver_chain, pattern):
    arguments = {}
    for part in [*resolver_chain, pattern]:
        regex = part.pattern.regex
        converters = getattr(part.pattern, "converters", {})
        for name in regex.groupindex:
            arguments[name] = _converter_name(converters[name]) if name in converters else "regex"
    return arguments


def _namespace_models():
    """The model of each registered viewset, by URL namespace (Wagtail's page viewset has no name: skipped)."""
    found = {}
    for viewset in admin_viewsets.viewsets:
        if getattr(viewset, "name", None):
            found[viewset.url_namespace] = getattr(viewset, "model", None)
    return found


def _view_model(callback, namespace, namespace_models):
    for holder in (getattr(callback, "view_initkwargs", None), getattr(callback, "initkwargs", None)):
        model = (holder or {}).get("model")
        if isinstance(model, type):
            return model
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    model = getattr(view_class, "model", None)
    if isinstance(model, type) and issubclass(model, models.Model):
        return model
    model = namespace_models.get(namespace)
    return model if isinstance(model, type) else None


def _accepts_post(callback):
    """False only when the view says it has no POST: a class-based view without `post`, a DRF route without it."""
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return "post" in actions
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    return True


def _unsaid_model(name):
    for prefix, model in UNSAID_MODELS.items():
        if name == prefix or (prefix.endswith(":") and name.startswith(prefix)):
            return model
    return None


def admin_patterns():
    """Every admin URL pattern that takes an argument, from the resolver itself."""
    namespace_models = _namespace_models()
    found = []

    def walk(entries, chain, namespaces):
        for entry in entries:
            if isinstance(entry, URLResolver):
                spaces = namespaces + ([entry.namespace] if entry.namespace else [])
                walk(entry.url_patterns, [*chain, entry], spaces)
            elif isinstance(entry, URLPattern):
                route = "".join(str(part.pattern) for part in [*chain, entry])
                arguments = _pattern_arguments(chain, entry)
                if not route.startswith(ADMIN_ROUTE) or not arguments:
                    continue
                assert entry.name, f"{route} has no name: name it so that it can be reversed"
                namespace = ":".join(namespaces)
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                model = _view_model(entry.callback, namespaces[-1] if namespaces else "", namespace_models)
                model = model or _unsaid_model(name)
                found.append(Pattern(route, name, arguments, model, _accepts_post(entry.callback)))

    walk(get_resolver().url_patterns, [], [])
    return found


def _concrete_models(model):
    """The model and its concrete parents: a film is also a page (Wagtail's page bulk actions name `Page`)."""
    return [
        klass
        for klass in model.__mro__
        if isinstance(klass, type)
        and issubclass(klass, models.Model)
        and hasattr(klass, "_meta")
        and not klass._meta.abstract
        and not klass._meta.proxy
    ]


def _argument_model(pattern, argument):
    if argument in ("pk", "object_id"):
        return pattern.model
    return ARGUMENT_MODELS.get((argument, pattern.arguments[argument])) or ARGUMENT_MODELS.get(argument)


def _is_instance(obj, model):
    return model is not None and isinstance(obj, model)


def _is_network_wide(model):
    return model is not None and issubclass(model, NETWORK_WIDE)


def _model_argument_names(pattern):
    for pair in MODEL_ARGUMENTS:
        if set(pair) <= set(pattern.arguments):
            return pair
    return None


def _object_arguments(pattern):
    pair = _model_argument_names(pattern) or ()
    return [name for name in pattern.arguments if name not in pair and name not in MODIFIER_VALUES]


def shared_values():
    """One existing object of each network-wide model (the default site, the national workflow...), by model."""
    values = {}
    for model in NETWORK_WIDE:
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            values[model] = [first]
    return values


def _modifier_values(argument, model):
    if argument == "action" and model is not None:
        actions = bulk_action_registry.get_bulk_actions_for_model(model._meta.app_label, model._meta.model_name)
        return [action.action_type for action in actions] or MODIFIER_VALUES[argument][:1]
    return MODIFIER_VALUES[argument]


def _fill(pattern, subject, shared, model=None):
    """The argument dicts with which `subject` (as an instance of `model`) fills `pattern`, or []."""
    pair = _model_argument_names(pattern)
    choices = {}
    for argument, converter in pattern.arguments.items():
        if pair and argument in pair:
            continue
        if argument in MODIFIER_VALUES:
            choices[argument] = _modifier_values(argument, model)
            continue
        values = subject.values.get((argument, converter)) or subject.values.get(argument)
        wanted = _argument_model(pattern, argument)
        if values is None and argument in ("pk", "object_id") and (pair or _is_instance(subject.obj, wanted)):
            values = [subject.obj.pk]
        if not values and _is_network_wide(wanted):
            values = next((pks for model, pks in shared.items() if issubclass(wanted, model)), None)
        if not values:
            return []
        choices[argument] = values
    if pair:
        choices[pair[0]] = [model._meta.app_label]
        choices[pair[1]] = [model._meta.model_name]
    names = list(choices)
    return [dict(zip(names, combination, strict=True)) for combination in itertools.product(*choices.values())]


def _urls(pattern, subjects, shared):
    """The URLs that put B's objects in `pattern`.

    A URL that names a model but no object (page type usage, bulk actions,
    localize's snippet listing) is asked once per model of B's objects, with
    their ids as `?id=` (Wagtail's bulk action convention).
    """
    urls = set()
    model_only = _model_argument_names(pattern) and not _object_arguments(pattern)
    if model_only:
        by_model = {}
        for subject in subjects:
            for model in _concrete_models(subject.model):
                by_model.setdefault(model, []).append(subject)
        candidates = [
            (group[0], model, "?" + "&".join(f"id={s.obj.pk}" for s in group)) for model, group in by_model.items()
        ]
    else:
        pair = _model_argument_names(pattern)
        candidates = [
            (subject, model, "")
            for subject in subjects
            for model in (_concrete_models(subject.model) if pair else [None])
        ]
    for subject, model, query in candidates:
        for kwargs in _fill(pattern, subject, shared, model):
            try:
                urls.add(reverse(pattern.name, kwargs=kwargs) + query)
            except NoReverseMatch:  # a value its converter refuses (a uuid for an int): not this subject's URL
                continue
    return sorted(urls)


def plan(subjects):
    """(patterns, requests, skipped, unclassified) for every admin pattern taking an argument."""
    requests, skipped, unclassified = [], [], []
    patterns = admin_patterns()
    shared = shared_values()
    for pattern in patterns:
        if set(pattern.arguments) & NO_OBJECT_ARGUMENTS or pattern.name in NO_OBJECT_URL_NAMES:
            skipped.append((pattern.route, "takes no object"))
            continue
        urls = _urls(pattern, subjects, shared)
        if urls:
            requests += [Request(url, pattern.family, pattern.key, pattern.accepts_post) for url in urls]
            continue
        owners = [_argument_model(pattern, argument) for argument in _object_arguments(pattern)]
        if owners and all(_is_network_wide(model) for model in owners):
            skipped.append((pattern.route, "network-wide object, none exists"))
        else:
            unclassified.append((pattern.route, pattern.arguments, [getattr(m, "__name__", None) for m in owners]))
    return patterns, requests, skipped, unclassified


# --- Running it ------------------------------------------------------------------------------


#: Tables every request may write: the session (Django saves it) and the login attempt log.
UNWATCHED_TABLES = ("django_session", "axes_")


def rows_written():
    """Rows inserted, updated or deleted so far in this transaction, per table (PostgreSQL's own counters).

    `pg_stat_xact_user_tables` counts every write of the current transaction,
    rolled back savepoints included, so a request that wrote anything moves a
    counter even though its savepoint is rolled back afterwards.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return {name: count for name, count in cursor.fetchall() if not name.startswith(UNWATCHED_TABLES)}


def _body(response):
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace") + "\n" + response.get("Location", "")


def sweep(client, user, requests, secrets, check_changes=True, until_all_seen=False, methods=("get", "post")):
    """Every request as GET then POST (empty body; views without POST skip it), each in a rolled back savepoint."""
    client.force_login(user)
    client.raise_request_exception = False
    result = SweepResult(requests=0)
    raised = []

    def record_exception(sender, **kwargs):
        kind, error, _traceback = sys.exc_info()
        raised.append(f"{kind.__name__}: {str(error)[:160]}")

    got_request_exception.connect(record_exception)
    try:
        _sweep(client, requests, secrets, check_changes, until_all_seen, methods, result, raised)
    finally:
        got_request_exception.disconnect(record_exception)
    return result


def _sweep(client, requests, secrets, check_changes, until_all_seen, methods, result, raised):
    for request in requests:
        if until_all_seen and result.seen >= set(secrets):
            break
        for method in methods if request.accepts_post else ("get",):
            before = rows_written() if check_changes else None
            raised.clear()
            with transaction.atomic():
                response = getattr(client, method)(request.url)
                result.requests += 1
                body = _body(response)
                found = [secret for secret in secrets if secret in body or secret.lower() in body.lower()]
                result.seen.update(found)
                for secret in found:
                    result.leaks.append(
                        f"{method.upper()} {request.url} → {response.status_code}: {secrets[secret]} ({secret!r})"
                    )
                if response.status_code >= 500:
                    cause = f" ({raised[-1]})" if raised else ""
                    result.errors.append(f"{method.upper()} {request.url} → {response.status_code}{cause}")
                transaction.set_rollback(True)
            if check_changes:
                after = rows_written()
                changed = sorted(name for name, count in after.items() if count != before.get(name, 0))
                if changed:
                    result.changes.append(f"{method.upper()} {request.url}: {', '.join(changed)}")


@pytest.fixture(scope="module")
def world(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        subjects, secrets = build_other_coordination(network)
        for user in network.users.values():
            UserProfile.get_for_user(user)  # an editor who used the admin has one; the 404 page would create it
        swept = plan(subjects)
    return {"network": network, "subjects": subjects, "secrets": secrets, "plan": swept}


@pytest.fixture(scope="module")
def swept(world):
    return world["plan"]


def _report(title, patterns, requests, skipped, result, elapsed):
    families = sorted({request.family for request in requests})
    print(f"\n{title}: {len(patterns)} admin URL patterns taking an argument, {len(skipped)} skipped by rule,")
    print(f"  {len({r.pattern for r in requests})} patterns swept with {result.requests} requests in {elapsed:.1f} s")
    print(f"  URL families ({len(families)}): {', '.join(families)}")
    for route, reason in skipped:
        print(f"  skipped: {route} ({reason})")


def test_every_admin_url_taking_an_argument_is_swept_or_skipped_by_rule(swept):
    patterns, requests, skipped, unclassified = swept
    assert not unclassified, "Give these arguments to the sweep, or declare their model network-wide:\n" + "\n".join(
        map(str, unclassified)
    )
    assert len(patterns) == len({r.pattern for r in requests}) + len(skipped)


def test_an_editor_of_another_coordination_sees_and_changes_nothing(client, world, swept):
    patterns, requests, skipped, _ = swept
    started = time.monotonic()
    result = sweep(client, world["network"].users["editor_a"], requests, world["secrets"])
    _report("editor_a sweep", patterns, requests, skipped, result, time.monotonic() - started)
    problems = (
        result.leaks
        + [f"changed rows: {change}" for change in result.changes]
        + [f"server error: {error}" for error in result.errors]
    )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_sweep_reaches_every_secret_for_someone_allowed_to_see_it(client, world, swept):
    """B's own editor or a national editor is shown each of B's secrets by some swept URL.

    So the ids the sweep puts in URLs are the right ones, and a secret that
    editor_a is not shown was hidden from them, not missed by the sweep.
    """
    _patterns, requests, _skipped, _ = swept
    secrets, seen = world["secrets"], set()
    for role in ("editor_b", "national"):
        remaining = {secret: what for secret, what in secrets.items() if secret not in seen}
        user = world["network"].users[role]
        seen |= sweep(
            client, user, requests, remaining, check_changes=False, until_all_seen=True, methods=("get",)
        ).seen
    missing = {secret: what for secret, what in secrets.items() if secret not in seen}
    assert not missing, f"No swept URL shows these to B's editor nor to a national editor: {missing}"


def test_the_change_check_sees_a_write(client, world, swept):
    """A national editor locking B's pages writes rows: the sweep's change check reports it."""
    _patterns, requests, _skipped, _ = swept
    locks = [request for request in requests if request.pattern.startswith("wagtailadmin_pages:lock ")]
    result = sweep(client, world["network"].users["national"], locks, world["secrets"])
    assert locks
    assert len(result.changes) == len(locks)


@pytest.mark.parametrize("role", ["national", "editor_b"])
def test_no_admin_url_answers_a_server_error_to_editors_allowed_past_its_checks(client, world, swept, role):
    """A national editor and B's own editor get past the permission checks, so their requests reach the views' work.

    There an empty POST is a forged form (a field missing, a file missing, a
    delete of an item in use, a page type's preview): each gets a 4xx or its
    form back with the errors, never a 500. Nothing is asserted about what
    they see (they may see B's items); their writes are rolled back.
    """
    patterns, requests, skipped, _ = swept
    started = time.monotonic()
    result = sweep(client, world["network"].users[role], requests, {}, check_changes=False)
    _report(f"{role} server errors sweep", patterns, requests, skipped, result, time.monotonic() - started)
    assert not result.errors, f"{len(result.errors)} server errors:\n" + "\n".join(result.errors)
