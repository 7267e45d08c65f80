from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.abstract_models import AbstractUser


class User(AbstractUser):
    """Email login, shared by Oscar and Wagtail. Roles are groups (see users/roles.py)."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
