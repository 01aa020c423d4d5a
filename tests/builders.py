"""Small builders for test data, made through the real loader or the models' own fields."""

from pathlib import Path

from uppsikt.interchange import load_data, load_file

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "demo" / "region-orebro-lan.yaml"


def load_demo() -> dict[str, int]:
    return load_file(DEMO_FILE)


def minimal_data(goal_count: int = 1, *, status: str = "beslutad") -> dict:
    """A valid file with one organisation, two units and one plan of ``goal_count`` goals."""
    return {
        "format": "uppsikt/1",
        "organisations": [
            {
                "code": "0099",
                "name": "Region Test",
                "kind": "region",
                "units": [
                    {
                        "slug": "fullmaktige",
                        "name": "Regionfullmäktige",
                        "kind": "fullmaktige",
                        "units": [
                            {"slug": "styrelsen", "name": "Regionstyrelsen", "kind": "styrelse"}
                        ],
                    }
                ],
            }
        ],
        "plans": [
            {
                "id": "plan",
                "organisation": "0099",
                "unit": "styrelsen",
                "year": 2023,
                "title": "Testplan 2023",
                "status": status,
                "blocks": [
                    {
                        "perspective": {
                            "name": "Invånare och samhälle",
                            "goals": [
                                {
                                    "kind": "effektmal",
                                    "number": str(number),
                                    "text": f"Effektmål nummer {number}",
                                    "indicators": [
                                        {"text": f"Indikator {number}a"},
                                        {"text": f"Indikator {number}b"},
                                    ],
                                }
                                for number in range(1, goal_count + 1)
                            ],
                        }
                    }
                ],
            }
        ],
    }


def load_minimal(goal_count: int = 1, **kwargs) -> dict[str, int]:
    return load_data(minimal_data(goal_count, **kwargs))
