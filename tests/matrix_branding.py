"""The permission matrix for an organisation's profile (colour and logo): the page that sets
it, for the organisation's administrator; the logo and colour sheet, public."""

from __future__ import annotations

import io

from .matrix_rules import Case, always, login, organisation_admin, upload


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (31, 78, 121)).save(buffer, "PNG")
    return buffer.getvalue()


def _branded(c) -> list:
    """The world's organisation with a colour and a logo (every call is rolled back)."""
    from uppsikt.administration.actions import update_branding

    if not c.org.logo_version:
        update_branding(c.org, actor=c.world.users["rot"], colour="#1f4e79", logo=_png())
    return [c.org.code]


BRANDING_PAGES: dict[str, list[Case]] = {
    "organisations:logo": [Case(args=_branded, expect=always(200))],
    "organisations:brand_css": [Case(args=_branded, expect=always(200))],
    "branding:profile": [
        Case(args=lambda c: [c.org.code], expect=login(organisation_admin(200))),
        Case(
            args=lambda c: [c.org.code],
            method="post",
            data=lambda c: {"colour": "#1f4e79", "logo": upload("logo.png", _png())},
            expect=login(organisation_admin(302)),
            label="spara",
        ),
    ],
}
