"""The cache of public pages (uppsikt/lib/pagecache.py) across commits, rollbacks and
processes: a change renews the generation once, when it commits, and every process sharing
the cache sees it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from uppsikt.lib import pagecache
from uppsikt.organisations.models import Organisation, Unit

from .builders import load_minimal
from .test_pagecache import state

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parent.parent


# -- transactions ----------------------------------------------------------------------------


def _change(name: str) -> None:
    Organisation.objects.create(code=name, name=f"Region {name}", kind="region")


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_commit_renews_once_and_rollback_not_at_all():
    first = pagecache.generation()
    with pytest.raises(Boom), transaction.atomic():
        _change("0091")
        raise Boom
    assert pagecache.generation() == first
    with transaction.atomic():
        _change("0092")
        _change("0093")
        assert len(transaction.get_connection().run_on_commit) == 1  # once for both
        assert pagecache.generation() == first  # not before the commit
    second = pagecache.generation()
    assert second != first
    _change("0094")  # outside a transaction: at once
    assert pagecache.generation() != second


@pytest.mark.django_db(transaction=True)
def test_nested_blocks():
    first = pagecache.generation()
    with transaction.atomic(), pytest.raises(Boom), transaction.atomic():
        _change("0081")  # registered in the savepoint ...
        raise Boom  # ... and dropped with it
    assert pagecache.generation() == first

    with transaction.atomic():
        with pytest.raises(Boom), transaction.atomic():
            _change("0082")
            raise Boom
        _change("0083")  # a later change registers it again
    second = pagecache.generation()
    assert second != first

    with transaction.atomic():
        with transaction.atomic():
            _change("0084")  # kept when the savepoint is released
        with pytest.raises(Boom), transaction.atomic():
            _change("0085")  # skipped: already registered outside this savepoint
            raise Boom
    third = pagecache.generation()
    assert third != second

    with pytest.raises(Boom), transaction.atomic():
        with transaction.atomic():
            _change("0086")
        raise Boom  # the outer block rolls back: no renewal
    assert pagecache.generation() == third


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_while_an_edit_commits_is_never_found(client):
    load_minimal()
    url = reverse("organisations:unit", args=["0099", "styrelsen"])
    key_before = pagecache.generation()
    assert state(client.get(url)) == "miss"
    with transaction.atomic():
        Unit.objects.filter(slug="styrelsen").update(name="Nya styrelsen")
        pagecache.content_changed()
        inside = client.get(url)  # the old generation still holds until the commit
    assert state(inside) == "hit"
    assert pagecache.generation() != key_before
    after = client.get(url)
    assert state(after) == "miss" and "Nya styrelsen" in after.content.decode()


# -- shared between processes ----------------------------------------------------------------

CHILD = """
import os
import django
django.setup()
from django.conf import settings
if os.environ.get("UPPSIKT_TEST_PAGES_PREFIX"):
    settings.CACHES["pages"]["KEY_PREFIX"] = os.environ["UPPSIKT_TEST_PAGES_PREFIX"]
from uppsikt.lib import pagecache
print(pagecache.generation())
pagecache.renew()
print(pagecache.generation())
"""


def _child(env_extra: dict[str, str]) -> list[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "uppsikt.settings",
        **env_extra,
    }
    out = subprocess.run(  # noqa: S603 - this interpreter, the test's own script
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_two_processes_share_the_file_cache_generation():
    location = settings.CACHES["pages"]["LOCATION"]
    assert settings.CACHES["pages"]["BACKEND"].endswith("FileBasedCache")
    mine = pagecache.generation()
    seen, renewed = _child({"UPPSIKT_PAGE_CACHE_DIR": location, "UPPSIKT_CACHE_URL": ""})
    assert seen == mine
    assert renewed != mine and pagecache.generation() == renewed
    pagecache.renew()
    assert _child({"UPPSIKT_PAGE_CACHE_DIR": location, "UPPSIKT_CACHE_URL": ""})[0] != renewed


def test_the_file_cache_keeps_pages_uncompressed_and_drops_unreadable_files(tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache

    from uppsikt.lib.filecache import UncompressedFileBasedCache

    params = {"TIMEOUT": 60}
    old = FileBasedCache(str(tmp_path), params)
    new = UncompressedFileBasedCache(str(tmp_path), params)
    old.set(pagecache.GENERATION_KEY, "zlib-written")
    assert new.get(pagecache.GENERATION_KEY) is None  # read as missing, and removed
    assert new.add(pagecache.GENERATION_KEY, "fresh")
    assert new.get(pagecache.GENERATION_KEY) == "fresh"
    page = {"content": b"<p>" + b"sida " * 1000 + b"</p>", "headers": []}
    new.set("page", page)
    assert new.get("page") == page
    (file,) = [f for f in tmp_path.iterdir() if f.read_bytes().count(b"sida ") == 1000]
    assert file.exists()
    assert new.touch("page", 120) and not new.touch("none")
