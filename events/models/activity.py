"""Location events as devices report them, and the visits derived from them."""

from django.db import models

from herow_segments.accounts.scoping import CompanyOwned


class EventType(models.TextChoices):
    ENTRY = "entry", "Entry"
    EXIT = "exit", "Exit"
    VISIT = "visit", "Visit"
    APP_OPEN = "app_open", "App open"


PLACE_EVENT_TYPES = (EventType.ENTRY, EventType.EXIT, EventType.VISIT)


class Event(CompanyOwned):
    """One event reported by a device; kept lean for fast ingestion."""

    # The unique key below starts with the company, so the foreign key needs
    # no index of its own; every index costs ingestion time.
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    # Derived from the client's event_id when given, otherwise from the
    # device, type, place and device time, so a repeat delivery collides.
    dedup_key = models.UUIDField()
    type = models.CharField(max_length=8, choices=EventType.choices)
    device = models.ForeignKey(
        "events.Device", on_delete=models.CASCADE, db_index=False, related_name="+"
    )
    # Indexed although no page reads events by place: without it, deleting a
    # place scans the whole table to check that no event still refers to it.
    place = models.ForeignKey(
        "events.Place",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    duration_s = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "dedup_key"], name="unique_event_per_company"
            )
        ]
        # One index serves visit derivation, the device timeline and the
        # cascade from a device.
        indexes = [
            models.Index(
                fields=["device", "place", "occurred_at"], name="event_device_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} of device {self.device_id} at {self.occurred_at}"


def derived_link(model: str, *, db_index: bool = False) -> models.ForeignKey:
    """A link of derived rows: deleted by Django, not checked by the database."""
    return models.ForeignKey(
        model,
        on_delete=models.CASCADE,
        db_index=db_index,
        db_constraint=False,
        related_name="+",
    )


class Visit(CompanyOwned):
    """One stay of one device at one place, derived from its events.

    Derived rows, written by the thousand with each batch of events: they
    carry no database constraints, whose per-row checks would cost more
    than the rows themselves. Django deletes them with their company,
    device or place, through the indexes below.
    """

    company = derived_link("accounts.Company")
    device = derived_link("events.Device")
    place = derived_link("events.Place")
    entered_at = models.DateTimeField()
    exited_at = models.DateTimeField(null=True, blank=True)
    # Zero while the visit is not closed: a stay without an exit adds no time.
    duration_s = models.PositiveIntegerField(default=0)
    is_closed = models.BooleanField(default=False)
    is_capped = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Place first: it implies the company, and deleting a place checks
            # its visits through this index.
            models.Index(fields=["place", "entered_at"], name="visit_place_time"),
            models.Index(
                fields=["device", "place", "entered_at"], name="visit_device_place"
            ),
            models.Index(fields=["company", "entered_at"], name="visit_company_time"),
        ]
        ordering = ["-entered_at", "pk"]

    def __str__(self) -> str:
        return f"Visit of device {self.device_id} at place {self.place_id}"


class DevicePlace(CompanyOwned):
    """A place where a device has entry, exit or visit events.

    Ingestion locks the rows of a batch's pairs before it stores their
    events, so two batches with events of one device at one place derive
    its visits one after the other, while batches of other pairs run side
    by side. Row locks cost no shared memory, unlike an advisory lock per
    pair. Like visits, the rows carry no database constraints.
    """

    pk = models.CompositePrimaryKey("device_id", "place_id")
    company = derived_link("accounts.Company")
    # The primary key starts with the device; the place keeps its own index
    # for the cascade when a place is deleted.
    device = derived_link("events.Device")
    place = derived_link("events.Place", db_index=True)

    def __str__(self) -> str:
        return f"Device {self.device_id} at place {self.place_id}"
