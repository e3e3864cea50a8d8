from django.urls import path

from herow_segments.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.show_settings, name="settings"),
    path("company/switch/", views.switch_company, name="company-switch"),
]
