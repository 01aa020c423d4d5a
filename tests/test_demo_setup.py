"""`uppsikt demo_setup`, the set-up half of `make demo` in one process."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from uppsikt.plans.models import Plan
from uppsikt.portal.management.commands.demo_loaded import demo_loaded

from .builders import load_demo, load_minimal

pytestmark = pytest.mark.django_db


def set_up(settings, tmp_path) -> str:
    settings.STATIC_ROOT = tmp_path / "static"
    out = StringIO()
    call_command("demo_setup", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_loaded_demo_is_not_loaded_again_and_the_logins_are_printed(settings, tmp_path):
    load_demo()
    plans = Plan.objects.count()
    printed = set_up(settings, tmp_path)
    assert "The demo is already in the database" in printed
    assert Plan.objects.count() == plans  # nothing loaded a second time
    assert (
        "uppsikt-demo-admin" in printed
        and get_user_model().objects.filter(username="admin").exists()
    )
    assert (tmp_path / "static" / "uppsikt").is_dir()  # collectstatic ran


def test_demo_loaded_tells_the_demo_from_another_organisation():
    load_minimal()
    assert not demo_loaded()
    load_demo()
    assert demo_loaded()
