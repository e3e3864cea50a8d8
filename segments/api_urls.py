"""Routes of the segment API, included under /api/v1/ in the api namespace."""

from django.urls import path

from segments import api

urlpatterns = [
    path("segments", api.SegmentListView.as_view(), name="segment-list"),
    path(
        "segments/<int:segment_id>",
        api.SegmentDetailView.as_view(),
        name="segment-detail",
    ),
    path(
        "segments/<int:segment_id>/members",
        api.SegmentMembersView.as_view(),
        name="segment-members",
    ),
    path(
        "segments/<int:segment_id>/changes",
        api.SegmentChangesView.as_view(),
        name="segment-changes",
    ),
    path(
        "segments/<int:segment_id>/imports",
        api.SegmentImportsView.as_view(),
        name="segment-imports",
    ),
    path(
        "imports/<int:import_id>", api.ImportDetailView.as_view(), name="import-detail"
    ),
    path(
        "members/<str:id_type>/<path:member_id>/segments",
        api.MemberSegmentsView.as_view(),
        name="member-segments",
    ),
]
