"""The library's API routers: films, guides, coordinations and taxonomy.

Mounted on the one NinjaAPI object (`cms/api.py`) next to Wagtail's own v3
routers, so `/api/v3/openapi.json` documents everything. Every access
decision is delegated to `library.access.rules`.
"""
