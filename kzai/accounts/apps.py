from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kzai.accounts"
    label = "accounts"
    verbose_name = "Accounts and organizations"

    def ready(self):
        from kzai.accounts import schema  # noqa: F401  (registers the OpenAPI auth scheme)
