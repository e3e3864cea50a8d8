"""Use cases for companies and the people in them."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

from herow_segments.accounts.models import Company, Membership, Role

logger = logging.getLogger(__name__)

DEMO_COMPANY = {"slug": "demo", "name": "Demo Company", "time_zone": "Europe/Paris"}
DEMO_PEOPLE = [
    ("admin@demo.example", "demo-admin-pass", Role.ADMIN),
    ("marketer@demo.example", "demo-marketer-pass", Role.MARKETER),
]


@transaction.atomic
def add_person(company: Company, email: str, password: str, role: str):
    """Create or update a user and give them a role in the company."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=email, defaults={"email": email}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    Membership.all_companies.update_or_create(
        user=user, company=company, defaults={"role": role}
    )
    return user, created


@transaction.atomic
def seed_demo_company() -> tuple[Company, list[tuple[str, str, str]]]:
    """Create the demo company with an admin and a marketer, idempotently."""
    company, _ = Company.objects.get_or_create(
        slug=DEMO_COMPANY["slug"],
        defaults={"name": DEMO_COMPANY["name"], "time_zone": DEMO_COMPANY["time_zone"]},
    )
    for email, password, role in DEMO_PEOPLE:
        add_person(company, email, password, role)
    logger.info("demo company seeded company_id=%s", company.pk)
    return company, DEMO_PEOPLE
