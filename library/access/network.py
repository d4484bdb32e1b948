"""The network's roles in Wagtail's own permission system.

The tree carries the permissions: each coordination's editors' group holds
page permissions on its CoordinationPage (and its translations) only, and a
collection of its own for images, documents and videos. Regional editors may
add, change and lock but never publish: a submission goes through the
"Validation nationale" workflow, whose one task is approved by the national
group. Every function here is idempotent, so the demo, the importer and a
deployment script can all call them again safely.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from library.core.groups import COORDINATION_GROUP_PREFIX, NATIONAL_GROUP, PARTNERS_GROUP
from library.models.workflows import NationalApprovalTask

WORKFLOW_NAME = "Validation nationale"
TASK_NAME = "Approbation par la coordination nationale"

#: Regional editors prepare and submit; only the national group publishes.
REGIONAL_PAGE_PERMISSIONS = ("add", "change", "lock")
NATIONAL_PAGE_PERMISSIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")

#: (app_label, model, codenames) held per collection.
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ("add_image", "change_image", "choose_image")),
    ("wagtaildocs", "document", ("add_document", "change_document", "choose_document")),
    ("library", "video", ("add_video", "change_video", "choose_video")),
]
NATIONAL_COLLECTION_EXTRA = [
    ("wagtailimages", "image", ("delete_image",)),
    ("wagtaildocs", "document", ("delete_document",)),
    ("library", "video", ("delete_video",)),
]

#: Model permissions (snippets, report) of each role.
REGIONAL_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", ("access_admin",)),
    ("library", "consentrecord", ("add_consentrecord", "change_consentrecord", "view_consentrecord")),
    ("library", "partnerorganisation", ("view_partnerorganisation",)),
    ("library", "downloadevent", ("view_downloadevent",)),
    ("library", "theme", ("view_theme",)),
    ("library", "audience", ("view_audience",)),
    ("library", "actiontype", ("view_actiontype",)),
    ("library", "genre", ("view_genre",)),
    ("library", "agegroup", ("view_agegroup",)),
]
_TAXONOMY = ("theme", "audience", "actiontype", "genre", "agegroup")
NATIONAL_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", ("access_admin",)),
    ("library", "consentrecord", ("add_consentrecord", "change_consentrecord", "delete_consentrecord")),
    ("library", "partnerorganisation", ("add_partnerorganisation", "change_partnerorganisation")),
    # "delete" is what revoking is called in Wagtail's token admin: the row is kept, the token revoked.
    (
        "library",
        "partnertoken",
        ("add_partnertoken", "change_partnertoken", "delete_partnertoken", "view_partnertoken"),
    ),
    ("library", "downloadevent", ("view_downloadevent",)),
    *[("library", name, (f"add_{name}", f"change_{name}", f"delete_{name}")) for name in _TAXONOMY],
    # National editors translate: wagtail-localize's "Translate" and "Sync" actions.
    ("wagtail_localize", "translation", ("submit_translation",)),
]


def _permissions(specs):
    """Permission rows for (app_label, model, codenames) specs, in one query."""
    wanted = {(app, codename) for app, _model, codenames in specs for codename in codenames}
    apps = {app for app, _codename in wanted}
    found = Permission.objects.filter(content_type__app_label__in=apps).select_related("content_type")
    rows = [perm for perm in found if (perm.content_type.app_label, perm.codename) in wanted]
    missing = wanted - {(perm.content_type.app_label, perm.codename) for perm in rows}
    if missing:
        raise LookupError(f"Unknown permissions: {sorted(missing)}")
    return rows


def _page_permission(kind):
    return Permission.objects.get(content_type=ContentType.objects.get_for_model(Page), codename=f"{kind}_page")


def grant_page_permissions(group, page, kinds):
    for kind in kinds:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_page_permission(kind))


def grant_collection_permissions(group, collection, specs):
    for permission in _permissions(specs):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def coordination_group_name(coordination):
    return f"{COORDINATION_GROUP_PREFIX}{coordination.title}"[:150]


def coordination_collection(coordination):
    """The coordination's collection, a child of the root collection."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=coordination.title).first()
    if existing is not None:
        return existing
    return root.add_child(name=coordination.title)


@transaction.atomic
def ensure_national_group():
    group, _ = Group.objects.get_or_create(name=NATIONAL_GROUP)
    group.permissions.add(*_permissions(NATIONAL_MODEL_PERMISSIONS))
    grant_page_permissions(group, Page.get_first_root_node(), NATIONAL_PAGE_PERMISSIONS)
    grant_collection_permissions(
        group, Collection.get_first_root_node(), COLLECTION_PERMISSIONS + NATIONAL_COLLECTION_EXTRA
    )
    return group


def ensure_partners_group():
    """Partners never enter the admin: the group only marks them for the access module."""
    group, _ = Group.objects.get_or_create(name=PARTNERS_GROUP)
    return group


@transaction.atomic
def ensure_coordination_group(coordination):
    """The editors' group of `coordination`, with rights on its subtree and collection only."""
    group = coordination.editors_group
    if group is None:
        group, _ = Group.objects.get_or_create(name=coordination_group_name(coordination))
        coordination.editors_group = group
        coordination.save(update_fields=["editors_group"])
    group.permissions.add(*_permissions(REGIONAL_MODEL_PERMISSIONS))
    for page in coordination.get_translations(inclusive=True):
        grant_page_permissions(group, page, REGIONAL_PAGE_PERMISSIONS)
    grant_collection_permissions(group, coordination_collection(coordination), COLLECTION_PERMISSIONS)
    return group


@transaction.atomic
def ensure_national_workflow(index_page):
    """Route every submission under the coordinations index to national approval."""
    national = Group.objects.get(name=NATIONAL_GROUP)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = NationalApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = NationalApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(national)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in index_page.get_translations(inclusive=True):
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def setup_network(index_page, coordinations):
    """Every group, permission and the workflow, for the given coordinations."""
    ensure_partners_group()
    ensure_national_group()
    for coordination in coordinations:
        ensure_coordination_group(coordination)
    return ensure_national_workflow(index_page)
