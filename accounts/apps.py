from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Người dùng và vai trò")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from .names import install_person_name

        # Django's User joins its name parts given-name first; Vietnamese names are written family-name
        # first. The user model stays Django's own (swapping it would touch every foreign key to it).
        install_person_name(get_user_model())
        from . import two_factor  # noqa: F401 - the login hook of the optional second factor
