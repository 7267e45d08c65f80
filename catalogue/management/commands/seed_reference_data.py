from django.core.management.base import BaseCommand

from catalogue.services import reference_data_seed


class Command(BaseCommand):
    help = "Load administrative units (34 provinces and their communes), the OCOP taxonomy and the home page. Idempotent."

    def handle(self, *args, **options):
        created = reference_data_seed()
        if options["verbosity"]:
            self.stdout.write(f"Reference data ready ({created} administrative units created).")
