import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uppsikt.accounts.commandline import command_actor
from uppsikt.lib.progress import TerminalProgress
from uppsikt.reports.build import FORMATS, build_report
from uppsikt.reports.lookup import find_period, find_unit


class Command(BaseCommand):
    help = (
        "Skapar en enhets rapport för ett uppföljningstillfälle, t.ex. "
        "uppsikt report 0018/regionstyrelsen 2023-delarsrapport --format pdf. Rapporten "
        "omfattar också enheterna under enheten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "unit", help="enheten som organisationskod/kortnamn, t.ex. 0018/regionstyrelsen"
        )
        parser.add_argument(
            "period", help="uppföljningstillfällets kortnamn, t.ex. 2023-delarsrapport"
        )
        parser.add_argument(
            "--format", default="pdf", help="pdf, docx, xlsx eller html (standard pdf)"
        )
        parser.add_argument(
            "-o", "--output", help="filen att skriva (standard: rapportens namn; - för stdout)"
        )
        parser.add_argument(
            "--as",
            dest="username",
            help="skapa rapporten med den här användarens behörighet (standard: driftens, allt)",
        )

    def handle(self, *args, unit, period, format, output, username, **options):
        fmt = format.lower()
        if fmt not in FORMATS:
            raise CommandError(
                _("Okänt format ”%(format)s”: välj pdf, docx, xlsx eller html.")
                % {"format": format}
            )
        user = command_actor(username) if username else None  # None: the operator reads all
        try:
            found_unit = find_unit(unit)
            found_period = find_period(found_unit.organisation, period)
            name, _type, data = build_report(
                found_unit,
                found_period,
                fmt,
                user=user,
                # The raw stream: Django's wrapper would end every "\r" update with a newline.
                progress=TerminalProgress(getattr(self.stderr, "_out", sys.stderr)),
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        if output == "-":
            sys.stdout.buffer.write(data)
            return
        target = Path(output or name)
        try:
            target.write_bytes(data)
        except OSError as error:
            raise CommandError(
                _("Kan inte skriva %(file)s: %(reason)s.")
                % {"file": target, "reason": error.strerror}
            ) from error
        self.stderr.write(
            _("Skrev %(file)s (%(size)s kB).") % {"file": target, "size": len(data) // 1024}
        )
