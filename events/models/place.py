"""Places: the geofenced points of interest that devices enter and leave."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from herow_segments.accounts.scoping import CompanyOwned

MIN_RADIUS_M = 10
MAX_RADIUS_M = 10_000
DEFAULT_RADIUS_M = 100


class Tag(CompanyOwned):
    """A free label that groups places, such as "flagship" or "drive-thru"."""

    name = models.CharField(max_length=50)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name"], name="unique_tag_name_per_company"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Place(CompanyOwned):
    """A point of interest with a circular geofence."""

    name = models.CharField(max_length=200)
    # Empty when the place is known only by its id; unique when set, so an
    # import or an event can name the place by the customer's own reference.
    external_id = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField(
        validators=[MinValueValidator(-90.0), MaxValueValidator(90.0)]
    )
    longitude = models.FloatField(
        validators=[MinValueValidator(-180.0), MaxValueValidator(180.0)]
    )
    radius_m = models.PositiveIntegerField(
        "radius (m)",
        default=DEFAULT_RADIUS_M,
        validators=[MinValueValidator(MIN_RADIUS_M), MaxValueValidator(MAX_RADIUS_M)],
        help_text=f"Geofence radius in metres, {MIN_RADIUS_M} to {MAX_RADIUS_M:,}.",
    )
    address = models.CharField(max_length=300, blank=True)
    brand = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=100, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="places")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "external_id"],
                condition=~Q(external_id=""),
                name="unique_place_external_id_per_company",
                violation_error_message="A place with this external ID already exists.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_in_range",
            ),
            models.CheckConstraint(
                condition=Q(radius_m__gte=MIN_RADIUS_M, radius_m__lte=MAX_RADIUS_M),
                name="place_radius_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "brand"]),
            models.Index(fields=["company", "category"]),
            models.Index(fields=["company", "name"]),
        ]
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:place-detail", args=[self.pk])

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]
