"""Cancel transfer and card orders left unpaid past their time and give their stock back; send refunds that a
stopped process left pending. Safe to run any time."""

from django.core.management.base import BaseCommand

from shop.payments.services import payments_expire_unpaid, refunds_send_pending


class Command(BaseCommand):
    help = "Huỷ các đơn chuyển khoản/thẻ quá hạn chưa thanh toán và trả hàng về kho."

    def handle(self, *args, **options):
        expired = payments_expire_unpaid()
        self.stdout.write(f"{len(expired)} expired" + (f": {', '.join(expired)}" if expired else ""))
        self.stdout.write(f"{refunds_send_pending()} pending refunds sent")
