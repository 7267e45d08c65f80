from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Installed for its templates: the lockout page and the 429 page (shop/security/templates/security/)."""

    name = "shop.security"
    label = "ocop_security"
    verbose_name = _("Bảo mật")
