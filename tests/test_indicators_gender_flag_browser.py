"""The pages showing a kön flag beside an assessment, in Debian's Chromium with axe-core."""

import pytest

from .a11y import assert_accessible
from .flag_setup import FLAG, FORM, GOAL_FLAG, make_flag_setting
from .signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_flagged_assessment_pages_pass_axe(live_server, page):
    setting = make_flag_setting()
    sign_in(page, live_server.url, "flagg-planerare")
    goal = setting.goals[0]
    for path in (
        f"/indikatorer/mal/{goal.pk}/2023-07/",
        goal.get_absolute_url(),
        setting.definition.get_absolute_url(),
        FORM,
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
        flags = page.locator(".flag").all_inner_texts()
        assert {FLAG, GOAL_FLAG} & set(flags), path
