"""The library's Wagtail admin: viewsets, listings, dashboard panels and reports.

`library/wagtail_hooks.py` is only an index that registers what these
modules define, so each admin surface stays in a small module of its own.
"""
