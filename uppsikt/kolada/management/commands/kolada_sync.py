"""``uppsikt kolada_sync [--organisation CODE] [--full] [--every SECONDS]``: the scheduled
sync of every organisation whose Kolada sync is set to run automatically (or of one)."""

import time
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils.translation import gettext as _

from uppsikt.kolada.sync import SyncFailed, run_sync, scheduled_organisations
from uppsikt.lib.progress import TerminalProgress, no_progress
from uppsikt.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Synkar Kolada-värdena för varje organisation vars synk är inställd på att köras "
        "automatiskt (eller för en, med --organisation): det som ändrats sedan förra lyckade "
        "synken, eller allt med --full. Med --every upprepas körningen var N:e sekund."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", default=None, metavar="KOD")
        parser.add_argument("--full", action="store_true", help="Hämta allt, inte bara ändringar.")
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            metavar="SEKUNDER",
            help="Fortsätt och synka igen med detta mellanrum (Ctrl-C avslutar).",
        )

    def handle(self, *args, organisation, full, every, verbosity, **options):
        if organisation and not Organisation.objects.filter(code=organisation).exists():
            raise CommandError(
                _("Det finns ingen organisation med koden %(code)s.") % {"code": organisation}
            )
        if not every:
            if self._round(organisation, full, verbosity):
                raise CommandError(_("Minst en synk misslyckades."))
            return
        try:
            while True:
                close_old_connections()
                try:
                    self._round(organisation, full, verbosity)
                except DatabaseError as error:  # the database is away for now: try later
                    self.stderr.write(str(error))
                close_old_connections()
                time.sleep(every)
        except KeyboardInterrupt:
            return

    def _round(self, code, full: bool, verbosity: int) -> int:
        """Sync each organisation in turn; the number that failed."""
        chosen = Organisation.objects.filter(code=code) if code else scheduled_organisations()
        failed = 0
        for organisation in chosen:
            progress = (
                TerminalProgress(cast(TextIO, self.stderr._out)) if verbosity > 1 else no_progress
            )
            try:
                outcome = run_sync(organisation, full=full, progress=progress)
            except SyncFailed as error:
                failed += 1
                self.stderr.write(f"{organisation}: {'; '.join(error.messages)}")
                continue
            if verbosity:
                data = outcome.to_data()
                self.stdout.write(
                    _(
                        "%(name)s: %(read)s värden lästa (%(requests)s anrop), %(created)s nya, "
                        "%(changed)s ändrade, %(unchanged)s oförändrade."
                    )
                    % {
                        "name": organisation,
                        "read": data["values_read"],
                        "requests": data["requests"],
                        "created": data["created"],
                        "changed": data["changed"],
                        "unchanged": data["unchanged"],
                    }
                )
        return failed
