"""The action names the plans app records in the audit trail, with their labels.

Declared in ``PlansConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "goal.update": _("Målet ändrades"),
    # levels.py: a styrmodell change moved the plan's goals to other levels
    "goal.kind_moved": _("Målen fick ny målnivå i styrmodellen"),
    "section.update": _("Avsnittet ändrades"),
    # versions.py
    "plan.decide": _("Beslut registrerades"),
    "plan.revise": _("Ny version skapades"),
    "plan.supersede": _("Versionen ersattes"),
}

# actions/parts.py: "<kind>.add", ".update", ".remove", ".move" for every kind of content
_KIND_LABELS = {
    "section": (_("Avsnitt lades till"), _("Avsnittet togs bort"), _("Avsnittet flyttades")),
    "perspective": (
        _("Perspektiv lades till"),
        _("Perspektivet togs bort"),
        _("Perspektivet flyttades"),
    ),
    "focus_area": (
        _("Prioriterat område lades till"),
        _("Prioriterat område togs bort"),
        _("Prioriterat område flyttades"),
    ),
    "strategy": (_("Strategi lades till"), _("Strategin togs bort"), _("Strategin flyttades")),
    "goal": (_("Mål lades till"), _("Målet togs bort"), _("Målet flyttades")),
    "indicator": (
        _("Indikator lades till"),
        _("Indikatorn togs bort"),
        _("Indikatorn flyttades"),
    ),
    "assignment": (_("Uppdrag lades till"), _("Uppdraget togs bort"), _("Uppdraget flyttades")),
    "activity": (
        _("Aktivitet lades till"),
        _("Aktiviteten togs bort"),
        _("Aktiviteten flyttades"),
    ),
}
_UPDATED = {
    "perspective": _("Perspektivet ändrades"),
    "focus_area": _("Prioriterat område ändrades"),
    "strategy": _("Strategin ändrades"),
    "indicator": _("Indikatorn ändrades"),
    "assignment": _("Uppdraget ändrades"),
    "activity": _("Aktiviteten ändrades"),
}
for _kind, (_added, _removed, _moved) in _KIND_LABELS.items():
    ACTIONS[f"{_kind}.add"] = _added
    ACTIONS[f"{_kind}.remove"] = _removed
    ACTIONS[f"{_kind}.move"] = _moved
ACTIONS.update({f"{kind}.update": label for kind, label in _UPDATED.items()})
ACTIONS.update(
    {
        # actions/cascade.py
        "goal.link": _("Målet kopplades till ett mål ovanför"),
        "goal.unlink": _("Kopplingen till ett mål ovanför togs bort"),
        "goal.exempt": _("Svar: målet berör inte enheten"),
        "goal.unexempt": _("Svaret ”berör inte enheten” togs tillbaka"),
        "activity.goals": _("Aktivitetens mål ändrades"),
        # actions/authoring.py
        "plan.create": _("Planen skapades"),
        "plan.update": _("Planens uppgifter ändrades"),
        "plan.review": _("Planen skickades på beredning"),
        "plan.comment": _("Kommentar i beredningen"),
    }
)
