from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue.demo import load_demo_data
from catalogue.listing import listings_deferred


class Command(BaseCommand):
    help = (
        "Load a demo An Giang catalogue: ~40 producers, ~120 products with images and certificates in every "
        "state, and one user per role. Idempotent; runs in one transaction."
    )

    def handle(self, *args, **options):
        with transaction.atomic(), listings_deferred():  # listing columns refreshed once, at the end
            summary = load_demo_data()
        self.stdout.write("Demo data (total, created by this run):")
        for name, total in summary["totals"].items():
            self.stdout.write(f"  {name:<14} {total:>4}  (+{summary['created'][name]})")
        self.stdout.write("\nDemo users (the password is set when the user is created; existing users are left alone):")
        self.stdout.write(f"  {'email':<26} {'password':<16} role")
        for email, password, role in summary["users"]:
            self.stdout.write(f"  {email:<26} {password:<16} {role}")
