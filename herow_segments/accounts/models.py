"""Companies (tenants), the people in them and their roles."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from herow_segments.accounts.scoping import CompanyScopedManager


def validate_time_zone(value: str) -> None:
    """Reject names that the IANA time zone database does not know."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone.")


class Company(models.Model):
    """A customer of the platform; all business data belongs to one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(
        max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    MARKETER = "marketer", "Marketer"


class Membership(models.Model):
    """A user's role in one company."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MARKETER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CompanyScopedManager()
    all_companies = models.Manager()

    class Meta:
        base_manager_name = "all_companies"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"], name="unique_membership_per_company"
            )
        ]
        ordering = ["company__name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.company} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN
