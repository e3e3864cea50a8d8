"""Companies (tenants), the people in them and their roles."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from herow_segments.accounts.scoping import CompanyOwned, CompanyScopedManager


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


class ApiScope(models.TextChoices):
    SEGMENTS_READ = "segments:read", "Read segments and members"
    SEGMENTS_WRITE = "segments:write", "Change segments and members"
    EVENTS_WRITE = "events:write", "Send places, devices and events"
    CAMPAIGNS_READ = "campaigns:read", "Read campaigns"


class ApiKey(CompanyOwned):
    """A secret that lets another system call the API for one company.

    Only the SHA-256 hash of the key is stored: keys are long random
    strings, so a fast hash cannot be reversed by guessing.
    """

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=20)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    allowed_ip_ranges = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(CompanyOwned.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiKeyAction(models.TextChoices):
    CREATED = "created", "Created"
    REVOKED = "revoked", "Revoked"


class ApiKeyEvent(CompanyOwned):
    """One line of the audit log of a company's API keys."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=ApiKeyAction.choices)
    # Copied from the key so that the log reads the same after a rename.
    key_name = models.CharField(max_length=100)
    key_prefix = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(CompanyOwned.Meta):
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.key_name} {self.action} by {self.actor_label}"


class IdempotentRequest(models.Model):
    """The first answer to a request sent with an Idempotency-Key header.

    The row is claimed before the request runs, so a concurrent duplicate
    finds it and does not run too; the answer is saved in the transaction
    of the request's own changes.
    """

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["api_key", "key"], name="unique_idempotency_key_per_api_key"
            )
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"

    @property
    def is_finished(self) -> bool:
        return self.response_status is not None
