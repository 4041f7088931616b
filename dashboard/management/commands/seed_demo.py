from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from dashboard.services import demo_seed


class Command(BaseCommand):
    help = "Load the Carl's Soda demo: one user per role, and each app's demo data. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Seed even with DEBUG off (demo logins have a known password)."
        )
        parser.add_argument("--mentions", type=int, default=20_000, help="How many demo mentions (default 20,000).")

    def handle(self, *args, force=False, mentions=20_000, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo users have a published password: refusing with DEBUG off. Use --force to insist.")
        counts = demo_seed(mentions=mentions)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({counts['users']} users, {counts['terms']} tracked terms "
                f"and {counts['mentions']} mentions created)."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for demo in DEMO_USERS:
            self.stdout.write(f"  {demo.email:<36} {', '.join(demo.roles)}")
