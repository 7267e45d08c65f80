"""Cancel pickup orders nobody came for within SHOWROOM_PICKUP_DAYS, so their units go back on sale (and prepaid
money back to the shopper). Safe to run any time: each part is cancelled once."""

from django.core.management.base import BaseCommand

from showrooms.services import pickups_expire_uncollected


class Command(BaseCommand):
    help = "Huỷ các đơn nhận tại điểm bán quá hạn không đến lấy và trả hàng lên kệ."

    def handle(self, *args, **options):
        expired = pickups_expire_uncollected()
        self.stdout.write(f"{len(expired)} uncollected pickups cancelled" + (f": {', '.join(expired)}" if expired else ""))
