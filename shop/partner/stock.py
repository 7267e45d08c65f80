"""Stock moves under row locks, in primary-key order, as deltas: never a whole row saved over an allocation.

Modelled on saleor's warehouse/management.py: ordered select_for_update, check, F() write, typed errors.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


@dataclass(frozen=True)
class Shortage:
    title: str
    requested: int
    available: int

    def message(self) -> str:
        if self.available <= 0:
            return _("“%(title)s” đã hết hàng.") % {"title": self.title}
        return _("“%(title)s” chỉ còn %(available)s, bạn đặt %(requested)s.") % {
            "title": self.title,
            "available": self.available,
            "requested": self.requested,
        }


class InsufficientStock(Exception):
    def __init__(self, shortages: list[Shortage]):
        self.shortages = shortages
        super().__init__("; ".join(s.message() for s in shortages))


def stock_lock(*, stockrecord_ids) -> dict[int, "StockRecord"]:
    """Lock the rows in primary-key order (the same order for everyone, so no two checkouts deadlock)."""
    ids = sorted(set(stockrecord_ids))
    locked = StockRecord.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {record.pk: record for record in locked}


def stock_check(*, records: dict, wanted: dict[int, int], titles: dict[int, str]) -> None:
    """Raise InsufficientStock naming every product that is short (records must be locked)."""
    shortages = []
    for pk, quantity in sorted(wanted.items()):
        record = records.get(pk)
        if record is not None and record.num_in_stock is None:
            continue  # stock not tracked for this record
        available = record.net_stock_level if record is not None else 0
        if quantity > available:
            shortages.append(Shortage(title=titles[pk], requested=quantity, available=max(available, 0)))
    if shortages:
        raise InsufficientStock(shortages)


def stock_release(*, lines) -> None:
    """Give back what order lines allocated. Callers guard with a status change so this runs once per line."""
    with transaction.atomic():
        quantities: dict[int, int] = {}
        for line in lines:
            if line.stockrecord_id:
                quantities[line.stockrecord_id] = quantities.get(line.stockrecord_id, 0) + line.quantity
        records = stock_lock(stockrecord_ids=quantities)
        for pk, quantity in sorted(quantities.items()):
            if pk in records:
                records[pk].cancel_allocation(quantity)
