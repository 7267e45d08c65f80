"""Existing ledger rows get the facts reports group by, as they were when the money was taken: the booking day
(the local day of occurred_at: no period was closed before this migration), the producer's commune, the OCOP group
and the stars of the certificate valid that day; external rows get their platform from the note they were entered
with."""

import zoneinfo

from django.conf import settings
from django.db import migrations

def platform_of(note: str) -> str:
    from reports.services import platform_of as current

    return str(current(note))


def backfill(apps, schema_editor):
    Sale = apps.get_model("reports", "Sale")
    Certificate = apps.get_model("catalogue", "Certificate")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = Sale.objects.select_related(
        "producer", "product__producer", "product__ocop_product_set__group", "product__parent__ocop_product_set__group"
    )
    for sale in rows.iterator():
        day = sale.occurred_at.astimezone(zone).date()
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
