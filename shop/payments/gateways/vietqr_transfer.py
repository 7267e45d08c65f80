import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..vietqr import vietqr_payload, vietqr_svg
from ..bank_statement import reference_for
from .base import Gateway


class VietQRTransfer(Gateway):
    """Bank transfer by NAPAS 247: the confirmation shows a VietQR code made here, staff confirm the money."""

    method = "vietqr"
    label = _("Chuyển khoản ngân hàng (VietQR)")
    description = _("Quét mã VietQR bằng ứng dụng ngân hàng; đơn được xác nhận khi tiền về tài khoản.")

    def is_available(self) -> bool:
        return bool(settings.VIETQR_BANK_BIN and settings.VIETQR_ACCOUNT_NUMBER)

    def expiry(self):
        return dt.timedelta(hours=settings.PAYMENT_TRANSFER_EXPIRY_HOURS)

    def instructions(self, payment) -> dict:
        from shop.money import to_gateway_amount

        amount = to_gateway_amount(payment.amount - payment.amount_captured)
        reference = reference_for(payment.order.number)
        payload = vietqr_payload(
            bank_bin=settings.VIETQR_BANK_BIN,
            account_number=settings.VIETQR_ACCOUNT_NUMBER,
            amount=amount,
            reference=reference,
        )
        return {
            "payload": payload,
            "svg": vietqr_svg(payload),
            "bank_name": settings.VIETQR_BANK_NAME,
            "account_number": settings.VIETQR_ACCOUNT_NUMBER,
            "account_name": settings.VIETQR_ACCOUNT_NAME,
            "amount": amount,
            "reference": reference,
            "expires_at": payment.expires_at,
        }
