"""The product's URLs plus the bare view bench.api compares the API with."""

from django.http import JsonResponse
from django.urls import include, path


def show_bare_segment(request, segment_id: int) -> JsonResponse:
    """Return the API's JSON of a segment with no authentication at all."""
    from segments.models import Segment
    from segments.serializers import SegmentSerializer

    segment = Segment.all_companies.get(pk=segment_id)
    return JsonResponse(SegmentSerializer(segment).data)


urlpatterns = [
    path("bench/bare/segments/<int:segment_id>", show_bare_segment),
    path("", include("herow_segments.urls")),
]
