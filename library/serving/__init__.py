"""Wagtail's own public surfaces, made to ask the access rule: page and document serving, the v2
and v3 pages APIs, the image serve view, the sitemap, and `/media/` on local disk."""
