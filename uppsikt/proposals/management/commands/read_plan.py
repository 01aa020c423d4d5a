"""uppsikt read_plan FILE --organisation CODE --unit SLUG --year YEAR [--out FILE.yaml]

Reads a plan document, proposes its structure and writes the proposal in the data-file
formats for review as text. Nothing is stored in the database.
"""

from __future__ import annotations

from argparse import ArgumentTypeError
from json import dumps
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uppsikt.lib.limits import InputRefused
from uppsikt.proposals.propose import propose
from uppsikt.proposals.propose.context import ContextError, context_for
from uppsikt.proposals.propose.datafile import plan_text
from uppsikt.proposals.propose.summary import summary_lines
from uppsikt.proposals.propose.tablefiles import budget_text, control_text
from uppsikt.proposals.reading.reader import read


def _year(text: str) -> int:
    """--year as a year, refused in Swedish otherwise."""
    if not text.strip().isdigit() or not 1900 <= int(text) <= 2200:
        raise ArgumentTypeError(_("ska vara ett årtal, t.ex. 2024"))
    return int(text)


class Command(BaseCommand):
    help = _(
        "Läser ett plandokument och skriver ett förslag till plan i datafilens format "
        "(uppsikt/1), med budgettabeller och internkontrolltabeller i egna filer, för "
        "granskning som text. Ingenting sparas i databasen."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("plandokumentet"))
        parser.add_argument("--organisation", required=True, help=_("organisationens kod"))
        parser.add_argument("--unit", required=True, help=_("enhetens kortnamn"))
        parser.add_argument("--year", required=True, type=_year, help=_("planens år"))
        parser.add_argument(
            "--json",
            help=_("fil att också skriva förslaget till som JSON (objekt, källor, ej placerat)"),
        )
        parser.add_argument(
            "--out",
            help=_(
                "fil att skriva planen till (annars standard ut); budget- och "
                "internkontrolltabeller skrivs bredvid, som NAMN-budget.yaml och "
                "NAMN-internkontroll.yaml"
            ),
        )

    def handle(self, *args, file, organisation, unit, year, out=None, json=None, **options):
        path = Path(file)
        if not 1900 <= int(year) <= 2200:
            raise CommandError(_("--year ska vara ett årtal, t.ex. 2024."))
        if not path.is_file():
            raise CommandError(_("Filen %(file)s finns inte.") % {"file": file})
        try:
            context = context_for(organisation, unit, year)
            document = read(path, path.name)
        except (ContextError, InputRefused) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(
                _("Filen %(file)s kan inte läsas: %(e)s") % {"file": file, "e": exc}
            ) from exc
        proposal = propose(document, context)
        texts = {
            "": plan_text(proposal, path.name),
            "-budget": budget_text(proposal),
            "-internkontroll": control_text(proposal),
        }
        self.write(texts, out)
        if json:
            self.write_json(proposal.to_data(), Path(json))
        for line in summary_lines(proposal):
            self.stderr.write(line)

    def write_json(self, data: dict, target: Path) -> None:
        try:
            target.write_text(dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                _("Kan inte skriva %(file)s: %(e)s") % {"file": target, "e": exc}
            ) from exc
        self.stderr.write(_("Skrev %(file)s") % {"file": target})

    def write(self, texts: dict[str, str | None], out: str | None) -> None:
        if out is None:
            self.stdout.write("\n---\n".join(text for text in texts.values() if text), ending="")
            return
        target = Path(out)
        for suffix, text in texts.items():
            if not text:
                continue
            named = target.with_name(f"{target.stem}{suffix}{target.suffix or '.yaml'}")
            try:
                named.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    _("Kan inte skriva %(file)s: %(e)s") % {"file": named, "e": exc}
                ) from exc
            self.stderr.write(_("Skrev %(file)s") % {"file": named})
