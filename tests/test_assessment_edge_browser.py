"""An organisation's own scale in Chromium: the assessment card's left edge is drawn in the
step's own colour (an SVG, as the pages allow no inline style), the step's symbol and word
beside it, and the goal page passes axe-core; the default words keep the stylesheet's border."""

import pytest
from django.contrib.auth import get_user_model

from uppsikt.indicators.actions import decide_assessment
from uppsikt.organisations.models import Organisation

from .a11y import assert_accessible
from .builders import user_with_role
from .followup_setup import small_setting
from .signin import sign_in
from .test_assessment_scale import four_step_scale, measured

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server) -> None:
    get_user_model().objects.create_superuser("rot-kant", password="x-test-pass-1")
    sign_in(page, live_server.url, "rot-kant")


def _edge_of(page) -> dict:
    card = page.locator(".assessment").first
    return card.evaluate(
        """card => {
            const edge = card.querySelector('.assessment__edge');
            const style = getComputedStyle(card);
            if (!edge) return {border: style.borderLeftColor, width: style.borderLeftWidth};
            const box = edge.getBoundingClientRect(), outer = card.getBoundingClientRect();
            return {fill: edge.querySelector('rect').getAttribute('fill'),
                    width: box.width, tall: box.height >= outer.height - 2,
                    left: Math.round(box.left - outer.left)};
        }"""
    )


def test_an_own_scales_card_has_an_edge_in_its_colour_and_passes_axe(live_server, page):
    setting = small_setting()
    goal = setting.goals[0]
    own = measured(goal, "40")  # the default words: "Ej uppfyllt", the stylesheet's border
    _sign_in(page, live_server)
    page.goto(live_server.url + goal.get_absolute_url())
    assert _edge_of(page) == {"border": "rgb(179, 38, 30)", "width": "6px"}
    four_step_scale(Organisation.objects.get(code="0099"), {"steps": {"ej_uppfyllt": "inte"}})
    own.refresh_from_db()
    planner = user_with_role("planerare-kant", "planerare")
    decide_assessment(own, actor=planner, status="till_stor_del", comment="Nästan helt.")
    page.goto(live_server.url + goal.get_absolute_url())
    edge = _edge_of(page)
    assert edge == {"fill": "#33691e", "width": 6, "tall": True, "left": 0}
    assert "◕" in page.locator(".assessment__status strong").inner_text()
    assert_accessible(page)
