"""The permission matrix for internal control, follow-up and reports pages (see
``matrix_rules.py``)."""

from __future__ import annotations

from .matrix_rules import (
    PUBLIC,
    Case,
    Perm,
    always,
    attachment_of,
    login,
    needs,
    open_form,
    organisation_admin,
    png_upload,
    readable,
)

CONTROL_AND_FOLLOWUP: dict[str, list[Case]] = {
    # -- internal control ---------------------------------------------------------------
    # The 2023 internkontrollplan is published with the decided verksamhetsplan; the 2024
    # one is not (its verksamhetsplan is an utkast). Follow-ups of an open period are read
    # by the unit's roles only.
    "control:organisation": [Case(args=lambda c: [c.org.code], expect=always(302))],
    "control:region": [
        Case(args=lambda c: [c.org.code, 2023]),
        Case(args=lambda c: [c.org.code, 2024], label="opublicerad plan (tom för andra)"),
    ],
    "control:risks": [
        Case(args=lambda c: [c.org.code, 2023]),
        Case(args=lambda c: [c.org.code, 2023], query="beslut=ej_accepterad&uppfoljning=pagar"),
    ],
    "control:scale": [
        Case(args=lambda c: [c.org.code]),
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=lambda c: {
                "likelihood_labels": "Låg\nMedel\nHög\nMycket hög",
                "consequence_labels": "Liten\nMåttlig\nStor\nMycket stor",
                "medium_from": "4",
                "high_from": "9",
            },
            # Only an administrator of the whole organisation; everyone else is refused.
            expect=lambda caller: 302 if caller == "rot" else 403,
            label="ändra skalan",
        ),
    ],
    "control:overall": [
        Case(args=lambda c: [c.org.code, 2023]),
        Case(
            args=lambda c: [c.org.code, 2023],
            method="post",
            data=lambda c: {"level": "tillracklig", "motivation": "Matrisens bedömning."},
            expect=open_form(Perm.PLAN),
            label="bekräfta",
        ),
    ],
    "control:unit_plan": [
        Case(args=lambda c: [c.org.code, c.unit.slug, 2023], label="publicerad"),
        Case(args=lambda c: [c.org.code, c.unit.slug, 2024], expect=readable(), label="utkast"),
    ],
    "control:unit_xlsx": [
        Case(args=lambda c: [c.org.code, c.unit.slug, 2023], label="publicerad"),
        Case(args=lambda c: [c.org.code, c.unit.slug, 2024], expect=readable(), label="utkast"),
    ],
    "control:unit_import": [
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2023],
            expect=login(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2024],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:risk_new": [
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2023],
            expect=login(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2023],
            method="post",
            data=lambda c: {"area": "IT", "text": "Risken att matrisen missar en sida."},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="spara",
        ),
    ],
    "control:unit_isk": [
        Case(args=lambda c: [c.org.code, c.unit.slug, 2023]),
        Case(
            args=lambda c: [c.org.code, c.unit.slug, 2023],
            method="post",
            data=lambda c: {"level": "tillracklig", "motivation": "Matrisens bedömning."},
            expect=open_form(Perm.PLAN),
            label="bedöm",
        ),
    ],
    "control:unit_followup": [
        Case(args=lambda c: [c.org.code, c.unit.slug, c.control.period.pk], expect=readable())
    ],
    "control:risk": [
        Case(args=lambda c: [c.control.risk.pk], label="publicerad"),
        Case(args=lambda c: [c.control.draft_risk.pk], expect=readable(), label="utkast"),
    ],
    "control:risk_assess": [
        Case(args=lambda c: [c.control.risk.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"likelihood": "3", "consequence": "3", "decision": "ej_accepterad"},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="bedöm",
        ),
        Case(
            args=lambda c: [c.control.draft_risk.pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:risk_edit": [
        Case(args=lambda c: [c.control.risk.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"area": "Ekonomi", "text": "Risken att attester saknas."},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="spara",
        ),
        Case(
            args=lambda c: [c.control.draft_risk.pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:measure_new": [
        Case(args=lambda c: [c.control.risk.pk], expect=login(needs(Perm.PLAN, published=True))),
        Case(
            args=lambda c: [c.control.risk.pk],
            method="post",
            data=lambda c: {"text": "Utbildning i attestregler."},
            expect=login(needs(Perm.PLAN, 302, published=True)),
            label="spara",
        ),
        Case(
            args=lambda c: [c.control.draft_risk.pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:measure_edit": [
        Case(
            args=lambda c: [c.control.measure.pk],
            expect=login(needs(Perm.PLAN, published=True)),
        ),
        Case(
            args=lambda c: [c.control.draft_measure.pk],
            expect=login(needs(Perm.PLAN)),
            label="utkast",
        ),
    ],
    "control:measure_followup": [
        Case(
            args=lambda c: [c.control.measure.pk, c.control.period.pk, c.unit.slug],
            expect=readable(),
        ),
        Case(
            args=lambda c: [c.control.measure.pk, c.control.period.pk, c.unit.slug],
            method="post",
            data=lambda c: {"action": "followup", "status": "genomford", "comment": "Klart."},
            # The rapportör is the entry's responsible person.
            expect=needs(Perm.REPORT, 302),
            label="skriv",
        ),
    ],
    "control:deviation": [
        Case(args=lambda c: [c.control.deviation.pk], expect=login(needs(Perm.REPORT))),
        Case(
            args=lambda c: [c.control.deviation.pk],
            method="post",
            data=lambda c: {"found": "Två attester saknades.", "handling": "Påminnelse."},
            expect=login(needs(Perm.REPORT, 302)),
            label="spara",
        ),
    ],
    # -- follow-up and reports ----------------------------------------------------------
    "followup:index": [Case(expect=login(always(200)))],
    "followup:periods": [Case(args=lambda c: [c.org.code], expect=login(readable()))],
    "followup:period_create": [
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=lambda c: {"what": "defaults", "year": "2025"},
            expect=login(organisation_admin()),
        )
    ],
    "followup:period_change": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, "stang"],
            method="post",
            data=lambda c: {},
            expect=login(organisation_admin()),
        )
    ],
    "followup:dashboard": [
        Case(args=lambda c: [c.org.code, c.period.slug], expect=login(readable()))
    ],
    "followup:xlsx": [Case(args=lambda c: [c.org.code, c.period.slug], expect=login(readable()))],
    "followup:remind": [
        Case(
            args=lambda c: [c.org.code, c.period.slug],
            method="post",
            data=lambda c: {"unit": c.unit.slug},
            expect=login(organisation_admin()),  # PLAN on every root unit: only rot here
        )
    ],
    "followup:unit": [
        Case(args=lambda c: [c.org.code, c.period.slug, c.unit.slug], expect=login(readable())),
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug],
            method="post",
            data=lambda c: {"rapport-summary": "Matrisens sammanfattning."},
            expect=login(needs(Perm.REPORT, 302)),
            label="spara",
        ),
    ],
    "followup:attachments": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, c.followup.pk],
            expect=login(readable()),
        ),
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, c.followup.pk],
            method="post",
            data=lambda c: {"file": png_upload()},
            expect=login(needs(Perm.REPORT, 302)),  # the rapportör is the entry's responsible
            label="ladda upp",
        ),
    ],
    "followup:attachment": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, attachment_of(c)],
            expect=login(readable()),
        ),
    ],
    "followup:attachment_remove": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, attachment_of(c)],
            expect=login(needs(Perm.REPORT)),
        ),
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, attachment_of(c)],
            method="post",
            data=lambda c: {},
            expect=login(needs(Perm.REPORT, 302)),
            label="ta bort",
        ),
    ],
    "followup:report_action": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, "lamna-in"],
            method="post",
            data=lambda c: {},
            # Entries are missing: the unit is told so on its page (302); a granskare or
            # läsare may not submit (403).
            expect=login(needs(Perm.REPORT, 302)),
            label="lämna in",
        ),
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, "godkann"],
            method="post",
            data=lambda c: {},
            # Nothing is submitted: the reviewer is told so (302); others may not (403).
            expect=login(needs(Perm.REVIEW, 302)),
            label="godkänn",
        ),
    ],
    "reports:published": PUBLIC,
    "reports:page": [
        Case(args=lambda c: [c.org.code, c.period.slug, c.unit.slug], expect=login(readable()))
    ],
    "reports:generate": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug],
            method="post",
            data=lambda c: {"format": "html"},
            expect=login(readable(302)),
        )
    ],
    # The approved version's files: the world's report is not approved, so for no one.
    "reports:download": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, "html"],
            expect=always(404),
        )
    ],
    # An earlier or current approved version and its files: none is approved, so for no one.
    "reports:version": [
        Case(args=lambda c: [c.org.code, c.period.slug, c.unit.slug, 1], expect=always(404))
    ],
    "reports:version_download": [
        Case(
            args=lambda c: [c.org.code, c.period.slug, c.unit.slug, 1, "pdf"],
            expect=always(404),
        )
    ],
    "reports:template": [
        Case(
            args=lambda c: [c.org.code],
            # The organisation's Word template: its administrators only; to others the page
            # does not exist.
            expect=login(lambda caller: 200 if caller == "rot" else 404),
        )
    ],
}
