"""Routes of the places and events API, included under /api/v1/."""

from django.urls import path

from events import api

urlpatterns = [
    path("places", api.PlaceListView.as_view(), name="place-list"),
    path("places/<int:place_id>", api.PlaceDetailView.as_view(), name="place-detail"),
    path("events", api.EventBatchView.as_view(), name="event-batch"),
]
