"""``uppsikt reap_jobs [--every SECONDS]``: fail, or queue again, the jobs of dead workers."""

import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils.translation import gettext as _

from uppsikt.jobs.reaper import reap_jobs


class Command(BaseCommand):
    help = (
        "Bakgrundsjobb vars bakgrundsprocess har slutat svara: de som kan köras om köas igen, "
        "övriga markeras som misslyckade. Med --every upprepas kontrollen var N:e sekund."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            metavar="SEKUNDER",
            help="Fortsätt och kontrollera igen med detta mellanrum (Ctrl-C avslutar).",
        )

    def handle(self, *args, every: float, verbosity: int, **options):
        if not every:
            self._pass(report=verbosity > 0, verbosity=verbosity)
            return
        try:
            while True:
                try:
                    self._pass(report=False, verbosity=verbosity)
                except DatabaseError as error:  # the database is away for now: try again later
                    self.stderr.write(str(error))
                time.sleep(every)
        except KeyboardInterrupt:
            return

    def _pass(self, *, report: bool, verbosity: int) -> None:
        close_old_connections()
        reaped = reap_jobs()
        close_old_connections()
        if report or (verbosity and (reaped.failed or reaped.requeued)):
            self.stdout.write(
                _("Misslyckade: %(failed)s, köade igen: %(requeued)s.")
                % {"failed": len(reaped.failed), "requeued": len(reaped.requeued)}
            )
