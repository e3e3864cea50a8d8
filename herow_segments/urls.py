from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from herow_segments.health import show_health

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="segments:segment-list")),
    path("healthz", show_health, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("segments/", include("segments.urls")),
    path("settings/", include("herow_segments.accounts.urls")),
    path("api/", include("herow_segments.api.urls")),
    path("", include("events.urls")),
]
