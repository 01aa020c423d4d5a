from django.core.management.base import BaseCommand, CommandError

from uppsikt.accounts.commandline import command_actor
from uppsikt.control.demo import load_demo_control
from uppsikt.control.models import Risk


class Command(BaseCommand):
    help = (
        "Lägger till exempeldata till demons internkontrollplan: riskvärden, uppföljningar, "
        "avvikelser och ISK-bedömningar, alla märkta som exempel. Skapar delårsrapporten och "
        "verksamhetsberättelsen 2023 om de saknas."
    )

    def handle(self, *args, **options):
        if not Risk.objects.filter(control_plan__unit__organisation__code="0018").exists():
            raise CommandError(
                "Inga risker hittades: läs in planen först "
                "(uppsikt load_control demo/internkontroll-2023.yaml)."
            )
        counts = load_demo_control(command_actor())
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Exempeldata för internkontroll: {summary}"))
