"""Helpers of the feedback tests: the public site's frame for feedback's pages, and the
people who read the feedback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .builders import user_with_role

URLS = "tests.feedback_urls"  # @pytest.mark.urls: the real URLs and a kept public page


@contextmanager
def public_frame() -> Iterator[None]:
    """Feedback's pages drawn in the public site's frame (``feedback/pages.py``), as when
    the public app has registered its renderer; the registry as it was afterwards."""
    from uppsikt.feedback.pages import PUBLIC_NAMESPACE
    from uppsikt.feedback.pages import public_frame as frame
    from uppsikt.public.site import page

    before = frame.get(PUBLIC_NAMESPACE)
    frame.register(PUBLIC_NAMESPACE, page)
    try:
        yield
    finally:
        if before is None:
            frame._entries.pop(PUBLIC_NAMESPACE, None)
        else:
            frame.register(PUBLIC_NAMESPACE, before)


def organisation_admin(world, name: str = "feedback-orgadmin"):
    """An administrator of the whole of the world's Region Test (the role on its root)."""
    from uppsikt.organisations.models import Unit

    root = Unit.objects.get(organisation=world.org, parent__isnull=True)
    return user_with_role(name, "administrator", root)


def superuser(name: str = "feedback-rot"):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(name, f"{name}@exempel.se", "x-test-pass-1")


STATEMENT_POST = {
    "site_name": "Uppsikt Test",
    "site_owner": "Region Test",
    "statement_owner": "",
    "contact_email": "tillganglighet@region-test.se",
    "contact_phone": "010-123 45 67",
    "contact_hours": "vardagar 9-12",
    "response_time": "inom tre arbetsdagar",
    "compliance": "delvis",
    "non_compliant": "Diagrammen saknar <b>mönster</b>\nPDF-bilagor saknar taggar",
    "disproportionate": "",
    "out_of_scope": "",
    "method": "egen",
    "testing": "axe-core i varje testkörning.",
    "assessed_on": "2026-11-30",
    "published_on": "2023-02-01",
    "reviewed_on": "2026-12-01",
}
