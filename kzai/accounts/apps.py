from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kzai.accounts"
    label = "accounts"
    verbose_name = "Accounts and organizations"

    def ready(self):
        from axes.signals import user_locked_out

        from kzai.accounts import schema  # noqa: F401  (registers the OpenAPI auth scheme)
        from kzai.accounts.lockout import on_user_locked_out

        user_locked_out.connect(on_user_locked_out, dispatch_uid="kzai_sign_in_lockout")
