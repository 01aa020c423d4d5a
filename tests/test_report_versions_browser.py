"""The public report page and list with several approved versions and a revision under way,
in Debian's Chromium: axe-core, and the versions reachable by keyboard."""

import re

import pytest

from uppsikt.followup.actions.reports import approve_report

from .a11y import assert_accessible
from .followup_setup import complete, small_setting
from .test_report_versions import NEW, _approve, _granskare, _resubmit, _return_and_revise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAGE = "/rapporter/0099/2023-delarsrapport/styrelsen/"


def test_versions_and_the_revision_note_pass_axe(live_server, page):
    setting = small_setting()
    complete(setting)
    greta = _granskare("greta", "Greta", "Granskare")
    _approve(setting, greta)
    _return_and_revise(setting, greta)
    page.goto(live_server.url + PAGE)
    assert "En reviderad version av rapporten är under arbete" in page.content()
    assert NEW not in page.content()
    assert_accessible(page)
    page.goto(live_server.url + "/rapporter/")
    assert "En reviderad version är under arbete" in page.content()
    assert_accessible(page)

    _resubmit(setting)
    approve_report(setting.unit, setting.period, actor=_granskare("hans", "Hans", "Höög"))
    page.goto(live_server.url + PAGE)
    table = page.get_by_role("table", name="Rapportens godkända versioner")
    assert table.get_by_role("row").count() == 3  # the header and two versions
    assert page.get_by_role("link", name=re.compile(r"^PDF\W+version 1$")).count() == 1
    assert_accessible(page)
    # to the earlier version by keyboard
    link = page.get_by_role("link", name="Version 1", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/version/1/")
    assert "Det här är en tidigare version av rapporten" in page.content()
    assert NEW not in page.content()
    assert_accessible(page)
    page.goto(live_server.url + "/rapporter/")
    assert (
        page.get_by_role("link", name=re.compile(r"^PDF\W+version 2\W+Regionstyrelsen$")).count()
        == 1
    )
    assert_accessible(page)
