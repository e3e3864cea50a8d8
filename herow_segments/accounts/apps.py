from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "herow_segments.accounts"
    label = "accounts"
    verbose_name = "Companies and people"
