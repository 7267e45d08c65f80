from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("Người dùng")

    def ready(self):
        # The checkout's consent is written by a receiver of Oscar's order_placed signal, inside the order's
        # transaction (users/privacy/consent.py).
        from users.privacy import consent  # noqa: F401
