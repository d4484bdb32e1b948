"""The embeddable player (`/embed/films/<id>/`) and its oEmbed endpoint (`/api/oembed/`).

Embeds are for third-party pages, so they ignore who is logged in: only the
public tier is ever shown, anything else gets the same neutral page.
"""
