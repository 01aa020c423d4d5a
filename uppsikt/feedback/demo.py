"""The demo's accessibility statement: example contact data, plainly labelled as such
(``is_example``), and an honest account of how Uppsikt is tested."""

from __future__ import annotations

import datetime
from typing import Any

from uppsikt.lib.typing import Actor

from .actions import save_statement
from .models import AccessibilityStatement
from .queries import statement

EXAMPLE: dict[str, Any] = {
    "site_name": "Uppsikt (demo)",
    "site_owner": "Exempelregionen (exempeluppgift)",
    "statement_owner": "",
    "contact_email": "tillganglighet@exempel.se",
    "contact_phone": "010-000 00 00",
    "contact_hours": "vardagar 9–12 (exempeluppgift)",
    "response_time": "inom fem arbetsdagar",
    "compliance": AccessibilityStatement.Compliance.PARTIAL,
    "non_compliant": (
        "Exempel: några PDF-rapporter som publicerades innan webbplatsen togs i bruk saknar "
        "rubrikmarkering i tabellerna, så en skärmläsare kan inte koppla en siffra till sin "
        "rubrik. Samma siffror finns som tabeller på webbsidorna."
    ),
    "disproportionate": "",
    "out_of_scope": ("Exempel: inskannade protokoll som publicerades före den 23 september 2018."),
    "method": AccessibilityStatement.Method.SELF,
    "testing": (
        "Uppsikts sidor kontrolleras automatiskt med verktyget axe-core mot reglerna i WCAG "
        "2.1 nivå A och AA, i varje testkörning av programvaran. Sidorna fungerar utan "
        "JavaScript och går att använda med tangentbord.\n\n"
        "Automatiska kontroller hittar bara en del av alla brister. Ingen manuell granskning "
        "med skärmläsare, och ingen granskning av en extern part, har gjorts av den här "
        "installationen ännu."
    ),
    "assessed_on": datetime.date(2026, 11, 30),
    "published_on": datetime.date(2023, 2, 1),
    "reviewed_on": datetime.date(2026, 11, 30),
    "is_example": True,
}


def fill_example(actor: Actor) -> AccessibilityStatement | None:
    """Save the example statement unless one exists (then None: it is left alone)."""
    if statement() is not None:
        return None
    return save_statement(EXAMPLE, actor=actor)
