"""The permission matrix for the residents' site (uppsikt/public): its pages are public to
everyone and show decided content only (a draft's goal is not there for anyone); the key
figure page is the organisation's administrator's."""

from __future__ import annotations

from .matrix_rules import PUBLIC, Case, always, login, organisation_admin

KEY_FIGURE_ROW = {
    "form-TOTAL_FORMS": "1",
    "form-INITIAL_FORMS": "0",
    "form-MIN_NUM_FORMS": "0",
    "form-MAX_NUM_FORMS": "53",
    "form-0-heading": "En dag hos oss",
    "form-0-value": "1 023",
    "form-0-text": "personer gör besök på vårdcentralerna",
    "form-0-source": "",
    "form-0-year": "",
}

PUBLIC_SITE_PAGES: dict[str, list[Case]] = {
    "public:index": PUBLIC,
    "public:organisation": [Case(args=lambda c: [c.org.code])],
    "public:goals": [Case(args=lambda c: [c.org.code])],
    "public:goal": [
        Case(args=lambda c: [c.org.code, c.goal.pk], label="beslutad"),
        Case(args=lambda c: [c.org.code, c.draft_goal.pk], expect=always(404), label="utkast"),
        Case(
            args=lambda c: [c.other_org.code, c.goal.pk],
            expect=always(404),
            label="annan organisation",
        ),
    ],
    "public:key_figures": [
        Case(args=lambda c: [c.org.code], expect=login(organisation_admin(200))),
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=lambda c: dict(KEY_FIGURE_ROW),
            expect=login(organisation_admin(302)),
            label="spara",
        ),
    ],
}
