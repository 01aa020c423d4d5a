from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "uppsikt" / "locale"


def test_english_catalogue_is_complete_and_compiled():
    po_path = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    compiled = {
        entry.msgid: entry.msgstr for entry in polib.mofile(str(po_path.with_suffix(".mo")))
    }
    source = {
        entry.msgid: entry.msgstr for entry in po.translated_entries() if not entry.msgid_plural
    }
    for msgid, msgstr in source.items():
        assert compiled.get(msgid) == msgstr, f"{msgid!r}: run `make messages`"
