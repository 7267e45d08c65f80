"""Existing ledger rows get the facts reports group by, as they were when the money was taken: the booking day
(the local day of occurred_at: no period was closed before this migration), the producer's commune, the OCOP group
and the stars of the certificate valid that day; external rows get their platform from the note they were entered
with."""

import zoneinfo

from django.conf import settings
from django.db import migrations

PLATFORM_WORDS = [  # folded words of the note -> platform (as reports.services.platform_of read them then)
    ("shopee", "shopee"), ("tiktok", "tiktok_shop"), ("lazada", "lazada"), ("postmart", "postmart"),
    ("voso", "voso"), ("sieu thi", "supermarket"), ("supermarket", "supermarket"), ("co.opmart", "supermarket"),
    ("bach hoa xanh", "supermarket"),
]


def platform_of(note: str) -> str:
    from shop.text import fold_vietnamese

    folded = fold_vietnamese(note or "")
    return next((platform for word, platform in PLATFORM_WORDS if word in folded), "other")


def backfill(apps, schema_editor):
    Sale = apps.get_model("reports", "Sale")
    Certificate = apps.get_model("catalogue", "Certificate")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = Sale.objects.select_related(
        "producer", "product__producer", "product__ocop_product_set__group", "product__parent__ocop_product_set__group"
    )
    for sale in rows.order_by("pk").iterator():  # a sale before its reversal
        day = sale.occurred_at.astimezone(zone).date()
        if sale.reverses_id:  # a reversal keeps its sale's facts (as reports.services.sale_reverse does)
            original = Sale.objects.get(pk=sale.reverses_id)
            sale.booked_on = day
            sale.area_id, sale.ocop_group, sale.stars = original.area_id, original.ocop_group, original.stars
            sale.platform = original.platform
            sale.save(update_fields=["booked_on", "area", "ocop_group", "stars", "platform"])
            continue
        product = sale.product
        producer = sale.producer or (product.producer if product is not None else None)
        group = None
        stars = None
        if product is not None:
            owner = product if product.ocop_product_set_id or not product.parent_id else product.parent
            group = owner.ocop_product_set.group.number if owner.ocop_product_set_id else None
            certificate = (
                Certificate.objects.filter(
                    product_id__in=[pk for pk in (product.pk, product.parent_id) if pk],
                    issued_on__lte=day, expires_on__gte=day, revoked_on__isnull=True,
                )
                .order_by("-issued_on", "-pk")
                .first()
            )
            stars = certificate.stars if certificate is not None else None
        sale.booked_on = day
        sale.area_id = producer.area_id if producer is not None else None
        sale.ocop_group = group
        sale.stars = stars
        sale.platform = platform_of(sale.note) if sale.channel == "external" else ""
        sale.save(update_fields=["booked_on", "area", "ocop_group", "stars", "platform"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_ledger_facts_periods_targets"),
        ("catalogue", "0038_product_search_columns"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
