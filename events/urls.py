from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("places/", views.list_places, name="place-list"),
    path("places/new/", views.create_place, name="place-create"),
    path("places/import/", views.import_places, name="place-import"),
    path("places/sample.csv", views.download_place_sample, name="place-sample-csv"),
    path("places/<int:place_id>/", views.show_place, name="place-detail"),
    path("places/<int:place_id>/edit/", views.edit_place, name="place-edit"),
    path("places/<int:place_id>/delete/", views.delete_place, name="place-delete"),
    path("devices/", views.list_devices, name="device-list"),
    path("devices/<int:device_id>/", views.show_device, name="device-detail"),
]
