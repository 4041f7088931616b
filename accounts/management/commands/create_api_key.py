from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.scopes import SCOPES
from accounts.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for an integration and print it once. Scopes: " + ", ".join(SCOPES)

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Who uses the key, e.g. 'Social listening export'.")
        parser.add_argument("--scopes", required=True, help="Comma-separated scopes, e.g. mentions:read,mentions:write")

    def handle(self, *args, name, scopes, **options):
        try:
            api_key, key = api_key_create(name=name, scopes=scopes.split(","))
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            ) from exc
        self.stderr.write(
            f"Created API key '{api_key.name}' (prefix {api_key.prefix}) with scopes {', '.join(api_key.scopes)}.\n"
            "Store it now: it is not shown again. Send it as 'Authorization: Api-Key <key>'."
        )
        self.stdout.write(key)
