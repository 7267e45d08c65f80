"""Sales made outside this marketplace (Shopee, TikTok Shop, Lazada, Postmart, Voso, a supermarket, elsewhere),
entered one by one: by programme staff for any producer (reports/views/entry.py) or by a producer's own users
(shop/listings.services.external_sale_record). Both come here; imported files (reports/imports.py) check each row
with ``external_sale_check`` and write it through ``reports.services.sale_record`` like this module does.

An entered sale is taken at noon on the day it was sold (the form asks for a day, not a time). The form's one-time
key makes the row's ``source_key``, so a form sent twice is one row; the same key sent again with other facts is
refused rather than silently ignored.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from shop.errors import ActionRefused
from shop.money import number_text

from .models import Platform, Sale
from .services import sale_record

MAX_QUANTITY = 1_000_000  # more on one row is a typo (a barcode in the quantity column), not a sale
MAX_AMOUNT = 100_000_000_000  # 100 billion dong on one row: the same
NOTE_MAX_LENGTH = 255
KEY_MAX_LENGTH = 64


class ExternalSaleRefused(ActionRefused):
    """The sale was not entered; the message says why, in words the person can act on. Nothing was written."""


def sold_at(sold_on: dt.date) -> dt.datetime:
    """When an external sale entered by its day is taken to have been paid: noon, Vietnam time."""
    return timezone.make_aware(dt.datetime.combine(sold_on, dt.time(12, 0)))


def external_source_key(*, producer, key: str) -> str | None:
    """The ledger's source key for an entered sale (the form's one-time key, per producer); None without a key."""
    key = (key or "").strip()[:KEY_MAX_LENGTH]
    return f"external-{producer.pk}-{key}" if key else None


def external_sale_check(*, producer, product, platform: str, sold_on: dt.date, quantity: int, amount) -> None:
    """Refuse (ExternalSaleRefused) what the ledger must not hold: another producer's product, a platform that is
    not one of reports.models.Platform, a day after today, a quantity or amount that is not a whole number above
    zero (amounts are whole dong)."""
    if producer is None or product is None:
        raise ExternalSaleRefused(_("Cần chọn chủ thể và sản phẩm."))
    if product.producer_id != producer.pk:
        raise ExternalSaleRefused(_("Sản phẩm “%(product)s” không thuộc chủ thể %(producer)s.")
                                  % {"product": product.get_title(), "producer": producer.name})
    if product.is_parent:
        raise ExternalSaleRefused(_("Hãy chọn một phiên bản cụ thể của sản phẩm “%(product)s”.")
                                  % {"product": product.get_title()})
    if platform not in Platform.values:
        raise ExternalSaleRefused(_("Nơi bán không hợp lệ."))
    if sold_on > timezone.localdate():
        raise ExternalSaleRefused(_("Ngày bán không được sau hôm nay."))
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ExternalSaleRefused(_("Số lượng phải là số nguyên lớn hơn 0."))
    if quantity > MAX_QUANTITY:
        raise ExternalSaleRefused(_("Số lượng quá lớn (tối đa %(max)s).")
                                  % {"max": number_text(MAX_QUANTITY)})
    try:
        value = Decimal(amount)
    except (ArithmeticError, TypeError, ValueError):
        raise ExternalSaleRefused(_("Thành tiền phải là số đồng nguyên lớn hơn 0.")) from None
    if isinstance(amount, bool) or not value.is_finite() or value <= 0 or value != value.to_integral_value():
        raise ExternalSaleRefused(_("Thành tiền phải là số đồng nguyên lớn hơn 0."))
    if value > MAX_AMOUNT:
        raise ExternalSaleRefused(_("Thành tiền quá lớn (tối đa %(max)s đồng một dòng).")
                                  % {"max": number_text(MAX_AMOUNT)})


def note_clean(text: str) -> str:
    """A note as one line of plain text, at most 255 characters. Kept as typed otherwise: a note starting with
    "=" or "@" is text in the ledger, and every export escapes it (shop.spreadsheets.csv_cell_safe)."""
    printable = "".join(ch if ch.isprintable() else " " for ch in (text or ""))  # no control characters
    return " ".join(printable.split())[:NOTE_MAX_LENGTH]


def external_sale_enter(*, producer, product, platform: str, sold_on: dt.date, quantity: int, amount,
                        user, note: str = "", key: str = "") -> Sale:
    """Enter one external sale in the ledger (channel "external", its platform, producer and product).

    ``key`` is the form's one-time key: the same key sent again returns the row it wrote (a double submit is one
    row), unless the facts differ, which is refused. ``user`` is who entered it (``Sale.entered_by``)."""
    external_sale_check(producer=producer, product=product, platform=platform, sold_on=sold_on, quantity=quantity,
                        amount=amount)
    amount = Decimal(amount)
    source_key = external_source_key(producer=producer, key=key)
    if source_key and (sent := Sale.objects.filter(source_key=source_key).first()):
        sent_facts = (sent.product_id, sent.quantity, sent.amount, sent.platform, timezone.localdate(sent.occurred_at))
        if sent_facts != (product.pk, quantity, amount, platform, sold_on):
            raise ExternalSaleRefused(
                _("Biểu mẫu này đã được gửi với nội dung khác. Vui lòng tải lại trang rồi nhập lại."))
        return sent
    return sale_record(
        channel=Sale.Channel.EXTERNAL, occurred_at=sold_at(sold_on), title=product.get_title(), quantity=quantity,
        amount=amount, product=product, producer=producer, note=note_clean(note), source_key=source_key,
        platform=platform, entered_by=user,
    )
