import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "uppsikt" / "locale"


def test_english_catalogue_is_complete_and_compiled():
    po_path = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.mofile(str(po_path.with_suffix(".mo")))
    }
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            key = (entry.msgctxt, entry.msgid)
            assert compiled.get(key) == entry.msgstr, f"{key!r}: run `make messages`"


def test_every_ui_string_in_the_source_has_an_english_translation(tmp_path):
    """Extract the strings afresh from a copy of the package and compare with the catalogue.

    Guards against UI text added without running `make messages` and translating it.
    """
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the catalogue does not depend on the database; checked in the SQLite run")
    assert shutil.which("xgettext"), "gettext is needed: apt-get install gettext"
    package = Path(__file__).resolve().parent.parent / "uppsikt"
    copy = tmp_path / "uppsikt"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(  # noqa: S603 - fixed argv, our own django-admin
        [
            str(django_admin),
            "makemessages",
            "-l",
            "en",
            "--settings=uppsikt.settings",
            f"--pythonpath={tmp_path}",
            "-i",
            "migrations/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    fresh = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == [], f"{len(missing)} strings untranslated, run `make messages`: {missing[:5]}"
