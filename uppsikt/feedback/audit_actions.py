"""The action names the feedback app records in the audit trail, with their labels.

Declared in ``FeedbackConfig.ready``; see ``uppsikt.audit.vocabulary``. The answers to
"Hade du nytta av innehållet?" are anonymous counts, not changes anyone answers for, and
are not recorded (docs/accessibility.md).
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "feedback.statement": _("Tillgänglighetsredogörelsen ändrades"),
    "feedback.report": _("Ett tillgänglighetsproblem rapporterades"),
    "feedback.report_handled": _("En rapport om tillgänglighetsproblem markerades hanterad"),
}
