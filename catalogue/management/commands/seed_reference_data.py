from django.core.management.base import BaseCommand

from catalogue.services import administrative_units_seed, taxonomy_seed


class Command(BaseCommand):
    help = "Load administrative units (34 provinces, their communes) and the OCOP taxonomy. Idempotent."

    def handle(self, *args, **options):
        created = administrative_units_seed()
        taxonomy = taxonomy_seed()
        if options["verbosity"]:
            self.stdout.write(f"Administrative units created: {created}; taxonomy {taxonomy} ready.")
