"""The action names the internal-control app records in the audit trail, with their labels.

Declared in ``ControlConfig.ready``; see ``uppsikt.audit.vocabulary``.
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # actions.py
    "control.plan.create": _("Internkontrollplanen skapades"),
    "control.plan.update": _("Kraven som planens risker avser ändrades"),
    "control.risk.create": _("Risken lades till"),
    "control.risk.update": _("Risken ändrades"),
    "control.risk.delete": _("Risken togs bort"),
    "control.measure.create": _("En åtgärd lades till"),
    "control.measure.update": _("En åtgärd ändrades"),
    "control.measure.delete": _("En åtgärd togs bort"),
    "control.assessment.create": _("Risken bedömdes"),
    "control.assessment.update": _("Bedömningen ändrades"),
    "control.assessment.delete": _("Bedömningen togs bort"),
    "control.scale.update": _("Riskskalan ändrades"),
    # importing.py
    "control.plan.import": _("Internkontrollplanen lästes in från fil"),
    # reporting.py: avvikelser, and "control.isk.<ControlAssessment.Kind>"
    "control.deviation.create": _("En avvikelse lades till"),
    "control.deviation.update": _("En avvikelse ändrades"),
    "control.deviation.delete": _("En avvikelse togs bort"),
    "control.isk.enhet": _("ISK-bedömningen sparades"),
    "control.isk.samlad": _("Den samlade bedömningen sparades"),
}
