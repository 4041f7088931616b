import time

from django.core.management.base import BaseCommand, CommandError

from insights.demo import demo_mentions
from insights.services import ingest_mentions

BATCH = 5000


class Command(BaseCommand):
    help = "Create N invented mentions through the ingestion pipeline (multi-row inserts), e.g. for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--source", default="generated", help="Source of the mentions (default: generated).")
        parser.add_argument("--days", type=int, default=395, help="Spread them over this many past days.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (default: a new one each run).")

    def handle(self, *args, count, source, days, seed, **options):
        if count < 1:
            raise CommandError("COUNT must be at least 1.")
        seed = seed if seed is not None else time.time_ns()
        started, created = time.perf_counter(), 0
        for start in range(0, count, BATCH):
            items = demo_mentions(min(BATCH, count - start), days=days, seed=seed + start)
            for n, item in enumerate(items):
                item["source"], item["external_id"] = source, f"{seed}-{start + n}"
            created += ingest_mentions(items).created
            self.stderr.write(f"\r{created:,} / {count:,}", ending="")
        elapsed = time.perf_counter() - started
        self.stderr.write("")
        self.stdout.write(f"Created {created:,} mentions in {elapsed:.1f} s ({created / elapsed:,.0f}/s).")
