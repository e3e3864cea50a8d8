"""Demo segments for a fresh installation."""

import uuid

from django.core.files.base import ContentFile

from segments.models import ImportMode, Segment
from segments.services.imports import import_now

DEMO_SEGMENTS = [
    ("Wine & Dine enthusiasts - Retention", "Wine & Dine", "retention", 1_200),
    ("Gym regulars - Loyalty", "Fitness", "loyalty", 800),
    ("Weekend shoppers - Reactivation", "Retail", "reactivation", 2_500),
]


def seed_demo_segments(company) -> int:
    """Create the demo's imported segments once, with generated IDs."""
    created = 0
    for name, category, objective, size in DEMO_SEGMENTS:
        if Segment.all_companies.filter(company=company, name=name).exists():
            continue
        rows = "".join(
            f"advertising_id,{uuid.uuid5(uuid.NAMESPACE_URL, f'{name}/{number}')}\n"
            for number in range(size)
        )
        upload = ContentFile(f"id_type,id\n{rows}".encode(), name="demo.csv")
        import_now(
            company=company,
            upload=upload,
            mode=ImportMode.NEW,
            new_segment={
                "name": name,
                "description": "Demo segment of generated advertising IDs.",
                "category": category,
                "objective": objective,
            },
        )
        created += 1
    return created
