"""The permission matrix for the public site's number pages (uppsikt/public/views_numbers.py):
open to everyone, signed in or not; an unknown organisation, or a definition no decided plan
of the organisation uses, is not found.

Also the two pages of the "site" helper that ``public/base.html`` links to, as placeholders
until that branch is merged (its own matrix entries replace these).
"""

from __future__ import annotations

from .matrix_rules import Case, always

UNKNOWN_CODE = "9999"


def _org(c) -> list:
    return [c.org.code]


PUBLIC_NUMBERS_PAGES: dict[str, list[Case]] = {
    "public:indicators": [
        Case(args=_org),
        Case(args=_org, query="ar=2023", label="år"),
        Case(args=_org, query="ar=2031", expect=always(404), label="år utan plan"),
        Case(args=lambda c: [UNKNOWN_CODE], expect=always(404), label="okänd organisation"),
    ],
    "public:indicator": [
        Case(args=lambda c: [c.org.code, c.definition.pk]),
        Case(
            args=lambda c: [c.other_org.code, c.definition.pk],
            expect=always(404),
            label="annan organisations plan",
        ),
        Case(args=lambda c: [c.org.code, 999999], expect=always(404), label="okänd definition"),
        Case(
            args=lambda c: [UNKNOWN_CODE, c.definition.pk],
            expect=always(404),
            label="okänd organisation",
        ),
    ],
    "public:budget": [
        Case(args=_org),
        Case(args=lambda c: [UNKNOWN_CODE], expect=always(404), label="okänd organisation"),
    ],
    "public:reports": [
        Case(args=_org),
        Case(args=lambda c: [UNKNOWN_CODE], expect=always(404), label="okänd organisation"),
    ],
}
