from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kzai.core"
    label = "core"
    verbose_name = "kzai core"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from kzai.accounts.models import Membership, Organization, User
        from kzai.core.filtersets import forget_member_choices
        from kzai.core.i18n import install_language_fallbacks

        install_language_fallbacks()
        # The members every filter bar offers are cached per organization; a change forgets them.
        for model in (Membership, User, Organization):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_member_choices, sender=model, dispatch_uid=f"kzai_member_choices_{model.__name__}"
                )
