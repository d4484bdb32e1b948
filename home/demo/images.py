"""Images drawn at run time, so no binary file is committed."""

import io
import random

from PIL import Image, ImageDraw

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.models import Collection

PALETTES = [
    ((18, 52, 86), (240, 180, 60)),
    ((120, 30, 60), (250, 220, 200)),
    ((20, 90, 70), (230, 240, 180)),
    ((60, 40, 110), (250, 200, 120)),
    ((30, 30, 30), (220, 90, 60)),
]


def draw_picture(seed, size=(1600, 900)):
    """A film-strip and light-beam composition, different for every seed."""
    rng = random.Random(seed)
    background, accent = PALETTES[rng.randrange(len(PALETTES))]
    picture = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(picture)
    width, height = size
    origin = (rng.randint(0, width // 4), rng.randint(height // 3, 2 * height // 3))
    draw.polygon([origin, (width, 0), (width, height)], fill=tuple(min(255, c + 40) for c in background))
    for x in range(0, width, 80):
        draw.rectangle([x + 10, 20, x + 60, 60], fill=accent)
        draw.rectangle([x + 10, height - 60, x + 60, height - 20], fill=accent)
    for _ in range(6):
        cx, cy, radius = rng.randint(0, width), rng.randint(80, height - 80), rng.randint(40, 160)
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=accent, width=8)
    return picture


def get_or_create_image(title, alt_text, seed, collection=None):
    """Return the image called `title`, drawing and storing it if it is missing."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    buffer = io.BytesIO()
    draw_picture(seed).save(buffer, format="JPEG", quality=85)
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60]
    image = image_model(
        title=title,
        description=alt_text,
        collection=collection or Collection.get_first_root_node(),
        file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"{slug}.jpg"),
    )
    image.save()
    return image
