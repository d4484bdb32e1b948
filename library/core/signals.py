"""The library's own signals: declarations only.

Declared here, at the bottom of the layers, so that the part which notices an
event and the parts that act on it never import each other: the sender
imports this module, the receivers are connected in `library.receivers`
(and in `cms` and `search` for theirs).
"""

from django.dispatch import Signal

#: Sent once a change to the API lists' read model (`library.listing`) is committed, so
#: that caches of the lists drop what they kept. Arguments: page_ids.
listing_changed = Signal()

#: Sent when a film's stored tier changes without an editor publishing it (a consent
#: lapsed or was withdrawn). Arguments: film, old, new (`library.core.tiers.Tier`).
#: Webhooks, cache purges, search and consent alerts listen to it.
film_tier_changed = Signal()

#: Sent when an image is described by named renditions that do not exist yet: the
#: description never generates them (`library.models.renditions`). Arguments: image_id.
renditions_missing = Signal()

#: Sent when a background generation added named renditions to an image, so that
#: what shows the image is rewritten with them. Arguments: image_id.
renditions_generated = Signal()
