"""The API's addresses: /api/v1/ endpoints, the schema and the docs page.

Each app lists its API routes in `<app>/api_urls.py`, included below under
v1/; the last route answers unknown /api/v1/ addresses with a JSON 404.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from herow_segments.api import views

app_name = "api"

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.show_docs, name="docs"),
    path("v1/", include("segments.api_urls")),
    path("v1/", include("events.api_urls")),
    re_path(r"^v1/", views.answer_not_found, name="not-found"),
]
