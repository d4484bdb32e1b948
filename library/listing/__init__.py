"""The API lists' read model (`library.models.ListingEntry`, `ListingCard`): how it is written and read.

- `build`: an item's entry and cards, from its page, translations and relations;
- `triggers`: what rewrites them (a publish, a consent edited, a term renamed...);
- `read`: a page of a list, in two queries whatever its size.
"""
