from django.urls import path

from herow_segments.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.show_settings, name="settings"),
    path("company/switch/", views.switch_company, name="company-switch"),
    path("api/keys/", views.list_api_keys, name="api-key-list"),
    path("api/keys/new/", views.create_api_key, name="api-key-create"),
    path("api/keys/revoke/", views.revoke_api_key, name="api-key-revoke"),
]
