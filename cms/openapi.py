"""The API object's class: Ninja's, with an OpenAPI document other tools can take as a contract.

Two things Ninja and Wagtail's v3 routers leave for the project to settle:

- **Anonymous access.** Wagtail's public reads authenticate with
  `[BearerTokenAuth(), AllowAnonymous()]`, and Ninja documents every auth
  callback as a security scheme: `AllowAnonymous` becomes `{"type": "http"}`
  with no `scheme`, which no OpenAPI validator accepts (an HTTP scheme must
  name one). "No credentials needed" is said in OpenAPI by an empty security
  requirement, `{}`; `ProjectAPI.get_openapi_schema` writes that in place of
  every requirement on a scheme of `ANONYMOUS_SCHEMES`, and drops the schemes.
- **Operation ids.** Clients generated from the document (openapi-typescript,
  SDK generators) name their functions after them, so each reads as a verb
  and a noun in camelCase: `listFilms`, `getPage`. The project's routes give
  theirs with `operation_id=`; `name_operations` derives the others:
  Wagtail's snake-case ids by `wagtail_operation_id` (`pages_list` →
  `listPages`, `pages_revisions_detail` → `getPageRevision`,
  `pages_actions_copy_for_translation` → `copyPageForTranslation`), and an
  operation with none from its function's name without its app's prefix
  (`search.api.search_suggest` → `suggest`). It refuses to start on an id
  that does not read as a name or that two operations share.
"""

import re

from ninja import NinjaAPI

from django.core.exceptions import ImproperlyConfigured

#: Security schemes that mean "no credentials": documented as the empty requirement `{}`.
ANONYMOUS_SCHEMES = frozenset({"AllowAnonymous"})

#: What an operation id must look like: a lower-case verb, then capitalised words.
OPERATION_ID = re.compile(r"^[a-z]+[A-Za-z]*$")

#: Wagtail's last word of an id → the verb of the name (`detail` reads as `get`).
WAGTAIL_VERBS = {
    "list": "list",
    "detail": "get",
    "find": "find",
    "create": "create",
    "update": "update",
    "delete": "delete",
}

#: Where Wagtail's rule would name two operations alike: `DELETE /pages/{id}/` and its action twin.
WAGTAIL_EXCEPTIONS = {"pages_actions_delete": "deletePageByAction"}


def _singular(word):
    return word[:-1] if word.endswith("s") else word


def _camel(words):
    return "".join(word[:1].upper() + word[1:] for word in words if word)


def wagtail_operation_id(snake):
    """A Wagtail v3 operation id (`pages_list`, `pages_actions_publish`) as a verb and a noun in camelCase."""
    if snake in WAGTAIL_EXCEPTIONS:
        return WAGTAIL_EXCEPTIONS[snake]
    words = snake.split("_")
    if len(words) == 1:
        return words[0]  # `whoami`
    resource = _singular(words[0])
    if words[1] == "actions" and len(words) > 2:
        # pages_actions_<verb>[_<rest>]: publishPage, convertPageAlias, copyPageForTranslation.
        return words[2] + _camel([resource, *words[3:]])
    nouns, verb = [resource, *(_singular(word) for word in words[1:-1])], words[-1]
    if verb not in WAGTAIL_VERBS:
        return words[0] + _camel(words[1:])
    if verb == "list":
        nouns[-1] += "s"  # listPages, listPageRevisions, listSchemas
    return WAGTAIL_VERBS[verb] + _camel(nouns)


def function_operation_id(view_func):
    """An id for an operation that has none: its function's name, without its app's prefix, in camelCase."""
    app = view_func.__module__.split(".", 1)[0]
    words = view_func.__name__.split("_")
    if len(words) > 1 and words[0] == app:
        words = words[1:]
    return words[0] + _camel(words[1:])


def readable_operation_id(operation):
    """The operation's id as the document states it: the route's own if it reads as a name, else derived."""
    given = operation.operation_id
    if given and OPERATION_ID.match(given):
        return given
    if given:
        return wagtail_operation_id(given)
    return function_operation_id(operation.view_func)


def name_operations(api, operations):
    """Give each of `operations` (every bound operation of `api`) its readable id; refuse unreadable or shared ids."""
    seen = {}
    for operation in operations:
        operation.operation_id = readable_operation_id(operation)
        if not OPERATION_ID.match(operation.operation_id):
            raise ImproperlyConfigured(f"Operation id {operation.operation_id!r} does not read as a name")
        if operation.operation_id in seen:
            raise ImproperlyConfigured(
                f"Operation id {operation.operation_id!r} is given to two operations: "
                f"{seen[operation.operation_id].view_func.__qualname__} and {operation.view_func.__qualname__}"
            )
        seen[operation.operation_id] = operation


def anonymous_as_empty_requirement(schema):
    """Replace every requirement on an `ANONYMOUS_SCHEMES` scheme by `{}`, once per operation, and drop the schemes."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "security" not in operation:
                continue
            requirements = []
            for requirement in operation["security"]:
                if set(requirement) & ANONYMOUS_SCHEMES:
                    requirement = {
                        name: scopes for name, scopes in requirement.items() if name not in ANONYMOUS_SCHEMES
                    }
                if requirement not in requirements:
                    requirements.append(requirement)
            operation["security"] = requirements
    schemes = schema.get("components", {}).get("securitySchemes", {})
    for name in ANONYMOUS_SCHEMES:
        schemes.pop(name, None)
    return schema


class ProjectAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document passes a strict validator (see the module's docstring)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return anonymous_as_empty_requirement(schema)

    def get_openapi_operation_id(self, operation):
        return readable_operation_id(operation)
