"""Telling producers what needs them: certificates reaching 90 and 30 days before expiry, stock running low, a
new order. Each notice is recorded once (ProducerNotice) and emailed to the producer's users."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.certification import ocop_today
from catalogue.models import Certificate, Product

from .models import ProducerNotice

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def notice_send(*, producer, key: str, message: str) -> bool:
    """Record and email a notice unless it was already sent. Returns whether it was new."""
    try:
        with transaction.atomic():
            ProducerNotice.objects.create(producer=producer, key=key, message=message[:255])
    except IntegrityError:
        return False
    emails = list(producer.users.exclude(email="").values_list("email", flat=True))
    if emails:
        send_mail(_("Chợ OCOP: %(message)s") % {"message": message[:80]}, message, settings.DEFAULT_FROM_EMAIL, emails,
                  fail_silently=True)
    return True


def producers_notify(*, today: dt.date | None = None) -> int:
    """The periodic pass (idempotent): expiring certificates and low stock."""
    today = today or ocop_today()
    sent = 0
    # One notice per window: within 30 days, else within 90 (a renewed product is never told).
    soon = set(Certificate.objects.expiring_within(30, today=today).values_list("pk", flat=True))
    for certificate in Certificate.objects.expiring_within(90, today=today).select_related("product__producer"):
        producer = certificate.product.producer
        if producer is None:
            continue
        days = 30 if certificate.pk in soon else 90
        sent += notice_send(
            producer=producer, key=f"cert-{certificate.pk}-{days}",
            message=_("Giấy chứng nhận OCOP của “%(title)s” hết hạn ngày %(day)s: cần đăng ký đánh giá lại.")
            % {"title": certificate.product.title, "day": certificate.expires_on.strftime("%d/%m/%Y")},
        )
    # Low stock of products on sale; told once per stock level (a delivery or a sale makes a new episode).
    low = StockRecord.objects.filter(
        num_in_stock__isnull=False,
        num_in_stock__lte=F("num_allocated") + F("partner__low_stock_threshold_default"),
        product__ocop_product_set__group__is_shippable=True,
        product__is_public=True,
        product__in=Product.objects.certified(today),
    ).select_related("partner", "product")
    for record in low:
        sent += notice_send(
            producer=record.partner, key=f"low-stock-{record.pk}-{record.num_in_stock}-{record.num_allocated}",
            message=_("“%(title)s” sắp hết hàng: còn %(n)s để bán.") % {"title": record.product.title,
                                                                     "n": record.net_stock_level},
        )
    return sent


def new_order_notify(order_id: int) -> None:
    """After an order is placed: each producer in it hears about their own part only."""
    parts = get_model("fulfilment", "FulfilmentPart").objects.filter(order_id=order_id).select_related("producer", "order")
    for part in parts:
        notice_send(
            producer=part.producer, key=f"order-{part.pk}",
            message=_("Đơn hàng mới %(number)s: vào Khu vực chủ thể → Đơn hàng để chuẩn bị.") % {"number": part.order.number},
        )
