"""Security headers, templates without inline script or style, neutralised script in
comments, and oversized or broken requests refused without changing anything."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from uppsikt.accounts.headers import content_security_policy
from uppsikt.indicators.actions import decide_assessment
from uppsikt.plans.models import Goal

from .builders import ROOT

pytestmark = pytest.mark.django_db


def test_every_response_carries_the_security_headers(client, two_regions_with_roles):
    for url in (
        "/",
        two_regions_with_roles.decided.get_absolute_url(),
        "/api/v1/plans",
        "/finns-inte/",
    ):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'" and "unsafe" not in csp
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_hsts_is_sent_over_https_when_configured(client, settings):
    from django.test import Client

    assert "Strict-Transport-Security" not in client.get("/", secure=True)
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/", secure=True)  # middleware reads its settings when loaded
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_the_policy_lets_the_identity_provider_receive_the_login(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.region.se/oauth2/authorize"
    assert "form-action 'self' https://login.region.se" in content_security_policy()


TEMPLATE_DIRS = [ROOT / "uppsikt" / "templates", *(ROOT / "uppsikt").glob("*/templates")]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


# Templates that make files rather than pages: a downloaded report opened from disk is not
# under the site's Content-Security-Policy and must carry its own stylesheet.
NOT_PAGES = {"uppsikt/reports/templates/reports/standalone.html"}


def test_no_template_has_inline_script_or_style():
    """The Content-Security-Policy forbids them; a template with one would break silently."""
    found = []
    for directory in TEMPLATE_DIRS:
        for path in Path(directory).rglob("*.html"):
            if str(path.relative_to(ROOT)) in NOT_PAGES:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern, what in INLINE:
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_script_in_a_comment_is_shown_as_text_on_the_pages(client, two_regions_with_roles):
    planner = two_regions_with_roles.user("planerare_inne")
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    decide_assessment(
        two_regions_with_roles.assessment, actor=planner, status="ej_uppfyllt", comment=attack
    )
    client.force_login(planner)
    for url in (
        reverse("indicators:goal_assessment", args=[two_regions_with_roles.goal.pk, "2023"]),
        reverse(
            "history:object", args=["indicators.assessment", two_regions_with_roles.assessment.pk]
        ),
    ):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(" in html, url
        assert '<script>alert("x")' not in html and "<img src=x" not in html, url


def test_an_oversized_form_is_refused_and_changes_nothing(client, two_regions_with_roles):
    client.force_login(two_regions_with_roles.user("planerare_inne"))
    url = reverse("plans:goal_edit", args=[two_regions_with_roles.draft_goal.pk])
    response = client.post(url, {"text": "Nytt mål", "description": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 400
    assert "Felaktig begäran" in response.content.decode()
    assert (
        Goal.objects.get(pk=two_regions_with_roles.draft_goal.pk).text
        == "Effektmål nummer 1 år 2024"
    )


def test_unknown_api_paths_answer_in_json(client):
    response = client.get("/api/v1/finns-inte")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    page = client.get("/finns-inte/")
    assert page.status_code == 404 and "Sidan finns inte" in page.content.decode()


def test_indicator_pages_do_not_show_where_drafts_use_a_definition(client, two_regions_with_roles):
    url = reverse("indicators:definition", args=[two_regions_with_roles.definition.pk])
    public = client.get(url).content.decode()
    assert "Regionstyrelsen 2023" in public  # the decided plan's use
    assert "Regionstyrelsen 2024" not in public  # the draft's
    client.force_login(two_regions_with_roles.user("lasare_inne"))
    assert "Regionstyrelsen 2024" in client.get(url).content.decode()
