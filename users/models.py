from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.abstract_models import AbstractUser


class User(AbstractUser):
    """Email login, shared by Oscar and Wagtail. Roles are groups (see users/roles.py)."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")


class PrivacyConsent(models.Model):
    """Proof that someone agreed to the personal data notice (Decree 13/2023/NĐ-CP, art. 11): who (an account, or a
    guest's order and email), for what, which version of the notice, when. No IP address is kept. Kept after the
    person is erased, with the link to them removed (users/privacy/services.py)."""

    class Purpose(models.TextChoices):
        ACCOUNT = "account", _("Tạo tài khoản")
        ORDER = "order", _("Đặt hàng")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="privacy_consents",
        verbose_name=_("người dùng"),
    )
    order_number = models.CharField(_("mã đơn hàng"), max_length=128, blank=True, db_index=True)
    email = models.EmailField(_("email (khách không có tài khoản)"), blank=True)
    purpose = models.CharField(_("mục đích"), max_length=16, choices=Purpose.choices)
    notice_version = models.CharField(_("phiên bản thông báo"), max_length=32)
    given_at = models.DateTimeField(_("đồng ý lúc"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("đồng ý xử lý dữ liệu cá nhân")
        verbose_name_plural = _("đồng ý xử lý dữ liệu cá nhân")
        constraints = [
            models.UniqueConstraint(
                fields=["order_number"], condition=Q(purpose="order"), name="one_privacy_consent_per_order"
            ),
            models.UniqueConstraint(
                fields=["user", "notice_version"], condition=Q(purpose="account"),
                name="one_account_privacy_consent_per_version",
            ),
            models.CheckConstraint(
                condition=Q(purpose="account") | ~Q(order_number=""), name="order_privacy_consent_names_its_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.notice_version} · {self.given_at:%Y-%m-%d}"

