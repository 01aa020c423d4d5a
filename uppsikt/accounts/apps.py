from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "uppsikt.accounts"
    verbose_name = _("Konton")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .lockout import on_logged_in, on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="uppsikt_login_failed")
        user_logged_in.connect(on_logged_in, dispatch_uid="uppsikt_logged_in")

        from . import signin

        user_logged_in.connect(signin.on_logged_in, dispatch_uid="uppsikt_second_factor")

        from uppsikt.audit import vocabulary

        from .audit_actions import ACTIONS

        vocabulary.declare(self.label, ACTIONS)
