"""Email live-session reminders before the start and notices of changed times and cancellations. Idempotent, and
safe to run twice at once (each mail is claimed by a conditional UPDATE first): the compose scheduler runs it every
few minutes."""

from django.core.management.base import BaseCommand

from livestream.reminders import reminders_send


class Command(BaseCommand):
    help = "Gửi email nhắc lịch phiên livestream sắp phát và báo lịch thay đổi, phiên bị huỷ."

    def handle(self, *args, **options):
        result = reminders_send()
        self.stdout.write(
            f"{result['reminders']} reminders sent, {result['changes']} change notices sent, {result['failed']} failed"
        )
