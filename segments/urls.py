from django.urls import path

from segments import views

app_name = "segments"

urlpatterns = [
    path("", views.list_segments, name="segment-list"),
    path("new/", views.create_segment, name="segment-create"),
    path("sample.csv", views.download_sample, name="sample-csv"),
    path("<int:segment_id>/", views.show_segment, name="segment-detail"),
    path("<int:segment_id>/edit/", views.edit_segment, name="segment-edit"),
    path("<int:segment_id>/delete/", views.delete_segment, name="segment-delete"),
    path("<int:segment_id>/export.csv", views.export_members, name="segment-export"),
    path("<int:segment_id>/import/", views.import_into_segment, name="segment-import"),
    path("imports/<int:import_id>/", views.show_import, name="import-detail"),
    path(
        "imports/<int:import_id>/progress/",
        views.show_import_progress,
        name="import-progress",
    ),
    path(
        "imports/<int:import_id>/rejected.csv",
        views.download_rejected_rows,
        name="import-rejected",
    ),
]
