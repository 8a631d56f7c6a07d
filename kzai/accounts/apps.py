from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kzai.accounts"
    label = "accounts"
    verbose_name = "Accounts and organizations"
