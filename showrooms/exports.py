"""A showroom's shelf as CSV: the template of a stock count.

The columns are the import's (``showrooms.imports``), so a clerk exports, counts, fills in ``so_luong_dem`` and
imports the same file; ``tren_ke`` (on the shelf by the books), ``dang_giu`` (held for pickup orders) and
``chu_the`` (the producer) are for reading and are ignored by the import. UTF-8 with a BOM, so Excel shows
Vietnamese names; every text cell that a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from shop.spreadsheets import csv_cell_safe

from .imports import COLUMNS
from .models import Showroom
from .selectors import shelf_rows

HEADER = [column.header for column in COLUMNS if column.key != "counted"] + ["chu_the", "tren_ke", "dang_giu",
                                                                            "so_luong_dem"]


def csv_rows_write(rows) -> str:
    """Rows as CSV text with a BOM, every cell passed through csv_cell_safe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell_safe(cell) for cell in row])
    return buffer.getvalue()


def shelf_export_rows(*, showroom: Showroom):
    yield HEADER
    for shelf in shelf_rows(showroom=showroom).select_related("product__parent").prefetch_related(
        "product__stockrecords"
    ):
        product = shelf.product
        code = product.upc or next((r.partner_sku for r in product.stockrecords.all() if r.partner_sku), "")
        producer = product.producer.name if product.producer_id else ""
        yield [showroom.code, code, product.get_title(), producer, shelf.quantity, shelf.reserved, ""]


def shelf_export_csv(*, showroom: Showroom) -> str:
    """Every product this showroom holds or has held, by title, with the count column left blank."""
    return csv_rows_write(shelf_export_rows(showroom=showroom))


def shelf_export_filename(*, showroom: Showroom) -> str:
    return f"ton-kho-{showroom.code}-{timezone.localdate():%Y-%m-%d}.csv"
