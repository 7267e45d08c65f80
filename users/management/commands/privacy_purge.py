"""Delete or anonymise personal data whose retention is over (README: Personal data). Idempotent: a second run the
same day finds nothing. The compose scheduler runs it daily.

- host identity checks: 3 years after the later of the check and the host's last session (never while the host has
  a session ahead);
- orders placed more than 10 years ago (the accounting period): the person removed, as an erasure does;
- guests' emails on consents older than 10 years (the order number stays as the proof);
- reminder emails, and the contacts of answered complaints, of livestream sessions over for 3 years;
- django-axes' sign-in records older than 30 days."""

import datetime as dt

from django.core.management.base import BaseCommand

from users.privacy.services import privacy_purge


class Command(BaseCommand):
    help = "Xoá hoặc ẩn danh dữ liệu cá nhân đã hết thời hạn lưu (Nghị định 13/2023/NĐ-CP)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="Run as of this day (YYYY-MM-DD) instead of today in Vietnam.")

    def handle(self, *args, **options):
        counts = privacy_purge(today=options["today"])
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
