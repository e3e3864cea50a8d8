"""Devices: one installation of the customer's app."""

from django.db import models
from django.urls import reverse

from herow_segments.accounts.scoping import CompanyOwned


class Platform(models.TextChoices):
    ANDROID = "android", "Android"
    IOS = "ios", "iOS"
    OTHER = "other", "Other"


class Device(CompanyOwned):
    """An app installation with the identifiers it reported most recently."""

    # Every batch of events updates its devices: the unique key below starts
    # with the company, and last_seen_at is left out of every index, so most
    # of these updates are heap-only and touch no index.
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    device_id = models.CharField(max_length=255)
    # The latest reported values: a reset advertising ID or a custom ID set
    # later replaces the previous one.
    advertising_id = models.CharField(max_length=64, blank=True)
    custom_id = models.CharField(max_length=255, blank=True)
    platform = models.CharField(max_length=10, choices=Platform.choices, blank=True)
    app_version = models.CharField(max_length=50, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "device_id"], name="unique_device_id_per_company"
            )
        ]
        indexes = [
            models.Index(fields=["company", "advertising_id"]),
            models.Index(fields=["company", "custom_id"]),
        ]
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.device_id

    def get_absolute_url(self) -> str:
        return reverse("events:device-detail", args=[self.pk])
