"""Segments and their members."""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.urls import reverse

from herow_segments.accounts.scoping import CompanyOwned


class SegmentKind(models.TextChoices):
    IMPORTED = "imported", "Imported"
    API = "api", "API"
    CUSTOM = "custom", "Custom"
    NATIVE = "native", "Native"


class SegmentStatus(models.TextChoices):
    READY = "ready", "Ready"
    IMPORTING = "importing", "Importing"
    COMPUTING = "computing", "Computing"
    FAILED = "failed", "Failed"


class SegmentObjective(models.TextChoices):
    ACQUISITION = "acquisition", "Acquisition"
    ACTIVATION = "activation", "Activation"
    ENGAGEMENT = "engagement", "Engagement"
    RETENTION = "retention", "Retention"
    REACTIVATION = "reactivation", "Reactivation"
    CONVERSION = "conversion", "Conversion"
    LOYALTY = "loyalty", "Loyalty"
    AWARENESS = "awareness", "Awareness"


class IdType(models.IntegerChoices):
    """How a member is identified; stored as a small integer per member."""

    DEVICE_ID = 1, "device_id"
    ADVERTISING_ID = 2, "advertising_id"
    CUSTOM_ID = 3, "custom_id"

    @classmethod
    def from_name(cls, name: str) -> "IdType":
        return {member.label: member for member in cls}[name]


# Control characters other than tabs and line breaks (which become spaces)
# and lone surrogates: invisible, or not storable.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]").search
UNPRINTABLE_NAME = "A name cannot hold control characters."


def has_unprintable(text: str) -> bool:
    """Tell whether text holds a character no name should hold."""
    return bool(UNPRINTABLE(text))


def segment_name_key(name: str) -> str:
    """Return the form of a name under which two names count as the same.

    Case is folded in Python because SQLite's lower() only knows ASCII, so
    "Été" and "été" would otherwise both be accepted.
    """
    return unicodedata.normalize("NFKC", " ".join(name.split())).casefold()


class Segment(CompanyOwned):
    """A named group of app users that campaigns can target."""

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=100, blank=True)
    objective = models.CharField(
        max_length=20, choices=SegmentObjective.choices, blank=True
    )
    kind = models.CharField(
        max_length=20, choices=SegmentKind.choices, default=SegmentKind.IMPORTED
    )
    status = models.CharField(
        max_length=20, choices=SegmentStatus.choices, default=SegmentStatus.READY
    )
    member_count = models.PositiveIntegerField(default=0)
    device_id_count = models.PositiveIntegerField(default=0)
    advertising_id_count = models.PositiveIntegerField(default=0)
    custom_id_count = models.PositiveIntegerField(default=0)
    # Bumped by every change of membership; members carry the revision that
    # last changed them, which orders the change feed.
    revision = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name_key"],
                name="unique_segment_name_key_per_company",
                violation_error_message="A segment with this name already exists.",
            )
        ]
        indexes = [models.Index(fields=["company", "-updated_at"])]
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name_key = segment_name_key(self.name)

    def save(self, *args, **kwargs) -> None:
        self.name_key = segment_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("segments:segment-detail", args=[self.pk])

    @property
    def counts_by_type(self) -> dict[str, int]:
        return {
            "device_id": self.device_id_count,
            "advertising_id": self.advertising_id_count,
            "custom_id": self.custom_id_count,
        }


class Member(models.Model):
    """One identifier in one segment; removed members stay as tombstones."""

    pk = models.CompositePrimaryKey("segment_id", "id_type", "value")
    # No database constraint: PostgreSQL would check it with one deferred
    # trigger per inserted member, doubling the cost of a large import.
    # Every change holds the segment's row lock, and the ORM deletes the
    # members with their segment.
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, db_index=False, db_constraint=False
    )
    id_type = models.PositiveSmallIntegerField(choices=IdType.choices)
    value = models.CharField(max_length=255)
    # A removal keeps the row with is_active off, so the change feed can
    # tell clients who left.
    is_active = models.BooleanField(default=True)
    revision = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["segment", "revision"], name="member_change_feed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_id_type_display()}:{self.value}"

    @property
    def id_type_name(self) -> str:
        return IdType(self.id_type).label
