from django.core.management import call_command
from django.core.management.base import BaseCommand

# The example files in demo/ and the tables they go into (see docs/budget.md, "Demo").
DEMO_IMPORTS: tuple[tuple[str, str, list[str]], ...] = (
    ("0018/regionstyrelsen/2023/4.3", "demo/exempel-2023.se", []),
    ("0018/regionstyrelsen/2023/4.4", "demo/exempel-2023.se", []),
    ("0018/regionstyrelsen/2023/4.3", "demo/exempel-prognoser-2023-4.3.csv", ["--enhet", "tkr"]),
    ("0018/regionstyrelsen/2023/4.4", "demo/exempel-prognoser-2023-4.4.csv", ["--enhet", "tkr"]),
    ("0018/regionkansliet/2023/5.1", "demo/exempel-prognoser-2023-5.1.csv", ["--enhet", "tkr"]),
)


class Command(BaseCommand):
    help = (
        "Läser in demons exempelutfall (demo/exempel-2023.se) och exempelprognoser per månad "
        "(demo/exempel-prognoser-2023-*.csv) i budgettabellerna, märkta som exempel, genom "
        "samma import som webben. Kräver demoanvändaren admin (uppsikt demo_users)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anvandare", default="admin", help="vem som läser in (standard admin)"
        )

    def handle(self, *args, anvandare, **options):
        for table, path, extra in DEMO_IMPORTS:
            call_command(
                "import_budget",
                table,
                path,
                "--exempel",
                "--anvandare",
                anvandare,
                *extra,
                stdout=self.stdout,
                stderr=self.stderr,
            )
