"""The open data catalogue page in Chromium, without JavaScript too: every dataset with its
columns, formats, licence and last change; it passes axe-core, and its links download."""

import pytest

from uppsikt.opendata.datasets import DATASETS

from .a11y import assert_accessible
from .builders import load_minimal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_catalogue_page_passes_axe_and_lists_every_dataset(live_server, browser, page):
    load_minimal()
    page.goto(live_server.url + "/oppna-data/")
    assert_accessible(page)
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    plain = context.new_page()
    try:
        plain.goto(live_server.url + "/oppna-data/")
        assert plain.get_by_role("heading", level=1).inner_text() == "Öppna data"
        for slug, dataset in DATASETS.items():
            section = plain.locator(f"section#{slug}")
            assert section.get_by_role("heading", level=3).inner_text() == str(dataset.title)
            assert section.locator("table tbody tr").count() == len(dataset.columns)
            assert section.get_by_role("link", name=f"{dataset.title} som CSV").count() == 1
        assert plain.get_by_role("link", name="CC0 1.0 Universell").count() >= 1
        response = plain.request.get(live_server.url + "/oppna-data/planer.csv")
        assert response.ok and response.text().startswith("plan_id,organisation_kod")
    finally:
        context.close()
