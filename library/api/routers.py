"""Mount the library's routers on the project's one API object."""


def mount(api):
    from library.api import coordinations, downloads, films, guides  # noqa: F401 - downloads adds routes
    from library.api.ratelimit import RateLimitError, rate_limited_response

    api.add_exception_handler(RateLimitError, rate_limited_response)

    api.add_router("/films/", films.router)
    api.add_router("/guides/", guides.router)
    api.add_router("/coordinations/", coordinations.router)
    api.add_router("/taxonomy/", coordinations.taxonomy_router)

    from library import preview

    api.add_router("/preview/", preview.router)
