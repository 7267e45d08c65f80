"""Reads of the producer area, always scoped to the producers the user belongs to."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.certification import Status, ocop_today
from catalogue.models import Certificate, Product
from reports.models import Sale
from shop.fulfilment.models import FulfilmentPart
from shop.fulfilment.selectors import producers_of_user

from .models import ProducerNotice, ProductChange

StockRecord = get_model("partner", "StockRecord")
ProductImage = get_model("catalogue", "ProductImage")


def products_of_seller(*, user):
    """The user's producers' products, each with its stock record, images, certificates and pending change."""
    return (
        Product.objects.filter(producer__in=producers_of_user(user))
        .select_related("producer", "ocop_product_set__group")
        .prefetch_related(
            "stockrecords",
            Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
            Prefetch("certificates", queryset=Certificate.objects.order_by("-issued_on", "-pk")),
        )
        .annotate(
            has_pending_change=Exists(ProductChange.objects.filter(product=OuterRef("pk"), status="pending"))
        )
        .order_by("title", "pk")
    )


def product_for_seller(*, user, pk: int) -> Product:
    """Another producer's product is a 404."""
    return get_object_or_404(products_of_seller(user=user), pk=pk)


def listing_status(product, today=None) -> tuple[str, str]:
    """(code, words) for the producer: why the product is or is not on sale, from prefetched certificates."""
    from django.utils.translation import gettext as _

    today = today or ocop_today()
    status, certificate = product.certification_status(today)  # the gate; prefetched certificates, no query
    if status == Status.CERTIFIED:
        if certificate.expires_on <= today + dt.timedelta(days=90):
            return "expiring", _("Đang bán · giấy chứng nhận hết hạn ngày %(day)s, cần đánh giá lại") % {
                "day": certificate.expires_on.strftime("%d/%m/%Y")}
        return "certified", _("Đang bán · %(stars)s sao, hết hạn %(day)s") % {
            "stars": certificate.stars, "day": certificate.expires_on.strftime("%d/%m/%Y")}
    if status == Status.REVOKED:
        return "revoked", _("Không bán · giấy chứng nhận đã bị thu hồi")
    if status == Status.EXPIRED:
        return "expired", _("Không bán · giấy chứng nhận hết hạn ngày %(day)s, cần đánh giá lại") % {
            "day": certificate.expires_on.strftime("%d/%m/%Y")}
    if status == Status.NOT_YET_VALID:
        return "draft", _("Chờ hiệu lực từ ngày %(day)s · chưa bán") % {"day": certificate.issued_on.strftime("%d/%m/%Y")}
    return "draft", _("Chờ chứng nhận OCOP · chưa bán")


def seller_notices(*, user) -> list[str]:
    """What needs the producer's attention now (also emailed once by `notify_producers`)."""
    from django.utils.translation import gettext as _

    producers = list(producers_of_user(user))
    notices = []
    for producer in producers:
        if producer.approved_at is None:
            notices.append(_("%(name)s đang chờ Ban điều phối duyệt hồ sơ.") % {"name": producer.name})
    new_parts = FulfilmentPart.objects.filter(producer__in=producers, status="confirmed").count()
    if new_parts:
        notices.append(_("%(n)s phần đơn mới cần chuẩn bị.") % {"n": new_parts})
    recent = timezone.now() - dt.timedelta(days=14)
    notices += [n.message for n in ProducerNotice.objects.filter(producer__in=producers, created_at__gte=recent)
                .exclude(key__startswith="order-")[:10]]
    return notices


def sales_summary(*, user, month: dt.date):
    """This month's ledger rows of the user's producers: totals, by product and by channel (one query each)."""
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    rows = Sale.objects.filter(producer__in=producers_of_user(user), occurred_at__date__gte=start,
                               occurred_at__date__lt=end)
    return {
        "total": rows.aggregate(amount=Sum("amount"), quantity=Sum("quantity")),
        "by_product": rows.values("title").annotate(amount=Sum("amount"), quantity=Sum("quantity")).order_by("-amount"),
        "by_channel": rows.values("channel").annotate(amount=Sum("amount"), quantity=Sum("quantity")).order_by("-amount"),
        "month": start,
    }
