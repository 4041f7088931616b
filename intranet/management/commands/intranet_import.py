"""`manage.py intranet_import FILE`: bring an old intranet's posts, comments, ideas, votes and feedback in."""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from intranet.importer import BATCH_SIZE, CREATED, REFUSED, SKIPPED, TYPES, UNREADABLE, intranet_import

HELP = """\
Import FILE, a JSON Lines file (one JSON object a line) of the old intranet's conversation: lines of type
post, comment, idea, vote and feedback (README, "Importing an old intranet"). Idempotent on external_id:
a second run creates nothing. Prints a summary by type and outcome (created, skipped, refused) and every
refused line with its number and reason; --report writes every line's outcome as JSON Lines.
Sends no notification and no email. Authors without an account get an inactive employee account with no
usable password, which they claim by password reset.
"""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON Lines file; - reads standard input.")
        parser.add_argument("--report", metavar="FILE", help="Write each line's outcome there, as JSON Lines.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (none either off a TTY).")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"Lines per transaction (default: {BATCH_SIZE})."
        )

    def handle(self, *args, file, report, no_progress, batch_size, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            source = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        try:
            report_file = open(report, "w", encoding="utf-8") if report else None  # noqa: SIM115
        except OSError as exc:
            source.close()
            raise CommandError(f"Cannot write the report {report}: {exc.strerror}.") from None

        total = None
        if file != "-" and not no_progress and sys.stderr.isatty():
            with open(file, "rb") as counted:
                total = sum(1 for _ in counted)
        bar = tqdm(
            total=total, unit=" lines", file=sys.stderr, disable=no_progress or not sys.stderr.isatty(), leave=False
        )

        def on_outcome(outcome):
            if report_file:
                report_file.write(json.dumps(outcome.as_dict(), ensure_ascii=False) + "\n")
            if verbosity >= 2:
                self.stdout.write(str(outcome))

        started = time.monotonic()
        try:
            with source, bar:
                summary = intranet_import(
                    lines=source, batch_size=batch_size, on_outcome=on_outcome, on_progress=bar.update
                )
        finally:
            if report_file:
                report_file.close()
        seconds = time.monotonic() - started
        self._summary_print(file, summary, seconds, verbosity)

    def _summary_print(self, file, summary, seconds, verbosity):
        out = self.stdout
        shown = "standard input" if file == "-" else file
        out.write(f"Imported {shown}: {summary.lines:,} lines in {seconds:.1f} s.")
        out.write(f"{'':10} {CREATED:>9} {SKIPPED:>9} {REFUSED:>9}")
        for kind in (*TYPES, UNREADABLE):
            row = [summary.counts[(kind, outcome)] for outcome in (CREATED, SKIPPED, REFUSED)]
            if kind != UNREADABLE or any(row):
                out.write(f"{kind:10} " + " ".join(f"{n:>9,}" for n in row))
        total = [summary.count(outcome) for outcome in (CREATED, SKIPPED, REFUSED)]
        out.write(f"{'total':10} " + " ".join(f"{n:>9,}" for n in total))
        if summary.accounts_created:
            out.write(
                f"{summary.accounts_created:,} inactive employee account(s) made for authors without one: "
                "each person claims theirs by resetting their password."
            )
        if summary.groups_created:
            out.write(f"{summary.groups_created:,} group(s) made.")
        if summary.refused:
            out.write(self.style.WARNING(f"{len(summary.refused):,} line(s) refused:"))
            if verbosity < 2:  # at verbosity 2 every line was printed already
                for outcome in summary.refused:
                    out.write(f"  {outcome}")
        elif total[0] == 0 and total[1]:
            out.write(self.style.SUCCESS("Nothing new: every line was imported before."))
        else:
            out.write(self.style.SUCCESS("Every line came in."))
