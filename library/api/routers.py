"""Mount the library's routers on the project's one API object."""


def mount(api):
    from library.api import coordinations, downloads, films, guides  # noqa: F401 - downloads adds routes
    from library.api.ratelimit import RateLimitError, rate_limited_response

    api.add_exception_handler(RateLimitError, rate_limited_response)

    api.add_router("/films/", films.router)
    api.add_router("/guides/", guides.router)
    api.add_router("/coordinations/", coordinations.router)
    api.add_router("/taxonomy/", coordinations.taxonomy_router)

    from library.api import partner, preview

    api.add_router("/preview/", preview.router)
    api.add_router("/partner/", partner.router)
    document_problem_json(api)


LIBRARY_PATHS = (
    "/api/v3/films/",
    "/api/v3/guides/",
    "/api/v3/coordinations/",
    "/api/v3/taxonomy/",
    "/api/v3/preview/",
    "/api/v3/partner/",
)


def document_problem_json(api):
    """Say in the OpenAPI document that the library's errors are `application/problem+json` (RFC 9457).

    Ninja documents every response with the renderer's media type; the
    library's error answers use Wagtail's problem responses instead.
    """
    generate = api.get_openapi_schema

    def get_openapi_schema(*args, **kwargs):
        schema = generate(*args, **kwargs)
        for path, operations in schema["paths"].items():
            if not path.startswith(LIBRARY_PATHS):
                continue
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content["application/problem+json"] = content.pop("application/json")
        return schema

    api.get_openapi_schema = get_openapi_schema
