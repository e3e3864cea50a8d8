"""Small factories for the objects most tests need."""

import io
import itertools
import uuid

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from herow_segments.accounts.models import Company, Membership
from segments import services
from segments.models import Segment

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


def make_company(slug: str | None = None, name: str | None = None) -> Company:
    number = next(_numbers)
    slug = slug or f"company-{number}"
    return Company.objects.create(slug=slug, name=name or slug.title())


def make_person(company: Company, email: str, role: str = "marketer"):
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD
    )
    Membership.all_companies.create(user=user, company=company, role=role)
    return user


def make_segment(company: Company, name: str | None = None, **fields) -> Segment:
    name = name or f"Segment {next(_numbers)}"
    return Segment.all_companies.create(company=company, name=name, **fields)


def random_ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def csv_upload(text: str | bytes, name: str = "ids.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def import_text(company, text, mode="new", segment=None, name="Imported", **extra):
    """Run an import synchronously and return the finished job."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    upload = SimpleUploadedFile("ids.csv", data)
    return services.import_now(
        company=company,
        upload=upload,
        mode=mode,
        segment=segment,
        new_segment={"name": name} if mode == "new" else None,
        **extra,
    )


def long_csv(pairs) -> str:
    buffer = io.StringIO()
    buffer.write("id_type,id\n")
    for id_type, value in pairs:
        buffer.write(f"{id_type},{value}\n")
    return buffer.getvalue()


def make_place(company: Company, name: str | None = None, **fields):
    from events.models import Place

    number = next(_numbers)
    fields.setdefault("latitude", 60.17)
    fields.setdefault("longitude", 24.94)
    return Place.all_companies.create(
        company=company, name=name or f"Place {number}", **fields
    )


def event_item(type_: str, place, occurred_at: str, device_id: str = "dev-1", **extra):
    """Return one item of POST /api/v1/events."""
    item = {
        "type": type_,
        "device": {"device_id": device_id},
        "occurred_at": occurred_at,
    }
    if place is not None:
        item["place"] = place.pk if hasattr(place, "pk") else place
    item.update(extra)
    return item
