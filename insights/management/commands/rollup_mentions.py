import time

from django.core.management.base import BaseCommand

from insights.services.rollups import rollups_refresh


class Command(BaseCommand):
    help = "Recount the rollups of the hours and days whose mentions changed (what beat runs every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Recount every bucket from all mentions.")

    def handle(self, *args, rebuild=False, **options):
        started = time.perf_counter()
        done = rollups_refresh(rebuild=rebuild)
        self.stdout.write(
            f"Rollups {'rebuilt' if rebuild else 'refreshed'}: {done['hours']} hours, {done['days']} days, "
            f"{done['rows']} rows in {time.perf_counter() - started:.2f} s."
        )
