"""An organisation's colour and logo in Chromium: the branded pages and the profile page
(with a refused colour) pass axe-core, and the logo is drawn."""

import io

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from uppsikt.administration.actions import update_branding
from uppsikt.organisations.models import Organisation
from uppsikt.plans.models import Plan

from .a11y import assert_accessible
from .builders import load_minimal
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (31, 78, 121)).save(buffer, "PNG")
    return buffer.getvalue()


def test_branded_pages_and_the_profile_page_pass_axe(live_server, page):
    load_minimal()
    root = get_user_model().objects.create_superuser("rot", password="x-test-pass-1")
    organisation = Organisation.objects.get(code="0099")
    update_branding(organisation, actor=root, colour="#1f4e79", logo=_png())
    for path in ("/organisationer/0099/", Plan.objects.get().get_absolute_url()):
        page.goto(live_server.url + path)
        band = page.locator(".brand-band")
        assert band.get_attribute("class") == "brand-band brand-colour"
        assert band.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(31, 78, 121)"
        assert page.locator(".brand-band__logo").evaluate("img => img.naturalWidth") == 120
        assert_accessible(page)
    sign_in(page, live_server.url, "rot")
    page.goto(live_server.url + "/administration/organisationer/0099/profil/")
    assert_accessible(page)
    page.get_by_label("Profilfärg").fill("#9ccc65")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara profilen").click()
    assert "kontrasten 1," in page.content()
    assert_accessible(page)
