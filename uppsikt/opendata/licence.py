"""The licence's name for people, from its URI (``UPPSIKT_OPEN_DATA_LICENCE``)."""

from __future__ import annotations

KNOWN = {
    "http://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0 Universell",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0 Universell",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0 (Erkännande 4.0 Internationell)",
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0 (Erkännande 4.0 Internationell)",
}


def licence_name(uri: str) -> str:
    """The licence's name, or its URI when it is not one of the common ones."""
    return KNOWN.get(uri, uri)
