"""``uppsikt audit verify`` checks the trail; ``uppsikt audit anchor`` publishes its head."""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from uppsikt.audit.anchors import (
    append_anchor,
    check_anchor_file,
    check_expected,
    parse_expectation,
)
from uppsikt.audit.trail import head_hash, verify


class Command(BaseCommand):
    help = (
        "Ändringsloggen: 'uppsikt audit verify' kontrollerar hashkedjan och avslutar med "
        "felkod 1 och den första brutna raden om någon rad har ändrats eller tagits bort, eller "
        "om loggen inte längre har en rad som ett publicerat ankare anger (ankarfilen, "
        "--expect). 'uppsikt audit anchor' lägger till kedjans huvud sist i ankarfilen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "anchor"])
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="LÖPNUMMER:HASH",
            help="verify: raden med löpnumret måste finnas och ha denna hash (kan upprepas).",
        )
        parser.add_argument(
            "--anchors",
            metavar="FIL",
            help="verify: kontrollera mot ankarna i denna fil i stället för "
            "AUDIT_ANCHORS_FILE (till exempel en kopia som sparats någon annanstans).",
        )
        parser.add_argument(
            "--no-anchors", action="store_true", help="verify: hoppa över ankarfilen."
        )
        parser.add_argument(
            "--daily",
            action="store_true",
            help="anchor: bara om ankarfilen inte redan har ett ankare från i dag.",
        )
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            metavar="SEKUNDER",
            help="anchor: fortsätt och försök igen med detta mellanrum (med --daily).",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "anchor":
            self.anchor(daily=options["daily"], every=options["every"])
        else:
            self.verify(options["expect"], options["anchors"], options["no_anchors"])

    def anchor(self, *, daily: bool, every: float) -> None:
        path = Path(settings.AUDIT_ANCHORS_FILE)
        if not every:
            self.publish(path, daily=daily, quiet=False)
            return
        try:
            while True:
                try:
                    self.publish(path, daily=daily, quiet=True)
                except DatabaseError as error:  # the database is away for now: try again later
                    self.stderr.write(str(error))
                connections.close_all()
                time.sleep(every)
        except KeyboardInterrupt:
            return

    def publish(self, path: Path, *, daily: bool, quiet: bool) -> None:
        anchor = append_anchor(path, daily=daily)
        if anchor is not None:
            self.stdout.write(
                _("Ankare publicerat i %(file)s: rad %(sequence)s, hash %(hash)s")
                % {"file": path, "sequence": anchor.sequence, "hash": anchor.hash}
            )
        elif not quiet:
            self.stdout.write(_("Dagens ankare finns redan i %(file)s.") % {"file": path})

    def verify(self, expect: list[str], anchors: str | None, no_anchors: bool) -> None:
        try:
            expected = [parse_expectation(text) for text in expect]
        except ValueError as error:
            raise CommandError(
                _("--expect vill ha LÖPNUMMER:HASH (64 hexadecimala tecken), inte %(value)s")
                % {"value": error.args[0]}
            ) from error
        path = None if no_anchors else Path(anchors or settings.AUDIT_ANCHORS_FILE)
        if anchors and path is not None and not path.exists():
            raise CommandError(_("Ankarfilen %(file)s finns inte.") % {"file": path})

        count, broken = verify()
        if broken is not None:
            raise CommandError(
                f"Ändringsloggen är bruten vid rad {broken.sequence}: {broken.reason} "
                f"({count} rader lästa)."
            )
        missing = check_expected(expected)
        if missing is not None:
            raise CommandError(
                _(
                    "Ändringsloggen stämmer inte med det väntade ankaret, rad %(sequence)s: %(reason)s."
                )
                % {"sequence": missing.sequence, "reason": missing.reason}
            )
        checked, problem = check_anchor_file(path) if path is not None else (0, "")
        if problem:
            raise CommandError(
                _("Ändringsloggen stämmer inte med de publicerade ankarna i %(file)s: %(problem)s.")
                % {"file": path, "problem": problem}
            )
        self.stdout.write(
            self.style.SUCCESS(f"Ändringsloggen är hel: {count} rader kontrollerade.")
        )
        self.stdout.write(f"Hash för senaste raden: {head_hash()}")
        for sequence, _digest in expected:
            self.stdout.write(
                _("Rad %(sequence)s har den väntade hashen.") % {"sequence": sequence}
            )
        if checked:
            self.stdout.write(
                _("Stämmer med %(count)s publicerade ankare i %(file)s.")
                % {"count": checked, "file": path}
            )
        elif path is not None:
            self.stdout.write(
                _("Inga publicerade ankare att jämföra med i %(file)s.") % {"file": path}
            )
