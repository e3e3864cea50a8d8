"""Import jobs that load a file of identifiers into a segment."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from herow_segments.accounts.scoping import CompanyOwned


class ImportMode(models.TextChoices):
    NEW = "new", "New segment"
    ADD = "add", "Add to the segment"
    REMOVE = "remove", "Remove from the segment"
    REPLACE = "replace", "Replace all members"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ImportSource(models.TextChoices):
    UPLOAD = "upload", "Upload page"
    API = "api", "API"
    COMMAND = "command", "Command line"


def import_upload_path(instance: "SegmentImport", filename: str) -> str:
    return f"imports/{instance.company_id}/{filename}"


class SegmentImport(CompanyOwned):
    """One file of identifiers applied to a segment in one mode."""

    segment = models.ForeignKey(
        "segments.Segment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
    )
    mode = models.CharField(max_length=10, choices=ImportMode.choices)
    default_id_type = models.CharField(max_length=20, blank=True)
    source = models.CharField(
        max_length=10, choices=ImportSource.choices, default=ImportSource.UPLOAD
    )
    # What a new segment will be called; the segment exists only once the
    # file has imported, so a failed file leaves nothing behind.
    segment_name = models.CharField(max_length=200, blank=True)
    segment_description = models.TextField(blank=True)
    segment_category = models.CharField(max_length=100, blank=True)
    segment_objective = models.CharField(max_length=20, blank=True)

    file = models.FileField(upload_to=import_upload_path, max_length=300)
    original_filename = models.CharField(max_length=255)
    file_size = models.PositiveBigIntegerField(default=0)

    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress_bytes = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    already_members = models.PositiveIntegerField(default=0)
    not_members = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    member_count = models.PositiveIntegerField(null=True, blank=True)
    invalid_sample = models.JSONField(default=list, blank=True)
    rejected_file = models.FileField(
        upload_to=import_upload_path, max_length=300, blank=True
    )
    error_message = models.TextField(blank=True)
    detected_format = models.CharField(max_length=100, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.mode}) of {self.original_filename}"

    def get_absolute_url(self) -> str:
        return reverse("segments:import-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.file_size:
            return 0
        return min(99, int(100 * self.progress_bytes / self.file_size))

    @property
    def target_name(self) -> str:
        return self.segment.name if self.segment_id else self.segment_name
