"""The demo's key figures: Region Blekinge's "En dag hos oss", exactly as its own page
states them (seeds/blekinge-om-regionen.txt). The Örebro seeds state no key figures."""

from __future__ import annotations

from uppsikt.accounts.commandline import command_line_user
from uppsikt.organisations.models import Organisation

from .actions import save_key_figures
from .models import KeyFigure

SOURCE = "Region Blekinges webbplats, Om Region Blekinge"
HEADING = "En dag hos oss"
BLEKINGE = "0010"
EN_DAG_HOS_OSS = [
    ("1 023", "personer gör besök på vårdcentralerna och jourcentralerna"),
    ("1 075", "personer besöker Blekingesjukhuset"),
    ("364", "personer besöker folktandvården"),
    ("22 022", "resor görs varje dag i kollektivtrafiken"),
    ("4", "nyfödda barn välkomnas på förlossningsavdelningen"),
    ("160", "studenter lär sig ny kunskap på folkhögskolan i Bräkne-Hoby"),
    ("1 184", "måltider serveras till patienter och personal"),
    ("20", "regionala utvecklingsprojekt skapar nya möjligheter i Blekinge"),
    ("160", "barn och unga upplever en musik- eller teaterföreställning"),
]


def load_demo_key_figures() -> int:
    """Region Blekinge's key figures, unless it has key figures already (kept as they are).
    Returns how many were added."""
    organisation = Organisation.objects.filter(code=BLEKINGE).first()
    if organisation is None or KeyFigure.objects.filter(organisation=organisation).exists():
        return 0
    rows = [
        {"heading": HEADING, "value": value, "text": text, "source": SOURCE}
        for value, text in EN_DAG_HOS_OSS
    ]
    return len(save_key_figures(organisation, rows, actor=command_line_user()))
