"""``uppsikt send_reminders [--every SECONDS] [--today YYYY-MM-DD]``: e-mail the reminders owed."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils.translation import gettext as _

from uppsikt.tasks.reminders import Outcome, send_reminders


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("Ange dagen som ÅÅÅÅ-MM-DD, t.ex. 2023-08-31.")) from None


class Command(BaseCommand):
    help = (
        "Skickar de påminnelser om uppgifter som ska gå ut i dag (före sista dag, på sista "
        "dagen, försenade), var och en en gång, efter var persons val. Med --every upprepas "
        "körningen var N:e sekund."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            metavar="SEKUNDER",
            help="Fortsätt och skicka igen med detta mellanrum (Ctrl-C avslutar).",
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            metavar="ÅÅÅÅ-MM-DD",
            help="Räkna som om det vore den här dagen (för prov och för att ta igen en dag).",
        )

    def handle(self, *args, every: float, today, verbosity: int, **options):
        if not every:
            self._report(send_reminders(today), verbosity, quiet_when_idle=False)
            return
        try:
            while True:
                close_old_connections()
                try:
                    self._report(send_reminders(today), verbosity, quiet_when_idle=True)
                except DatabaseError as error:  # the database is away for now: try again later
                    self.stderr.write(str(error))
                close_old_connections()
                time.sleep(every)
        except KeyboardInterrupt:
            return

    def _report(self, outcome: Outcome, verbosity: int, *, quiet_when_idle: bool) -> None:
        if not verbosity:
            return
        for email, subject, count in outcome.sent:
            self.stdout.write(
                _("Skickade till %(email)s: %(subject)s (%(count)s)")
                % {"email": email, "subject": subject, "count": count}
            )
        for email, error in outcome.failed:
            self.stderr.write(
                _("Kunde inte skicka till %(email)s: %(error)s") % {"email": email, "error": error}
            )
        idle = not (outcome.sent or outcome.failed or outcome.without_email)
        if quiet_when_idle and idle:
            return
        self.stdout.write(
            _(
                "Meddelanden: %(messages)s, påminnelser: %(reminders)s, utan e-postadress: "
                "%(without)s, misslyckade: %(failed)s."
            )
            % {
                "messages": len(outcome.sent),
                "reminders": outcome.reminders,
                "without": len(outcome.without_email),
                "failed": len(outcome.failed),
            }
        )
