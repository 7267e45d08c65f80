"""Recompute the products' listing columns (catalogue/listing.py).

Every write keeps them right by itself; run this after loading rows with bulk inserts or raw SQL, after restoring
a backup from an older release, or (``--due``) daily from the scheduler for certificates whose later days change
a listing without any write (the first listing of the day also does it)."""

from django.core.management.base import BaseCommand

from catalogue.listing import analyse, listings_refresh, listings_refresh_due


class Command(BaseCommand):
    help = "Recompute the products' listing columns (all, or --due: those whose recheck day has come)."

    def add_arguments(self, parser):
        parser.add_argument("--due", action="store_true", help="only rows whose recheck day has come")

    def handle(self, *args, due=False, **options):
        changed = listings_refresh_due() if due else listings_refresh()
        if not due:
            analyse()
        self.stdout.write(f"{changed} product rows changed")
