"""The action names the indicators app records in the audit trail, with their labels.

Declared in ``IndicatorsConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "measurement.record": _("Mätvärde registrerades"),
    "measurement.correct": _("Mätvärde rättades"),
    "indicator_target.confirm_rule": _("Målregeln bekräftades"),
    "indicator_target.set_rule": _("Målregeln ändrades"),
    "assessment.set_aggregation": _("Sammanvägningsregeln ändrades"),
    "assessment.decide": _("Bedömning beslutades"),
    # scale.py: a styrmodell change moved assessments to other steps of its scale
    "assessment.move_steps": _("Bedömningar flyttades till andra steg i bedömningsskalan"),
    "indicator_definition.create": _("Indikatordefinition skapades"),
    "indicator_definition.update": _("Indikatordefinition ändrades"),
    "indicator_definition.derive": _("Indikatorns beräkning bestämdes eller ändrades"),
    "indicator_definition.underive": _("Indikatorns beräkning togs bort"),
    # manual.py
    "measurement.enter": _("Mätvärde angavs för hand"),
    "forecast.enter": _("Helårsprognos angavs för hand"),
    "measurement.finalise": _("Värden angivna för hand blev slutliga"),
    # authoring.py
    "indicator_target.create": _("Indikatorn fick definition och målregel"),
    "indicator_target.update": _("Indikatorns definition eller målregel ändrades"),
    "indicator_target.remove": _("Indikatorns definition och målregel togs bort"),
    # importers/core.py (also the PostgreSQL fast path, which ends there)
    "measurements.import": _("Mätvärden lästes in från fil"),
    # demo.py
    "indicator.demo": _("Exempelmålregel lades in (demo)"),
    "measurement.demo": _("Exempelmätvärden lades in (demo)"),
}
