"""Email producers about certificates expiring within 90 and 30 days and stock running low. Idempotent."""

from django.core.management.base import BaseCommand

from shop.listings.notices import producers_notify


class Command(BaseCommand):
    help = "Báo chủ thể: giấy chứng nhận sắp hết hạn (90, 30 ngày), sắp hết hàng."

    def handle(self, *args, **options):
        self.stdout.write(f"{producers_notify()} notices sent")
